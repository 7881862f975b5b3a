/** Plain-text tables for people: columns sized to content, cells cut to a maximum width or fitted to a total width. */
import { escapeControls } from '../../util/safe-text.js';
import { fitColumns, type ColumnFit } from './fit-columns.js';

type Cell = string | number | null | undefined;

export interface ColumnLayout extends Partial<ColumnFit> {
  /** Which end of a cut cell stays: 'start' (default) or 'end' (file names: the name, not the folder). */
  keep?: 'start' | 'end';
}

/** A total width the table must fit (see fit-columns.ts) and how each column shrinks. */
export interface TableLayout {
  width: number;
  columns: ColumnLayout[];
}

const GAP = 2;

function cut(s: string, width: number, keep: 'start' | 'end'): string {
  const chars = [...s];
  if (chars.length <= width) return s;
  if (width <= 1) return '…';
  return keep === 'end' ? `…${chars.slice(chars.length - width + 1).join('')}` : `${chars.slice(0, width - 1).join('')}…`;
}

const len = (s: string): number => [...s].length;

export function renderTable(headers: string[], rows: Cell[][], layout: number | TableLayout = 60): string {
  // Control characters from untrusted data must not reach the terminal.
  const text = (v: Cell): string => escapeControls(v === null || v === undefined ? '' : String(v));
  let cells = rows.map((r) => headers.map((_, i) => text(r[i])));
  let widths: number[];
  if (typeof layout === 'number') {
    cells = cells.map((r) => r.map((c) => cut(c, layout, 'start')));
    widths = headers.map((h, i) => Math.max(len(h), ...cells.map((r) => len(r[i]))));
  } else {
    const natural = headers.map((h, i) => Math.max(len(h), ...cells.map((r) => len(r[i]))));
    const specs = headers.map((h, i) => ({ min: Math.max(len(h), layout.columns[i]?.min ?? 8), weight: layout.columns[i]?.weight ?? 1 }));
    widths = fitColumns(natural, specs, layout.width, GAP);
    cells = cells.map((r) => r.map((c, i) => cut(c, widths[i], layout.columns[i]?.keep ?? 'start')));
  }
  const line = (r: string[]): string => r.map((c, i) => c + ' '.repeat(Math.max(0, widths[i] - len(c)))).join(' '.repeat(GAP)).trimEnd();
  return [line(headers.map((h, i) => cut(h, widths[i], 'start'))), widths.map((w) => '-'.repeat(w)).join(' '.repeat(GAP)), ...cells.map(line)].join('\n') + '\n';
}
