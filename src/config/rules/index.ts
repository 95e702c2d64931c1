import type { Diagnostic } from '../../core/diagnostics.js';
import type { SourceFile } from '../source.js';
import { bucketNameRules } from './bucket-names.js';
import { bucketSettingRules } from './bucket-settings.js';
import { createContext, type RuleFamily } from './context.js';
import { controlCharRules } from './control-chars.js';
import { corsRules } from './cors.js';
import { iamNameRules } from './iam-names.js';
import { policyDocumentRules } from './policy-documents.js';
import { referenceRules } from './references.js';
import { regionRules } from './regions.js';
import { riskyRules } from './risky.js';
import { tagRules } from './tags.js';

/**
 * Every rule family, run on every file (even one with schema errors: all problems at once).
 * To add checks for a new setting, add a family here (or extend the one it belongs to).
 */
export const RULE_FAMILIES: readonly RuleFamily[] = [
  controlCharRules,
  bucketNameRules,
  regionRules,
  corsRules,
  bucketSettingRules,
  tagRules,
  iamNameRules,
  policyDocumentRules,
  referenceRules,
  riskyRules,
];

export function runRules(source: SourceFile, root: Record<string, unknown>): Diagnostic[] {
  const out: Diagnostic[] = [];
  const ctx = createContext(source, root, out);
  for (const family of RULE_FAMILIES) family.check(ctx);
  return out;
}
