import { escapeControls } from '../util/safe-text.js';

/** A plain-text table: columns padded to their widest cell (cells cut at `max` characters, controls escaped). */
export function textTable(header: readonly string[], body: ReadonlyArray<readonly (string | number)[]>, max = 60): string {
  const cut = (s: string): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);
  const cells = [header.map(String), ...body.map((r) => r.map((c) => cut(escapeControls(String(c).replace(/\s+/g, ' ')))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}
