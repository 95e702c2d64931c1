import { describe, expect, test } from 'vitest';
import { claimInterruptedCreate, formatKeyRecord, formatWithIntent, INTENT_WINDOW_MS, parseCreateIntent, parseKeyRecord } from '../../src/resources/iam/key-record.js';
import { assessKeys, describeKeyStep, PENDING_KEY_GRACE_MS, type KeyInfo } from '../../src/resources/iam/key-rotation.js';

const now = new Date('2030-03-01T00:00:00Z');
const daysAgo = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
const key = (id: string, status: KeyInfo['status'], age: number): KeyInfo => ({ id, status, created: daysAgo(age) });
const ops = (steps: { op: string; id?: string }[]) => steps.map((s) => `${s.op}${s.id ? ` ${s.id}` : ''}`);

describe('key record tag', () => {
  test('round-trips and ignores garbage', () => {
    const record = parseKeyRecord('AKIA2=ok junk AKIA1=pending x=y');
    expect([...record.entries()]).toEqual([['AKIA2', 'ok'], ['AKIA1', 'pending']]);
    expect(formatKeyRecord(record)).toBe('AKIA1=pending AKIA2=ok');
  });
});

describe('a create interrupted before the record named its key', () => {
  const at = now.getTime();
  test('the intent marker round-trips beside the record and is not a key', () => {
    const value = formatWithIntent(parseKeyRecord('A=ok'), { at, token: 'ab12' });
    expect(value).toBe(`A=ok intent=${at}:ab12`);
    expect(parseCreateIntent(value)).toEqual({ at, token: 'ab12' });
    expect(parseCreateIntent(`A=ok intent=${at}`)).toEqual({ at });
    expect([...parseKeyRecord(value).keys()]).toEqual(['A']);
    expect(parseCreateIntent('A=ok')).toBeUndefined();
  });
  test('the unrecorded key created near the marker is claimed as pending (then deleted and replaced); keys far from it stay foreign', () => {
    const keys = [key('A', 'Active', 10), { id: 'N', status: 'Active' as const, created: new Date(at + 1_500).toISOString() }, key('F', 'Active', 3)];
    const claimed = claimInterruptedCreate(parseKeyRecord('A=ok'), { at }, keys);
    expect([...claimed.entries()].sort()).toEqual([['A', 'ok'], ['N', 'pending']]);
    // the claimed key is older than the grace for keys in flight (real clock vs CreateDate)
    expect(ops(assessKeys(keys, claimed, { now, realNow: at + 11 * 60_000 }).steps)).toEqual(['delete N']);
  });
  test('without a marker nothing is claimed; the window bounds what is', () => {
    const late = [{ id: 'L', status: 'Active' as const, created: new Date(at + INTENT_WINDOW_MS + 1_000).toISOString() }];
    expect(claimInterruptedCreate(new Map(), undefined, late).size).toBe(0);
    expect(claimInterruptedCreate(new Map(), { at }, late).size).toBe(0);
  });
  test('claiming does not change the record it was given', () => {
    const record = parseKeyRecord('');
    claimInterruptedCreate(record, { at }, [{ id: 'N', created: new Date(at).toISOString() }]);
    expect(record.size).toBe(0);
  });
});

