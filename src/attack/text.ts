/** Plain-text helpers for reports read by people. Bundle text is untrusted: control characters are dropped. */

/** Removes terminal control sequences and control characters (keeps newline and tab). */
export function clean(s: string): string {
  return s.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '').replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g, '');
}

/** One line: whitespace collapsed, cut to `max` characters. */
export function oneLine(s: string, max = 120): string {
  const t = clean(s).replace(/\s+/g, ' ').trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

/** Wraps text to `width` columns with an indent; paragraphs kept. */
export function wrap(s: string, indent = '  ', width = 100): string {
  const out: string[] = [];
  for (const para of clean(s).split(/\n\s*\n|\r?\n/)) {
    const words = para.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) continue;
    let line = '';
    for (const w of words) {
      if (line && line.length + 1 + w.length > width - indent.length) {
        out.push(indent + line);
        line = w;
      } else line = line ? `${line} ${w}` : w;
    }
    if (line) out.push(indent + line);
  }
  return out.join('\n');
}

/** A left-aligned table; cells cut to `maxCell` characters. */
export function table(headers: string[], rows: string[][], indent = '  ', maxCell = 70): string {
  const cells = [headers, ...rows].map((r) => r.map((c) => oneLine(c ?? '', maxCell)));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) => indent + r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd())
    .join('\n');
}

export function day(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : iso;
}
