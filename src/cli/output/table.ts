import { escapeControls } from '../../util/safe-text.js';

/** Plain-text tables for people: columns sized to content, cells cut to a maximum width. */
export function renderTable(headers: string[], rows: Array<Array<string | number | null | undefined>>, maxWidth = 60): string {
  const clean = (v: string | number | null | undefined): string => {
    const s = v === null || v === undefined ? '' : String(v);
    // Control characters from untrusted data must not reach the terminal.
    const t = escapeControls(s);
    return t.length > maxWidth ? t.slice(0, maxWidth - 1) + '…' : t;
  };
  const cells = rows.map((r) => r.map(clean));
  const widths = headers.map((h, i) => Math.max(h.length, ...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string => r.map((c, i) => (c ?? '').padEnd(widths[i])).join('  ').trimEnd();
  return [line(headers), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}
