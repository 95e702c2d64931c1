import { escapeControl } from '../../core/text.js';
import type { Path, RuleContext, RuleFamily } from './context.js';
import { isObject } from './view.js';

/** C0 controls (newline, CR, tab included) and DEL: no name, tag, CORS value, ID or description AWS takes needs one. */
const CONTROL = /[\u0000-\u001f\u007f]/;

const NAMES: Record<string, string> = { '\n': ' (newline)', '\r': ' (carriage return)', '\t': ' (tab)' };

/** `\n (newline)`, `\u0007`: how the offending character is shown (never raw). */
export function describeControl(text: string): string {
  const c = CONTROL.exec(text)?.[0] ?? '';
  return `${escapeControl(c)}${NAMES[c] ?? ''}`;
}

function walk(ctx: RuleContext, value: unknown, path: Path): void {
  if (typeof value === 'string') {
    if (CONTROL.test(value)) {
      ctx.report({
        code: 'RC2010',
        path,
        message: `the value contains a control character ${describeControl(value)}; AWS rejects it here, and in a CI log it could forge lines`,
        hint: 'remove it (a YAML block scalar | or > keeps newlines: use a plain or quoted one-line string)',
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(ctx, item, [...path, i]));
    return;
  }
  if (isObject(value)) {
    for (const [key, item] of Object.entries(value)) {
      if (CONTROL.test(key)) {
        ctx.report({ code: 'RC2010', path: [...path, key], key: true, message: `the key contains a control character ${describeControl(key)}`, hint: 'remove it' });
      }
      walk(ctx, item, [...path, key]);
    }
  }
}

/** Every string and mapping key of the file, wherever it is: names, tags, CORS, lifecycle IDs, descriptions, documents. */
export const controlCharRules: RuleFamily = {
  name: 'control characters',
  check(ctx) {
    walk(ctx, ctx.root, []);
  },
};
