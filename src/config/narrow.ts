/**
 * Locating one diagnostic in a large valid-YAML file should not cost a parse of the whole file
 * with positions (about 2 s for 10,000 resources). For a JSON Pointer into plain block mappings,
 * this finds the lines that hold the pointed-to entry and its ancestors' key lines, and blanks
 * everything else (same length, newlines kept), so the text parses to a tree with the same
 * offsets along that path. Anything it is unsure of (flow style, sequences, quoted or complex
 * keys, anchors, tags) stops the descent there; the caller parses that much (in the worst case,
 * all of the text) instead.
 */

export interface Line {
  start: number;
  /** Offset of the line's end, without its line break. */
  end: number;
  indent: number;
  /** Blank, or only a comment. */
  empty: boolean;
}

export function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let next = text.indexOf('\n', start);
    if (next === -1) next = text.length;
    const end = next > start && text.charCodeAt(next - 1) === 13 ? next - 1 : next;
    let indent = 0;
    while (start + indent < end && text.charCodeAt(start + indent) === 32) indent++;
    const first = text[start + indent];
    lines.push({ start, end, indent, empty: start + indent >= end || first === '#' });
    if (next >= text.length) break;
    start = next + 1;
  }
  return lines;
}

/** A plain key that starts a block-mapping entry: `name:` then end of line, a space or a comment. */
const PLAIN_KEY = /^([A-Za-z0-9_$][^:#'"{}[\],&*!|>%@`]*?)[ ]*:(?=[ ]|$)/;

interface Entry {
  key: string;
  line: number;
  /** What follows `key:` on its line, comments removed and trimmed. */
  inline: string;
}

function entryAt(text: string, line: Line, index: number): Entry | undefined {
  const content = text.slice(line.start + line.indent, line.end);
  const match = PLAIN_KEY.exec(content);
  if (!match) return undefined;
  const rest = content.slice(match[0].length);
  const inline = rest.replace(/(^|[ ])#.*$/, '').trim();
  return { key: (match[1] ?? '').trimEnd(), line: index, inline };
}

const CLOSER: Record<string, string> = { '[': ']', '{': '}', '"': '"', "'": "'" };

function unclosed(inline: string): boolean {
  const closer = CLOSER[inline[0] ?? ''];
  return closer !== undefined && (inline.length < 2 || !inline.endsWith(closer));
}

/** One past the last line of the block that starts at `first` and is indented more than `indent`. */
function blockEnd(lines: readonly Line[], first: number, indent: number): number {
  let i = first;
  while (i < lines.length) {
    const line = lines[i] as Line;
    if (!line.empty && line.indent <= indent) break;
    i++;
  }
  return i;
}

export interface Narrowed {
  /** The text with every line outside the path blanked; offsets unchanged. */
  text: string;
  /** Identifies the region kept, for caching: equal keys, equal texts. */
  key: string;
}

/**
 * The narrowed text for `parts` (a JSON Pointer split into keys), or undefined when the path
 * cannot be narrowed at all (the caller then parses the whole text).
 */
export function narrowToPath(text: string, parts: readonly string[], lines: readonly Line[] = splitLines(text)): Narrowed | undefined {
  const kept: number[] = [];
  let from = 0;
  let to = lines.length;
  let parentIndent = -1;
  let depth = 0;
  for (const part of parts) {
    let childIndent = -1;
    let found: Entry | undefined;
    let sure = true;
    for (let i = from; i < to; i++) {
      const line = lines[i] as Line;
      if (line.empty) continue;
      if (childIndent === -1) childIndent = line.indent;
      if (line.indent !== childIndent) {
        if (line.indent < childIndent) sure = false;
        continue;
      }
      const entry = entryAt(text, line, i);
      if (!entry) {
        sure = false;
        break;
      }
      if (unclosed(entry.inline)) {
        // a flow collection or quoted scalar that goes on below: its lines are no entries
        sure = false;
        break;
      }
      if (entry.key === part) {
        found = entry;
        break;
      }
    }
    if (!sure || childIndent <= parentIndent || !found) break;
    const end = blockEnd(lines, found.line + 1, childIndent);
    kept.push(found.line);
    from = found.line + 1;
    to = end;
    parentIndent = childIndent;
    depth++;
    // an inline value (scalar, flow collection, anchor, tag, block scalar header) ends the descent
    if (found.inline !== '') break;
  }
  if (depth === 0) return undefined;
  const keep = new Set(kept);
  const keptBody = { from, to };
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as Line;
    const next = i + 1 < lines.length ? (lines[i + 1] as Line).start : text.length;
    const raw = text.slice(line.start, next);
    out += keep.has(i) || (i >= keptBody.from && i < keptBody.to) ? raw : raw.replace(/[^\n]/g, ' ');
  }
  return { text: out, key: `${kept.join(',')}:${keptBody.from}-${keptBody.to}` };
}
