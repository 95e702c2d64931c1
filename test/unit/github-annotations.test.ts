import { describe, expect, test } from 'vitest';
import type { Diagnostic } from '../../src/core/diagnostics.js';
import { annotationLines, escapeData, escapeProperty } from '../../src/github/annotations.js';

describe('GitHub workflow-command annotations', () => {
  test('escape data as actions/toolkit does: % CR LF', () => {
    expect(escapeData('100% done\r\nnext')).toBe('100%25 done%0D%0Anext');
  });

  test('escape properties also for : and ,', () => {
    expect(escapeProperty('C:\\a,b%\n')).toBe('C%3A\\a%2Cb%25%0A');
  });

  test('one ::error / ::warning line per diagnostic, located, hint on a second (escaped) line', () => {
    const diagnostics: Diagnostic[] = [
      { severity: 'error', code: 'RC4002', message: 'bucket name "A_b" contains "A", "_"', hint: 'use "a-b"', at: { file: 'cfg/storage,prod.yaml', line: 12, col: 7 } },
      { severity: 'warning', code: 'RC9002', message: '50% of uploads fail', at: { file: 'storage.yaml', line: 3, col: 1 } },
    ];
    expect(annotationLines(diagnostics)).toEqual([
      '::error file=cfg/storage%2Cprod.yaml,line=12,col=7,title=RC4002 error::RC4002 bucket name "A_b" contains "A", "_"%0Ahint: use "a-b"',
      '::warning file=storage.yaml,line=3,col=1,title=RC9002 warning::RC9002 50%25 of uploads fail',
    ]);
  });
});
