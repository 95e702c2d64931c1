/** GitHub refuses a comment body over 65,536 characters; leave room for a workflow's marker and header. */
export const PR_COMMENT_LIMIT = 60_000;

export interface Limit {
  max: number;
  /** Measure in UTF-8 bytes (GitHub's step summary limit) or in characters (comment bodies). */
  unit: 'bytes' | 'chars';
}

function size(text: string, unit: Limit['unit']): number {
  return unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}

/**
 * Cut Markdown at a line boundary so it fits `limit`, close any fenced block and `<details>`
 * left open, and say what was left out. Text that fits is returned unchanged.
 */
export function truncateMarkdown(markdown: string, limit: Limit, where: string): string {
  if (size(markdown, limit.unit) <= limit.max) return markdown;
  const lines = markdown.split('\n');
  const note = (omitted: number) =>
    `\n> [!NOTE]\n> Truncated: ${omitted} more line(s) did not fit GitHub's limit (${limit.max.toLocaleString('en-US')} ${limit.unit}). ${where}\n`;
  const reserve = size(note(lines.length), limit.unit) + 200;
  const kept: string[] = [];
  let used = 0;
  let inFence = false;
  let openDetails = 0;
  for (const line of lines) {
    const cost = size(line, limit.unit) + 1;
    if (used + cost > limit.max - reserve) break;
    kept.push(line);
    used += cost;
    if (/^\s*```/.test(line)) inFence = !inFence;
    if (!inFence) openDetails += (line.match(/<details>/g) ?? []).length - (line.match(/<\/details>/g) ?? []).length;
  }
  const closers: string[] = [];
  if (inFence) closers.push('```');
  for (let i = 0; i < openDetails; i++) closers.push('', '</details>');
  return [...kept, ...closers].join('\n') + '\n' + note(lines.length - kept.length);
}
