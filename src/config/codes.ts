/**
 * Every diagnostic code `reconcile validate` can emit, with a one-line title. Codes are a public
 * contract (CI scripts match on them): never renumber or reuse one; add new codes at the end of
 * their family.
 *
 *   RC1xxx file and YAML structure   RC2xxx schema shape        RC3xxx references
 *   RC40xx bucket names              RC41xx regions             RC42xx bucket settings
 *   RC5xxx CORS                      RC6xxx tags                RC7xxx IAM names and paths
 *   RC8xxx policy documents
 *   RC9xxx risky but legal (warnings; errors with --strict)
 */
export const CODES = {
  RC1001: 'file cannot be read',
  RC1002: 'file too large',
  RC1003: 'file is not valid UTF-8',
  RC1004: 'YAML syntax error',
  RC1005: 'file is empty',
  RC1006: 'several YAML documents',
  RC1007: 'duplicate key',
  RC1008: 'alias expands too much (alias bomb)',
  RC1009: 'tab used for indentation',
  RC1010: 'byte-order mark',
  RC1011: 'top level is not a mapping',
  RC1012: 'nesting too deep',
  RC1013: 'unresolved alias',
  RC1014: 'mapping key is not a plain string',
  RC1015: 'unsupported YAML tag',
  RC1016: 'YAML merge key',

  RC2001: 'value does not match the schema',
  RC2002: 'unknown key',
  RC2003: 'missing required key',
  RC2004: 'wrong type',
  RC2005: 'value not allowed',
  RC2006: 'unsupported file format version',
  RC2007: 'policy needs exactly one of grants or document',
  RC2008: 'too many or too few items',
  RC2009: 'string too long, too short or malformed',
  RC2010: 'control character (newline, tab, ...) in a string',

  RC3001: 'attached policy is neither declared nor an ARN',
  RC3002: 'grant names a bucket that is not declared',
  RC3003: 'policy is not attached to any user',
  RC3004: 'malformed policy ARN',
  RC3005: 'policy attached twice',
  RC3006: 'malformed bucket ARN in a grant',
  RC3007: 'grant prefix with a leading / or a wildcard',

  RC4001: 'bucket name length',
  RC4002: 'bucket name has invalid characters',
  RC4003: 'bucket name must begin and end with a letter or digit',
  RC4004: 'bucket name has adjacent periods',
  RC4005: 'bucket name formatted like an IP address',
  RC4006: 'bucket name has a reserved prefix',
  RC4007: 'bucket name has a reserved suffix',
  RC4008: 'bucket name with periods',
  RC4009: 'legacy bucket name (adoption only)',

  RC4101: 'unknown AWS region',

  RC4201: 'duplicate lifecycle rule ID',
  RC4202: 'bucket policy statement without Principal',
  RC4203: 'bucket policy names another resource than its bucket',
  RC4204: 'noncurrent-version lifecycle action on an unversioned bucket',
  RC4205: 'unencrypted bucket requested',

  RC5001: 'CORS method not allowed',
  RC5002: 'more than 100 CORS rules',
  RC5003: 'CORS rule without AllowedOrigins',
  RC5004: 'CORS rule without AllowedMethods',
  RC5005: 'CORS origin with more than one *',
  RC5006: 'CORS allowed header with more than one *',
  RC5007: 'CORS ExposeHeaders with a wildcard',
  RC5008: 'CORS MaxAgeSeconds not a non-negative integer',
  RC5009: 'duplicate CORS rule',
  RC5010: 'CORS origin that no browser sends (path, trailing slash, no scheme)',

  RC6001: 'more than 50 tags on a resource',
  RC6002: 'tag key length',
  RC6003: 'tag value length',
  RC6004: 'tag key or value has invalid characters',
  RC6005: 'tag key with the aws: prefix',
  RC6006: "tag key reserved for reconcile's own tags",

  RC7001: 'invalid IAM user name',
  RC7002: 'invalid IAM policy name',
  RC7003: 'invalid IAM path',
  RC7004: 'IAM user names differ only in case',
  RC7005: 'IAM policy names differ only in case',

  RC8001: 'policy document without Version',
  RC8002: 'policy document Version is not 2012-10-17',
  RC8003: 'policy document without statements',
  RC8004: 'statement Effect is not Allow or Deny',
  RC8005: 'statement needs exactly one of Action or NotAction',
  RC8006: 'statement needs exactly one of Resource or NotResource',
  RC8007: 'malformed action',
  RC8008: 'malformed resource ARN',
  RC8009: 'compiled policy document longer than 6,144 characters',
  RC8010: 'Principal in an identity policy',
  RC8011: 'invalid or duplicate statement Sid',

  RC9001: 'CORS allows any origin to write',
  RC9002: 'CORS upload methods without ETag exposed',
  RC9003: 'CORS rule shadowed by an earlier rule',
  RC9004: 'policy allows every action',
  RC9005: 'policy allows every resource',
  RC9006: 'bucket policy allows anyone (Principal *)',
} as const;

export type Code = keyof typeof CODES;
