import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { validateFile } from '../../../src/config/validate.js';
import { repoRoot, runCli } from '../../support/aws.js';

/** storage.yaml and every examples/*.yaml must validate (warnings allowed) with exit 0. */
const files = ['storage.yaml', ...readdirSync(join(repoRoot, 'examples')).filter((f) => f.endsWith('.yaml')).sort().map((f) => `examples/${f}`)];

describe('the repository storage.yaml and examples validate', () => {
  test('there are examples to check', () => {
    expect(files.length).toBeGreaterThan(1);
  });

  test.each(files)('%s', async (file) => {
    const validated = await validateFile(join(repoRoot, file));
    expect(validated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(validated.config).toBeDefined();
    const result = await runCli(['validate', '-f', file]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('is valid');
  });
});
