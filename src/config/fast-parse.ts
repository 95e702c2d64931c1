import jsyaml from 'js-yaml';
import { isObject } from './rules/view.js';
import { MAX_DEPTH } from './yaml-guards.js';

/**
 * Anything that needs the careful parser's structural checks: anchors or aliases (alias bombs;
 * shared nodes), explicit or collection keys, tabs, document markers. Conservative: a match only
 * means "take the slow path", never a diagnostic. An anchor or alias starts a node, so it follows
 * whitespace or a flow indicator; `s3:*` and `arn:aws:s3:::b/*` are plain scalars, and an alias
 * this misses still shows as a shared collection after the load (`sharesNodes`).
 */
const NEEDS_CAREFUL_PARSE = /(?:^|[\s[\]{},])[&*][^\s[\]{},]|^\s*\?(?:\s|$)|\{\s*[[{]|\t|^(?:---|\.\.\.)(?:\s|$)/m;

/** True when one collection is reachable twice (an alias); stops at the first, so bombs never expand. */
function sharesNodes(value: unknown): boolean {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node !== 'object' || node === null) continue;
    if (seen.has(node)) return true;
    seen.add(node);
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push(child);
  }
  return false;
}

function depthWithin(value: unknown, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: unknown; depth: number };
    const children = Array.isArray(node) ? node : isObject(node) ? Object.values(node) : [];
    if (children.length === 0) continue;
    if (depth > limit) return false;
    for (const child of children) stack.push({ node: child, depth: depth + 1 });
  }
  return true;
}

/**
 * The top-level mapping of an ordinary, well-formed file, read about ten times faster than with
 * positions; undefined whenever the file is unusual or broken in any way (the careful parse then
 * finds and locates the problem). Both parsers read YAML 1.2's core schema, so values agree.
 */
/**
 * A quoted scalar that runs onto the next line: js-yaml and the careful parser disagree on how
 * far such a line may be indented, so it takes the careful path. Conservative: any line whose
 * quotes (outside a comment) do not pair up, e.g. `description: Bob's bucket`, counts.
 */
function opensMultilineQuote(text: string): boolean {
  for (const line of text.split('\n')) {
    if (!line.includes('"') && !line.includes("'")) continue;
    const code = line.replace(/(^|\s)#.*$/, '').replace(/\\./g, '');
    if ((code.split('"').length - 1) % 2 === 1 || (code.split("'").length - 1) % 2 === 1) return true;
  }
  return false;
}

export function fastParse(text: string): Record<string, unknown> | undefined {
  if (NEEDS_CAREFUL_PARSE.test(text) || opensMultilineQuote(text)) return undefined;
  let value: unknown;
  try {
    value = jsyaml.load(text, { schema: jsyaml.CORE_SCHEMA, json: false });
  } catch {
    return undefined;
  }
  // shared nodes first: walking an alias bomb's expansion (depthWithin) would never end
  if (!isObject(value) || sharesNodes(value) || !depthWithin(value, MAX_DEPTH)) return undefined;
  return value;
}
