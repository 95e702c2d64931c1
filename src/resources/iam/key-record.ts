/**
 * Access keys cannot be tagged, so which keys this tool created is recorded on the user, in the
 * `reconcile:access-keys` tag: `AKIA…=pending AKIA…=ok`. `pending`: created, not yet delivered
 * (if a run stops there, the secret is lost and the key is deleted on the next run); `ok`:
 * delivered; `retired`: deactivated by a rotation of this tool (deleted on a later run). Keys
 * not listed are foreign and never touched.
 *
 * Right before CreateAccessKey the tag also carries `intent=<epoch ms>`: a run killed between
 * AWS creating the key and the record naming it leaves that marker, and the key created within
 * INTENT_WINDOW_MS of it is claimed as ours (pending) instead of looking foreign forever.
 */
export type KeyRecordState = 'pending' | 'ok' | 'retired';
const STATES: readonly string[] = ['pending', 'ok', 'retired'] satisfies readonly KeyRecordState[];

function isState(value: string | undefined): value is KeyRecordState {
  return value !== undefined && STATES.includes(value);
}
export type KeyRecord = Map<string, KeyRecordState>;

export function parseKeyRecord(value: string | undefined): KeyRecord {
  const record: KeyRecord = new Map();
  for (const entry of (value ?? '').split(/\s+/)) {
    const [id, state] = entry.split('=');
    if (id && id !== INTENT && isState(state)) record.set(id, state);
  }
  return record;
}

/** Tag values hold at most 256 characters: two or three 20-character ids fit easily. */
export function formatKeyRecord(record: KeyRecord): string {
  return [...record.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, state]) => `${id}=${state}`)
    .join(' ');
}

const INTENT = 'intent';
/** Covers the request's own latency and clock skew between this machine and AWS. */
export const INTENT_WINDOW_MS = 5 * 60_000;

/** The time a run announced it was about to create a key, when the marker is there. */
export function parseCreateIntent(value: string | undefined): number | undefined {
  for (const entry of (value ?? '').split(/\s+/)) {
    const [name, at] = entry.split('=');
    if (name === INTENT && at && /^\d+$/.test(at)) return Number(at);
  }
  return undefined;
}

export function formatWithIntent(record: KeyRecord, intentAt: number): string {
  return [formatKeyRecord(record), `${INTENT}=${intentAt}`].filter(Boolean).join(' ');
}

/**
 * The record with the key an interrupted create left unrecorded claimed as `pending`: an
 * unrecorded key created within the window of the marker. Pure; the input is not changed.
 */
export function claimInterruptedCreate(record: KeyRecord, intentAt: number | undefined, keys: readonly { id: string; created: string }[]): KeyRecord {
  const claimed: KeyRecord = new Map(record);
  if (intentAt === undefined) return claimed;
  for (const key of keys) {
    if (!claimed.has(key.id) && Math.abs(Date.parse(key.created) - intentAt) <= INTENT_WINDOW_MS) claimed.set(key.id, 'pending');
  }
  return claimed;
}
