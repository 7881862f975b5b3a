/**
 * The round-trip table: per source vendor and text target, how many rules convert and read back
 * equivalent, and the reasons for the rest (grouped, counted, one example each).
 */
import type { Rule, Vendor } from '../model/index.js';
import { roundTrip, TEXT_TARGETS, type RoundTripResult, type RoundTripStatus, type TextTarget } from './roundtrip.js';

export interface Cell {
  rules: number;
  equivalent: number;
  /** Equivalent, and the source rule lost nothing when read (not partial). */
  exact: number;
  byStatus: Record<RoundTripStatus, number>;
  /** `status: group` -> count and one example (rule file and detail). */
  reasons: Map<string, { count: number; example: string }>;
}

export type Table = Map<Vendor, Map<TextTarget, Cell>>;

export function roundTripTable(
  corpora: Array<{ vendor: Vendor; rules: Rule[] }>,
  targets: readonly TextTarget[] = TEXT_TARGETS,
  /** Sees every result (tests check the converted texts). */
  onResult?: (rule: Rule, target: TextTarget, result: RoundTripResult) => void,
): Table {
  const table: Table = new Map();
  for (const { vendor, rules } of corpora) {
    const row = new Map<TextTarget, Cell>();
    table.set(vendor, row);
    for (const target of targets) {
      const cell: Cell = { rules: 0, equivalent: 0, exact: 0, byStatus: { equivalent: 0, reported: 0, differs: 0, 'not-convertible': 0, 'reparse-error': 0 }, reasons: new Map() };
      row.set(target, cell);
      for (const rule of rules) {
        const r = roundTrip(rule, target);
        onResult?.(rule, target, r);
        cell.rules++;
        cell.byStatus[r.status]++;
        if (r.status === 'equivalent') {
          cell.equivalent++;
          if (!r.partial) cell.exact++;
          continue;
        }
        const key = `${r.status}: ${r.group ?? '?'}`;
        const seen = cell.reasons.get(key);
        if (seen) seen.count++;
        else cell.reasons.set(key, { count: 1, example: `${rule.path}: ${(r.detail ?? '').slice(0, 300)}` });
      }
    }
  }
  return table;
}

const pct = (n: number, d: number): string => (d ? `${((100 * n) / d).toFixed(1)}%` : '-');

/** The table as text: one line per vendor x target, then the reasons of each cell (largest first). */
export function formatTable(table: Table, examples = true): string {
  const lines = ['source   target  rules  equivalent        exact(not partial)  reported  differs  not-convertible  reparse-error'];
  for (const [vendor, row] of table) {
    for (const [target, c] of row) {
      lines.push(`${vendor.padEnd(8)} ${target.padEnd(7)} ${String(c.rules).padStart(5)}  ${`${c.equivalent} (${pct(c.equivalent, c.rules)})`.padEnd(17)} ${`${c.exact} (${pct(c.exact, c.rules)})`.padEnd(19)} ${String(c.byStatus.reported).padStart(8)}  ${String(c.byStatus.differs).padStart(7)}  ${String(c.byStatus['not-convertible']).padStart(15)}  ${String(c.byStatus['reparse-error']).padStart(13)}`);
    }
  }
  for (const [vendor, row] of table) {
    for (const [target, c] of row) {
      if (!c.reasons.size) continue;
      lines.push('', `${vendor} -> ${target}: ${c.rules - c.equivalent} not equivalent`);
      for (const [k, v] of [...c.reasons].sort((a, b) => b[1].count - a[1].count)) {
        lines.push(`  ${String(v.count).padStart(5)}  ${k}`);
        if (examples) lines.push(`         e.g. ${v.example.replace(/\s+/g, ' ').slice(0, 220)}`);
      }
    }
  }
  return lines.join('\n');
}
