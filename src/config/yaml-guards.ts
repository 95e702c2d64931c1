import { isAlias, isMap, isPair, isScalar, isSeq, Lexer, type Alias, type Node, type Pair } from 'yaml';

/** Far deeper than any storage.yaml needs (a policy condition sits at depth 9). */
export const MAX_DEPTH = 64;

/** Lexer control tokens that stand for no source text. */
const CONTROL_TOKENS = new Set(['\x02', '\x18', '\x1f', '\ufeff']);

/**
 * Offset of the first flow collection (`[` or `{`) nested deeper than MAX_DEPTH, found with the
 * streaming lexer before the (recursive) composer sees the text; undefined when within bounds.
 */
export function tooDeepFlowOffset(text: string): number | undefined {
  let depth = 0;
  let offset = 0;
  for (const token of new Lexer().lex(text)) {
    if (token === '[' || token === '{') {
      depth++;
      if (depth > MAX_DEPTH) return offset;
    } else if (token === ']' || token === '}') {
      depth = Math.max(0, depth - 1);
    }
    if (!CONTROL_TOKENS.has(token)) offset += token.length;
  }
  return undefined;
}

export interface DuplicateKey {
  name: string;
  first: Pair;
  second: Pair;
}

export interface TreeFacts {
  duplicates: DuplicateKey[];
  /** Keys that are not plain scalars (`? [a, b]: x`). */
  complexKeys: Pair[];
  /** First node deeper than MAX_DEPTH. */
  tooDeep?: Node;
  /** The alias furthest into the file: where an expansion that is too large completes. */
  lastAlias?: Alias;
  /** Nodes with a tag other than JSON's types (`!!binary`, `!!set`, `!custom`). */
  unsupportedTags: Node[];
  /** `<<` keys: YAML 1.1 merge keys, which YAML 1.2 (and so this file) reads as a plain key. */
  mergeKeys: Pair[];
}

/** The tags a storage.yaml value may carry: JSON's types, spelled the YAML way. */
const JSON_TAGS = new Set(['str', 'int', 'float', 'bool', 'null', 'map', 'seq'].map((t) => `tag:yaml.org,2002:${t}`));

/** One iterative walk of the YAML tree (no recursion: depth is what we are guarding against). */
export function inspectTree(root: Node | null): TreeFacts {
  const facts: TreeFacts = { duplicates: [], complexKeys: [], unsupportedTags: [], mergeKeys: [] };
  if (!root) return facts;
  const stack: { node: Node; depth: number }[] = [{ node: root, depth: 1 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: Node; depth: number };
    if (isAlias(node)) {
      if (!facts.lastAlias || (node.range?.[0] ?? 0) > (facts.lastAlias.range?.[0] ?? 0)) facts.lastAlias = node;
      continue;
    }
    if (node.tag !== undefined && !JSON_TAGS.has(node.tag)) facts.unsupportedTags.push(node);
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > MAX_DEPTH) {
      if (!facts.tooDeep || (node.range?.[0] ?? 0) < (facts.tooDeep.range?.[0] ?? 0)) facts.tooDeep = node;
      continue;
    }
    if (isMap(node)) {
      const seen = new Map<string, Pair>();
      for (const item of node.items) {
        if (!isPair(item)) continue;
        if (isScalar(item.key)) {
          const name = String(item.key.value);
          if (name === '<<' && item.key.type === 'PLAIN') facts.mergeKeys.push(item);
          const first = seen.get(name);
          if (first) facts.duplicates.push({ name, first, second: item });
          else seen.set(name, item);
        } else if (item.key !== null && item.key !== undefined) {
          facts.complexKeys.push(item);
        }
        if (item.value) stack.push({ node: item.value as Node, depth: depth + 1 });
      }
    } else {
      for (const item of node.items) if (item) stack.push({ node: item as Node, depth: depth + 1 });
    }
  }
  return facts;
}

/** Byte offset of the first byte that is not part of a valid UTF-8 sequence, or -1. */
export function invalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}
