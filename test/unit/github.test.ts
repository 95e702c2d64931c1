import { describe, expect, test } from 'vitest';
import { annotationPath, withinStepLimit, type ResourceAnnotation } from '../../src/github/resource-annotations.js';
import { applySummary, fitSummary, STEP_SUMMARY_LIMIT } from '../../src/github/summary.js';
import { PR_COMMENT_LIMIT, truncateMarkdown } from '../../src/plan/render/truncate.js';

const at = (i: number): ResourceAnnotation => ({ file: 'storage.yaml', line: i + 1, message: `bucket.b${i}: drifted` });

describe('annotations within GitHub’s per-step limit', () => {
  test('ten or fewer pass unchanged', () => {
    const ten = Array.from({ length: 10 }, (_, i) => at(i));
    expect(withinStepLimit(ten)).toEqual(ten);
  });
  test('more: nine as they are, the tenth names the rest', () => {
    const many = Array.from({ length: 13 }, (_, i) => at(i));
    const kept = withinStepLimit(many);
    expect(kept).toHaveLength(10);
    expect(kept.slice(0, 9)).toEqual(many.slice(0, 9));
    expect(kept[9]).toEqual({ file: 'storage.yaml', line: 10, message: expect.stringContaining('4 more not annotated') });
    expect(kept[9]?.message).toContain('bucket.b9, bucket.b10, bucket.b11, bucket.b12');
  });
  test('file paths are relative to the workspace, with forward slashes', () => {
    expect(annotationPath('/repo/infra/storage.yaml', { GITHUB_WORKSPACE: '/repo' })).toBe('infra/storage.yaml');
    expect(annotationPath('storage.yaml', {}, '/repo')).toBe('storage.yaml');
    expect(annotationPath('/elsewhere/s.yaml', { GITHUB_WORKSPACE: '/repo' })).toBe('/elsewhere/s.yaml');
  });
});

describe('Markdown that fits GitHub', () => {
  const long = ['**Plan: 900 to add.**', '', ...Array.from({ length: 900 }, (_, i) => [`<details><summary>r${i}</summary>`, '', '```diff', `+ ${'x'.repeat(80)}`, '```', '', '</details>']).flat()].join('\n');

  test('a PR comment: under the limit, summary line first, open blocks closed, a note at the end', () => {
    const cut = truncateMarkdown(long, { max: PR_COMMENT_LIMIT, unit: 'chars' }, 'See the log.');
    expect(long.length).toBeGreaterThan(PR_COMMENT_LIMIT);
    expect(cut.length).toBeLessThanOrEqual(PR_COMMENT_LIMIT);
    expect(cut.startsWith('**Plan: 900 to add.**')).toBe(true);
    expect((cut.match(/```/g) ?? []).length % 2).toBe(0);
    expect((cut.match(/<details>/g) ?? []).length).toBe((cut.match(/<\/details>/g) ?? []).length);
    expect(cut).toMatch(/> Truncated: \d+ more line\(s\) did not fit GitHub's limit \(60,000 chars\)\. See the log\.\n$/);
  });

  test('text that fits is returned unchanged', () => {
    expect(truncateMarkdown('**No changes.**\n', { max: 100, unit: 'chars' }, '')).toBe('**No changes.**\n');
  });

  test('the step summary stays under 1 MiB in bytes, multi-byte text included', () => {
    const huge = '**x**\n' + '✓ ünïcödé line\n'.repeat(120_000);
    const fitted = fitSummary(huge);
    expect(Buffer.byteLength(huge)).toBeGreaterThan(1024 * 1024);
    expect(Buffer.byteLength(fitted)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT);
    expect(fitted).toContain('Truncated');
  });

  test('user content in the apply summary is escaped', () => {
    const md = applySummary('s', [{ address: 'bucket.<img src=x>', action: 'create', status: 'failed', message: 'AccessDenied ```' }]);
    expect(md).toContain('bucket.&lt;img src=x&gt;');
    expect(md).not.toContain('<img');
    expect(md).toContain("AccessDenied '''");
  });
});
