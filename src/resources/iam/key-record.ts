/**
 * Access keys cannot be tagged, so which keys this tool created is recorded on the user, in the
 * `reconcile:access-keys` tag: `AKIA…=pending AKIA…=ok`. `pending`: created, not yet delivered
 * (if a run stops there, the secret is lost and the key is deleted on the next run); `ok`:
 * delivered. Keys not listed are foreign and never touched.
 */
export type KeyRecordState = 'pending' | 'ok';
export type KeyRecord = Map<string, KeyRecordState>;

export function parseKeyRecord(value: string | undefined): KeyRecord {
  const record: KeyRecord = new Map();
  for (const entry of (value ?? '').split(/\s+/)) {
    const [id, state] = entry.split('=');
    if (id && (state === 'pending' || state === 'ok')) record.set(id, state);
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
