/**
 * Column widths for a table that must fit a terminal: every column starts at its natural width (its
 * widest cell) or its minimum, whichever is smaller; the room left is handed out one character at a
 * time to the column furthest below its natural width for its weight. Weight 0 keeps a column at
 * its natural width. When even the minimums do not fit, the widest columns shrink further (headers
 * get cut too), down to FLOOR characters; only then is the table wider than asked.
 */
const FLOOR = 4;

export interface ColumnFit {
  /** Narrowest the column may become (the header is never cut below its own length). */
  min: number;
  /** Share of the spare room; 0: always its natural width. */
  weight: number;
}

export function fitColumns(natural: readonly number[], specs: readonly ColumnFit[], width: number, gap: number): number[] {
  const spec = (i: number): ColumnFit => specs[i] ?? { min: 1, weight: 1 };
  const widths = natural.map((n, i) => (spec(i).weight === 0 ? n : Math.min(n, spec(i).min)));
  let room = width - gap * Math.max(0, natural.length - 1) - widths.reduce((a, b) => a + b, 0);
  // A narrow terminal: below the minimums, the widest shrinkable column gives up a character at a time.
  while (room < 0) {
    let widest = -1;
    for (let i = 0; i < widths.length; i++) {
      if (spec(i).weight > 0 && widths[i] > FLOOR && (widest < 0 || widths[i] > widths[widest])) widest = i;
    }
    if (widest < 0) break;
    widths[widest]--;
    room++;
  }
  while (room > 0) {
    let best = -1;
    let bestShare = Infinity;
    for (let i = 0; i < widths.length; i++) {
      const w = spec(i).weight;
      if (w === 0 || widths[i] >= natural[i]) continue;
      const share = (widths[i] - spec(i).min) / w;
      if (share < bestShare) {
        bestShare = share;
        best = i;
      }
    }
    if (best < 0) break;
    widths[best]++;
    room--;
  }
  return widths;
}
