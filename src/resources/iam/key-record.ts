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
/**
 * How far from the marker a key's CreateDate may be and still be the one that run created: the
 * request's latency plus clock skew between this machine and AWS, and no more (a key a person
 * creates later stays foreign).
 */
export const INTENT_WINDOW_MS = 60_000;

/** A run's announcement that it is about to create a key: when, and which run (a random token). */
export interface CreateIntent {
  at: number;
  token?: string;
}

/** The time (and run) that announced a new key, when the marker is there. */
export function parseCreateIntent(value: string | undefined): CreateIntent | undefined {
  for (const entry of (value ?? '').split(/\s+/)) {
    const [name, rest] = entry.split('=');
    const m = name === INTENT && rest ? /^(\d+)(?::([a-z0-9]+))?$/.exec(rest) : null;
    if (m) return { at: Number(m[1]), ...(m[2] ? { token: m[2] } : {}) };
  }
  return undefined;
}

export function formatWithIntent(record: KeyRecord, intent: CreateIntent): string {
  return [formatKeyRecord(record), `${INTENT}=${intent.at}${intent.token ? `:${intent.token}` : ''}`].filter(Boolean).join(' ');
}

/**
 * The record with the key an interrupted create left unrecorded claimed as `pending`: an
 * unrecorded key created within the window of the marker. Pure; the input is not changed.
 */
export function claimInterruptedCreate(record: KeyRecord, intent: CreateIntent | undefined, keys: readonly { id: string; created: string }[]): KeyRecord {
  const claimed: KeyRecord = new Map(record);
  if (intent === undefined) return claimed;
  for (const key of keys) {
    if (!claimed.has(key.id) && Math.abs(Date.parse(key.created) - intent.at) <= INTENT_WINDOW_MS) claimed.set(key.id, 'pending');
  }
  return claimed;
}
