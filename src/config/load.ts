import { readFile } from 'node:fs/promises';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from '../core/diagnostics.js';
import { positionOf, type SourceFile } from './source.js';

export interface Loaded {
  source?: SourceFile;
  value?: unknown;
  diagnostics: Diagnostic[];
}

const MAX_BYTES = 10 * 1024 * 1024;

export async function loadFile(path: string): Promise<Loaded> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `file not found: ${path}` : `cannot read ${path}: ${(err as Error).message}`;
    return { diagnostics: [{ severity: 'error', code: 'RC1001', message, hint: 'pass the file with -f/--file' }] };
  }
  return parseText(path, bytes);
}

export function parseText(path: string, input: Buffer | string): Loaded {
  const at1 = { file: path, line: 1, col: 1 };
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length > MAX_BYTES) {
    return {
      diagnostics: [{ severity: 'error', code: 'RC1002', at: at1, message: `file is ${bytes.length} bytes; the limit is ${MAX_BYTES}` }],
    };
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { diagnostics: [{ severity: 'error', code: 'RC1003', at: at1, message: 'file is not valid UTF-8', hint: 'save the file as UTF-8' }] };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const list: Document.Parsed[] = Array.isArray(docs) ? docs : [];
  if (list.length === 0) {
    return { diagnostics: [{ severity: 'error', code: 'RC1005', at: at1, message: 'file is empty', hint: 'start with `version: 1` and `stack: <name>`' }] };
  }
  const doc = list[0] as Document.Parsed;
  const source: SourceFile = { path, text, doc, lineCounter };
  const diagnostics: Diagnostic[] = [];
  if (list.length > 1) {
    const second = list[1] as Document.Parsed;
    diagnostics.push({
      severity: 'error',
      code: 'RC1006',
      at: positionOf(source, second.range[0]),
      message: 'file holds several YAML documents; storage.yaml must hold one',
      hint: 'remove the `---` separator and merge the documents',
    });
  }
  for (const error of doc.errors) {
    const duplicate = error.code === 'DUPLICATE_KEY';
    diagnostics.push({
      severity: 'error',
      code: duplicate ? 'RC1007' : 'RC1004',
      at: positionOf(source, error.pos[0]),
      message: duplicate ? `duplicate key: ${error.message.replace(/^Map keys must be unique.*$/s, 'each key may appear once')}` : `YAML syntax error: ${error.message.split('\n')[0]}`,
    });
  }
  if (diagnostics.length > 0) return { source, diagnostics };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    return {
      source,
      diagnostics: [{ severity: 'error', code: 'RC1008', at: at1, message: `cannot read YAML: ${(err as Error).message}` }],
    };
  }
  if (value === null || value === undefined) {
    return { source, diagnostics: [{ severity: 'error', code: 'RC1005', at: at1, message: 'file is empty', hint: 'start with `version: 1` and `stack: <name>`' }] };
  }
  return { source, value, diagnostics };
}
