/** S3's LocationConstraint: empty/null/absent means us-east-1, and the legacy `EU` means eu-west-1. */
export function regionFromLocation(location: string | null | undefined): string {
  if (location === undefined || location === null || location === '') return 'us-east-1';
  if (location === 'EU') return 'eu-west-1';
  return location;
}
