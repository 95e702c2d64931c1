import type { Recorder } from '../../core/semantics.js';

/** S3's LocationConstraint: empty/null/absent means us-east-1, and the legacy `EU` means eu-west-1. */
export function regionFromLocation(location: string | null | undefined, recorder?: Recorder, path = 'region'): string {
  if (location === undefined || location === null || location === '') {
    recorder?.note({ rule: 'empty LocationConstraint ≡ us-east-1', path, detail: `${JSON.stringify(location ?? null)} → "us-east-1"` });
    return 'us-east-1';
  }
  if (location === 'EU') {
    recorder?.note({ rule: '`EU` ≡ eu-west-1', path, detail: '"EU" → "eu-west-1"' });
    return 'eu-west-1';
  }
  return location;
}
