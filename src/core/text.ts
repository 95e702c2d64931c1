/** C0 control characters and DEL. */
const CONTROL = /[\u0000-\u001f\u007f]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/**
 * A user or AWS string made safe to print on one line: control characters (newline, CR, tab,
 * escape, ...) are shown escaped, so content can neither start a new log line nor move the cursor.
 */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => NAMED[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