describe('assessKeys', () => {
  test('no key of ours: create one', () => {
    expect(ops(assessKeys([], new Map(), { now }).steps)).toEqual(['create']);
  });
  test('a current key of ours: nothing to do (apply twice never creates a second key)', () => {
    expect(assessKeys([key('A', 'Active', 5)], parseKeyRecord('A=ok'), { now, rotateAfterDays: 30 }).steps).toEqual([]);
  });
  test('due: create first, then deactivate the old key; a later run deletes it', () => {
    expect(ops(assessKeys([key('A', 'Active', 30)], parseKeyRecord('A=ok'), { now, rotateAfterDays: 30 }).steps)).toEqual(['create', 'deactivate A']);
    expect(ops(assessKeys([key('A', 'Inactive', 30), key('B', 'Active', 0)], parseKeyRecord('A=retired B=ok'), { now, rotateAfterDays: 30 }).steps)).toEqual(['delete A']);
    expect(assessKeys([key('A', 'Inactive', 30), key('B', 'Active', 0)], parseKeyRecord('A=retired B=ok'), { now, retiredThisRun: new Set(['A']) }).steps).toEqual([]);
  });
  test('a key created by an interrupted run and never delivered is deleted, then replaced', () => {
    expect(ops(assessKeys([key('A', 'Active', 1)], parseKeyRecord('A=pending'), { now, realNow: now.getTime() }).steps)).toEqual(['delete A', 'create']);
  });
  test('a pending key younger than the grace belongs to a concurrent apply: blocked, never deleted', () => {
    const created = now.getTime() - 30_000;
    const keys: KeyInfo[] = [{ id: 'P', status: 'Active', created: new Date(created).toISOString() }];
    const young = assessKeys(keys, parseKeyRecord('P=pending'), { now, realNow: now.getTime() });
    expect(young.steps).toEqual([]);
    expect(young.blocked).toMatch(/another apply is creating a key for this user right now: P \(created 30 s ago\).*--lock-bucket/);
    // the injected clock (RECONCILE_NOW) does not age it: only the real clock does
    expect(assessKeys(keys, parseKeyRecord('P=pending'), { now: new Date(now.getTime() + 90 * 86_400_000), realNow: now.getTime() }).blocked).toBeDefined();
    expect(ops(assessKeys(keys, parseKeyRecord('P=pending'), { now, realNow: created + PENDING_KEY_GRACE_MS + 1 }).steps)).toEqual(['delete P', 'create']);
    // the key this very run is creating is not someone else's
    expect(assessKeys(keys, parseKeyRecord('P=pending'), { now, realNow: now.getTime(), createdThisRun: new Set(['P']) }).blocked).toBeUndefined();
  });
  test('only a key the rotation retired is described as retired; one deactivated by someone else is said so, deleted and replaced', () => {
    const retired = assessKeys([key('A', 'Inactive', 40), key('B', 'Active', 1)], parseKeyRecord('A=retired B=ok'), { now, rotateAfterDays: 30 });
    expect(retired.steps).toEqual([{ op: 'delete', id: 'A', why: 'retired by an earlier rotation', scheduled: true }]);
    expect(retired.scheduled).toBe(true);
    const byHand = assessKeys([key('A', 'Inactive', 5)], parseKeyRecord('A=ok'), { now, rotateAfterDays: 30 });
    expect(byHand.steps.map((s) => describeKeyStep(s, 'the file'))).toEqual([
      'delete A (deactivated outside reconcile, not by a rotation; a new key replaces it)',
      'create a new key (no active key of ours), verify it with STS, deliver it to the file',
    ]);
    expect(byHand.scheduled).toBeUndefined();
    expect(byHand.steps.some((s) => s.why.includes('retired'))).toBe(false);
    const besideCurrent = assessKeys([key('A', 'Inactive', 5), key('B', 'Active', 1)], parseKeyRecord('A=ok B=ok'), { now });
    expect(besideCurrent.steps.map((s) => describeKeyStep(s, 'x'))).toEqual(['delete A (deactivated outside reconcile, not by a rotation; the active key B stays)']);
  });
  test('the record keeps the retired state', () => {
    expect(formatKeyRecord(parseKeyRecord('B=ok A=retired C=bogus'))).toBe('A=retired B=ok');
  });
  test('a due rotation is scheduled (drift: pending); a missing key is not', () => {
    expect(assessKeys([key('A', 'Active', 31)], parseKeyRecord('A=ok'), { now, rotateAfterDays: 30 }).scheduled).toBe(true);
    expect(assessKeys([], new Map(), { now }).scheduled).toBeUndefined();
    expect(assessKeys([key('A', 'Active', 1)], parseKeyRecord('A=ok'), { now, rotateAfterDays: 30 }).scheduled).toBeUndefined();
  });
  test('accessKey: false deletes every key of ours, whatever its state, and never a foreign one', () => {
    const keys = [key('A', 'Active', 1), key('R', 'Inactive', 50), key('F', 'Active', 3)];
    const result = assessKeys(keys, parseKeyRecord('A=ok R=retired'), { now, none: true, rotateAfterDays: 30 });
    expect(ops(result.steps)).toEqual(['delete A', 'delete R']);
    expect(result.blocked).toBeUndefined();
    expect(assessKeys([key('F', 'Active', 3)], new Map(), { now, none: true }).steps).toEqual([]);
  });
  test('deleting the retired key is not enough room while the current key and a foreign key hold both slots', () => {
    const keys = [key('A', 'Inactive', 40), key('B', 'Active', 31), key('F', 'Active', 100)];
    const result = assessKeys(keys, parseKeyRecord('A=ok B=ok'), { now, rotateAfterDays: 30 });
    expect(result.blocked).toContain('F');
  });
  test('foreign keys filling the limit block the rotation and are named; they are never in any step', () => {
    const result = assessKeys([key('B', 'Active', 31), key('F', 'Active', 1)], parseKeyRecord('B=ok'), { now, rotateAfterDays: 30 });
    expect(result.blocked).toMatch(/limit of 2 access keys.*never touched: F/);
    expect(result.steps.some((s) => 'id' in s && s.id === 'F')).toBe(false);
  });
  test('two foreign keys and none of ours: blocked, not created', () => {
    const result = assessKeys([key('F1', 'Active', 1), key('F2', 'Inactive', 1)], new Map(), { now });
    expect(result.blocked).toContain('F1, F2');
  });
});
