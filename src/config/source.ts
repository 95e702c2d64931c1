import { isMap, isPair, isScalar, isSeq, LineCounter, type Document, type Node, type Pair, type YAMLMap } from 'yaml';
import type { SourcePosition } from '../core/diagnostics.js';
import { narrowToPath, splitLines, type Line } from './narrow.js';

const MAX_NARROWED = 16;

/** A parsed storage.yaml: the YAML document plus what is needed to locate its nodes. */
export interface SourceFile {
  path: string;
  text: string;
  lineCounter: LineCounter;
  /** A YAML tree whose nodes along `pointer` (and below it) carry their true source ranges. */
  docFor(pointer: string): Document.Parsed;
}

export function eagerSource(path: string, text: string, doc: Document.Parsed, lineCounter: LineCounter): SourceFile {
  return { path, text, lineCounter, docFor: () => doc };
}

export function lineCounterOf(text: string): LineCounter {
  const counter = new LineCounter();
  counter.addNewLine(0);
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) counter.addNewLine(i + 1);
  return counter;
}

/**
 * A source whose YAML trees are built on first use: a valid file read by the fast parser never
 * needs positions, and one diagnostic in a large file needs the tree of its own entry only
 * (narrow.ts), not the much slower position-keeping parse of the whole file.
 */
export function lazySource(path: string, text: string, parse: (text: string) => Document.Parsed): SourceFile {
  let lineCounter: LineCounter | undefined;
  let whole: Document.Parsed | undefined;
  let lines: Line[] | undefined;
  const partial = new Map<string, Document.Parsed>();
  return {
    path,
    text,
    get lineCounter() {
      return (lineCounter ??= lineCounterOf(text));
    },
    docFor(pointer) {
      if (whole) return whole;
      // each narrowing costs a pass over the text: past a few, one whole parse is cheaper
      if (partial.size >= MAX_NARROWED) return (whole = parse(text));
      const narrowed = narrowToPath(text, splitPointer(pointer), (lines ??= splitLines(text)));
      if (!narrowed) return (whole = parse(text));
      let doc = partial.get(narrowed.key);
      if (!doc) {
        doc = parse(narrowed.text);
        if (doc.errors.length > 0) return (whole = parse(text));
        partial.set(narrowed.key, doc);
      }
      return doc;
    },
  };
}

export function positionOf(source: SourceFile, offset: number): SourcePosition {
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.path, line, col };
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function joinPointer(parts: readonly (string | number)[]): string {
  return parts.map((p) => '/' + String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

interface Located {
  node: Node | null;
  pair: Pair | null;
}

const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();

/** The pair of a mapping by key, indexed once per mapping so locating stays O(depth). First key wins. */
function pairByKey(map: YAMLMap, key: string): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const item of map.items) {
      if (isPair(item) && isScalar(item.key)) {
        const name = String(item.key.value);
        if (!index.has(name)) index.set(name, item);
      }
    }
    pairIndex.set(map, index);
  }
  return index.get(key);
}

/** Walk a JSON Pointer through the YAML tree, as far as it goes. */
function walk(source: SourceFile, pointer: string): { found: Located; complete: boolean } {
  let node: Node | null = source.docFor(pointer).contents as Node | null;
  let pair: Pair | null = null;
  for (const part of splitPointer(pointer)) {
    if (isMap(node)) {
      const match = pairByKey(node, part);
      if (!match) return { found: { node, pair }, complete: false };
      pair = match;
      node = (match.value as Node | null) ?? null;
    } else if (isSeq(node)) {
      const item = node.items[Number(part)];
      if (item === undefined) return { found: { node, pair }, complete: false };
      pair = null;
      node = item as Node;
    } else {
      return { found: { node, pair }, complete: false };
    }
  }
  return { found: { node, pair }, complete: true };
}

/**
 * Position of the value at a JSON Pointer, or of the nearest existing ancestor.
 * With `key: true`, the position of the mapping key instead of its value.
 */
export function locate(source: SourceFile, pointer: string, opts: { key?: boolean } = {}): SourcePosition {
  const { found } = walk(source, pointer);
  const keyNode = found.pair && isScalar(found.pair.key) ? found.pair.key : null;
  const target = opts.key && keyNode ? keyNode : (found.node ?? keyNode);
  const offset = target?.range?.[0] ?? 0;
  return positionOf(source, offset);
}

export function lineText(source: SourceFile, line: number): string {
  const start = source.lineCounter.lineStarts[line - 1];
  if (start === undefined) return '';
  const end = source.lineCounter.lineStarts[line] ?? source.text.length;
  return source.text.slice(start, end).replace(/\r?\n$/, '');
}
