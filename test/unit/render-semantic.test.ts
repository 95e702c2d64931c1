import { describe, expect, test } from 'vitest';
import { classifyReadError } from '../../src/aws/errors.js';
import { toDesired } from '../../src/config/to-desired.js';
import { validateFile } from '../../src/config/validate.js';
import type { Observed } from '../../src/core/types.js';
import { FORMAT_VERSION, summarize, type Plan } from '../../src/plan/model.js';
import { planChanges } from '../../src/plan/planner.js';
import { renderJson } from '../../src/plan/render/json.js';
import { renderMarkdown } from '../../src/plan/render/markdown.js';
import { renderText } from '../../src/plan/render/text.js';
import { handlerFor } from '../../src/resources/registry.js';
import { readCase } from '../support/corpus.js';

async function planOf(name: string): Promise<Plan> {
  const { file, observed } = readCase(name);
  const { config } = await validateFile(file);
  const desired = toDesired(config!);
  const map = new Map<string, Observed>(
    desired.map((d) => {
      const answer = observed[d.address];
      if (!answer || 'error' in answer) return [d.address, { exists: false }];
      return [d.address, { exists: true, spec: answer.spec }];
    }),
  );
  const { changes, errors } = planChanges({ desired, observed: map, handlerFor });
  return { formatVersion: FORMAT_VERSION, toolVersion: 'test', stack: 'corpus', fileHash: 'x', file, createdAt: 'now', changes, errors, summary: summarize(changes) };
}

const ADDED = '+ Allow s3:DeleteObject on arn:aws:s3:::acme-uploads/* [broadens permissions]';

describe('semantic plans in every format', () => {
  test('fixture 11: the text plan shows the added action in one line, flagged, not a JSON patch', async () => {
    const text = renderText(await planOf('11-action-added'));
    expect(text).toContain(`      ${ADDED}\n`);
    expect(text).toContain('~ policy.acme-uploads-rw (iam.policy) ⚠ broadens permissions');
    expect(text).toContain('⚠ 1 change broadens permissions: policy.acme-uploads-rw');
    expect(text).not.toMatch(/"op"|\/Statement\/|"replace"/);
    expect(text.trim().split('\n').filter((l) => l.includes('s3:DeleteObject'))).toHaveLength(1);
  });

  test('text, Markdown and JSON carry the same semantic lines and flags', async () => {
    const plan = await planOf('11-action-added');
    const markdown = renderMarkdown(plan);
    expect(markdown).toContain(`+     ${ADDED}`);
    expect(markdown).toContain('⚠ broadens permissions');
    expect(markdown).toContain('[!WARNING]');
    const json = JSON.parse(renderJson(plan)) as Plan;
    expect(json.formatVersion).toBe(FORMAT_VERSION);
    const change = json.changes.find((c) => c.address === 'policy.acme-uploads-rw');
    expect(change?.broadens).toBe(true);
    expect(change?.details).toEqual([{ op: 'add', path: 'document', text: 'Allow s3:DeleteObject on arn:aws:s3:::acme-uploads/*', broadens: true }]);
  });

  test('a cosmetic change is shown, marked cosmetic, in every format', async () => {
    const plan = await planOf('08-expose-headers-case');
    const line = '~ rules[0].ExposeHeaders: + ETag, - etag (case only) (cosmetic)';
    expect(renderText(plan)).toContain(line);
    expect(renderMarkdown(plan)).toContain(line);
    expect(JSON.parse(renderJson(plan)).changes[1].details[0].cosmetic).toBe(true);
  });

  test('the tool\'s own tags are never shown as a user change, only noted', async () => {
    const text = renderText(await planOf('09c-no-tag-set'));
    expect(text).not.toContain('+ tag reconcile:stack');
    expect(text).toContain("# also writes the tool's own tags: reconcile:stack");
  });

  test('--explain lists each difference judged equivalent with its rule; without it, nothing', async () => {
    const plan = await planOf('01-policy-reordered');
    expect(renderText(plan)).toBe('No changes.\n');
    const text = renderText(plan, undefined, { explain: true });
    expect(text).toContain('Judged equivalent (not changes):');
    expect(text).toContain('document.Statement: statement order (statements are a set) (as AWS returned it)');
    expect(text).toMatch(/document\.Statement\[\d\]\.Action: list order \(a set\)/);
    expect(text).toMatch(/document\.Statement\[\d\]\.Sid: empty Sid ≡ no Sid/);
    const markdown = renderMarkdown(plan, { explain: true });
    expect(markdown).toContain('statement order \\(statements are a set\\)');
    expect(JSON.parse(renderJson(plan)).changes[0].equivalences.length).toBeGreaterThanOrEqual(4);
  });

  test('an explained URL-encoded document names the rule', async () => {
    const text = renderText(await planOf('05a-url-encoded'), undefined, { explain: true });
    expect(text).toContain('document: URL-encoded document — decoded as a URI component (a literal + stays +) (as AWS returned it)');
  });
});

describe('reading S3 error answers', () => {
  test.each([
    ['NoSuchCORSConfiguration', 'absent'],
    ['NoSuchTagSet', 'absent'],
    ['NoSuchBucketPolicy', 'absent'],
    ['NoSuchLifecycleConfiguration', 'absent'],
    ['NoSuchPublicAccessBlockConfiguration', 'absent'],
    ['ServerSideEncryptionConfigurationNotFoundError', 'absent'],
    ['OwnershipControlsNotFoundError', 'absent'],
    ['NoSuchBucket', 'bucket-missing'],
    ['AccessDenied', 'error'],
    ['SlowDown', 'error'],
  ])('%s → %s', (code, meaning) => {
    expect(classifyReadError({ name: code })).toBe(meaning);
  });
});

describe('a plan with errors never ends with "No changes."', () => {
  const base = { formatVersion: FORMAT_VERSION, toolVersion: 'test', stack: 's', fileHash: 'x', file: 'storage.yaml', createdAt: 'now', changes: [], summary: summarize([]) };
  const failed: Plan = { ...base, errors: [{ address: 'bucket.acme', source: '/buckets/acme', message: 'exists in us-east-1; a bucket region cannot change' }] };

  test('text and markdown say the plan failed and how many errors', () => {
    const text = renderText(failed);
    expect(text).toContain('error bucket.acme: exists in us-east-1');
    expect(text).not.toContain('No changes.');
    expect(text.trimEnd().split('\n').at(-1)).toBe('Plan failed: 1 error(s); nothing else would change.');
    const md = renderMarkdown(failed);
    expect(md).not.toContain('No changes.');
    expect(md).toContain('**Plan failed: 1 error(s); nothing else would change.**');
  });

  test('a plan without errors still says No changes.', () => {
    expect(renderText({ ...base, errors: [] })).toBe('No changes.\n');
  });
});
