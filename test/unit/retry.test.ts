import { describe, expect, test } from 'vitest';
import { classifyError, withRetries, type RetryClass } from '../../src/apply/retry.js';

const awsError = (code: string, message = code, status = 400) => Object.assign(new Error(message), { name: code, Code: code, $metadata: { httpStatusCode: status } });

describe('retry classification', () => {
  const cases: { err: Error; dependsOnNew: boolean; expected: RetryClass; reason: string }[] = [
    { err: awsError('NoSuchEntity'), dependsOnNew: true, expected: 'propagation', reason: 'attach to a policy created this run' },
    { err: awsError('NoSuchEntity'), dependsOnNew: false, expected: 'fail', reason: 'nothing new: it really is missing' },
    { err: awsError('MalformedPolicy', 'Invalid principal in policy'), dependsOnNew: true, expected: 'propagation', reason: 'bucket policy naming a user created this run' },
    { err: awsError('MalformedPolicy', 'Invalid principal in policy'), dependsOnNew: false, expected: 'terminal', reason: 'a principal that does not exist' },
    { err: awsError('InvalidClientTokenId'), dependsOnNew: true, expected: 'propagation', reason: 'a new key not yet valid' },
    { err: awsError('OperationAborted', 'A conflicting conditional operation is in progress', 409), dependsOnNew: false, expected: 'conflict', reason: 'concurrent write to one bucket' },
    { err: awsError('AccessDenied', 'denied', 403), dependsOnNew: true, expected: 'terminal', reason: 'never retried' },
    { err: awsError('MalformedPolicyDocument', 'Syntax errors in policy.'), dependsOnNew: true, expected: 'terminal', reason: 'never retried' },
    { err: awsError('ValidationError'), dependsOnNew: true, expected: 'terminal', reason: 'never retried' },
  ];
  for (const c of cases) {
    test(`${c.err.name} (${c.reason}) → ${c.expected}`, () => {
      expect(classifyError(c.err, { dependsOnNew: c.dependsOnNew })).toBe(c.expected);
    });
  }
});

describe('withRetries', () => {
  function fakeClock() {
    let now = 0;
    const waits: number[] = [];
    return { waits, hooks: { now: () => now, sleep: async (ms: number) => void (waits.push(ms), (now += ms)), random: () => 1 } };
  }

  test('propagation is retried until it succeeds, each wait announced', async () => {
    const clock = fakeClock();
    let calls = 0;
    const announced: string[] = [];
    const result = await withRetries(
      async () => {
        if (++calls < 4) throw awsError('NoSuchEntity');
        return 'ok';
      },
      { ...clock.hooks, classify: () => 'propagation', onWait: (what) => announced.push(what) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(4);
    expect(announced).toEqual(['propagation', 'propagation', 'propagation']);
    expect(clock.waits).toEqual([1000, 2000, 4000]);
  });

  test('propagation gives up within 2 minutes and rethrows the last error', async () => {
    const clock = fakeClock();
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw awsError('NoSuchEntity');
      }, { ...clock.hooks, classify: () => 'propagation' }),
    ).rejects.toThrow('NoSuchEntity');
    expect(clock.waits.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(120_000);
    expect(calls).toBeGreaterThan(5);
  });

  test('terminal errors are never retried', async () => {
    let calls = 0;
    await expect(
      withRetries(async () => {
        calls++;
        throw awsError('AccessDenied');
      }, { classify: () => 'terminal' }),
    ).rejects.toThrow('AccessDenied');
    expect(calls).toBe(1);
  });
});
