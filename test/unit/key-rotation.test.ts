import { describe, expect, test } from 'vitest';
import { claimInterruptedCreate, formatKeyRecord, formatWithIntent, INTENT_WINDOW_MS, parseCreateIntent, parseKeyRecord } from '../../src/resources/iam/key-record.js';
import { assessKeys, type KeyInfo } from '../../src/resources/iam/key-rotation.js';

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
    const value = formatWithIntent(parseKeyRecord('A=ok'), at);
    expect(value).toBe(`A=ok intent=${at}`);
    expect(parseCreateIntent(value)).toBe(at);
    expect([...parseKeyRecord(value).keys()]).toEqual(['A']);
    expect(parseCreateIntent('A=ok')).toBeUndefined();
  });
  test('the unrecorded key created near the marker is claimed as pending (then deleted and replaced); keys far from it stay foreign', () => {
    const keys = [key('A', 'Active', 10), { id: 'N', status: 'Active' as const, created: new Date(at + 1_500).toISOString() }, key('F', 'Active', 3)];
    const claimed = claimInterruptedCreate(parseKeyRecord('A=ok'), at, keys);
    expect([...claimed.entries()].sort()).toEqual([['A', 'ok'], ['N', 'pending']]);
    expect(ops(assessKeys(keys, claimed, { now }).steps)).toEqual(['delete N']);
  });
  test('without a marker nothing is claimed; the window bounds what is', () => {
    const late = [{ id: 'L', status: 'Active' as const, created: new Date(at + INTENT_WINDOW_MS + 1_000).toISOString() }];
    expect(claimInterruptedCreate(new Map(), undefined, late).size).toBe(0);
    expect(claimInterruptedCreate(new Map(), at, late).size).toBe(0);
  });
  test('claiming does not change the record it was given', () => {
    const record = parseKeyRecord('');
    claimInterruptedCreate(record, at, [{ id: 'N', created: new Date(at).toISOString() }]);
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
    expect(ops(assessKeys([key('A', 'Inactive', 30), key('B', 'Active', 0)], parseKeyRecord('A=ok B=ok'), { now, rotateAfterDays: 30 }).steps)).toEqual(['delete A']);
    expect(assessKeys([key('A', 'Inactive', 30), key('B', 'Active', 0)], parseKeyRecord('A=ok B=ok'), { now, retiredThisRun: new Set(['A']) }).steps).toEqual([]);
  });
  test('a key created by an interrupted run and never delivered is deleted, then replaced', () => {
    expect(ops(assessKeys([key('A', 'Active', 0)], parseKeyRecord('A=pending'), { now }).steps)).toEqual(['delete A', 'create']);
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
