import { readdirSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { classifyReadError } from '../../src/aws/errors.js';
import { toDesired } from '../../src/config/to-desired.js';
import { validateFile } from '../../src/config/validate.js';
import type { Observed } from '../../src/core/types.js';
import { planChanges } from '../../src/plan/planner.js';
import { detailLine, userDetails } from '../../src/plan/render/details.js';
import { handlerFor } from '../../src/resources/registry.js';
import { corpusDir, readCase, type ExpectedChange, type ObservedAnswer } from '../support/corpus.js';

/** What observe makes of an answer; AccessDenied and other errors are never "absent". */
function toObserved(answer: ObservedAnswer | undefined): Observed {
  if (answer === undefined) return { exists: false };
  if ('spec' in answer) return { exists: true, spec: answer.spec };
  const meaning = classifyReadError({ name: answer.error });
  if (meaning === 'error') throw new Error(`${answer.error} is an error, never "absent"`);
  return { exists: false };
}

const cases = readdirSync(corpusDir, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name)
  .sort();

describe('normalization corpus', () => {
  test('holds the cases the issue lists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  test.each(cases)('%s', async (name) => {
    const { file, observed, expected } = readCase(name);
    const validated = await validateFile(file);
    expect(validated.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const desired = toDesired(validated.config!);
    const observedMap = new Map(desired.map((d) => [d.address, toObserved(observed[d.address])]));
    const { changes, errors } = planChanges({ desired, observed: observedMap, handlerFor });

    expect(Object.fromEntries(errors.map((e) => [e.address, e.message]))).toEqual(
      Object.fromEntries(Object.entries(expected.errors ?? {}).map(([address, text]) => [address, expect.stringContaining(text)])),
    );
    const planned: Record<string, ExpectedChange> = {};
    for (const c of changes.filter((c) => c.action !== 'no-op')) {
      const want = expected.changes?.[c.address];
      planned[c.address] = {
        action: c.action,
        ...(want?.details ? { details: userDetails(c).map(detailLine) } : {}),
        ...(want?.internal ? { internal: (c.details ?? []).filter((d) => d.internal).map((d) => d.path) } : {}),
        ...(want?.broadens !== undefined ? { broadens: c.broadens === true } : {}),
      };
    }
    expect(planned, expected.reason).toEqual(expected.changes ?? {});
    for (const [address, rules] of Object.entries(expected.explain ?? {})) {
      const listed = (changes.find((c) => c.address === address)?.equivalences ?? []).map((e) => e.rule);
      for (const rule of rules) expect(listed, `${address} explains "${rule}"`).toContain(rule);
    }
  });
});
