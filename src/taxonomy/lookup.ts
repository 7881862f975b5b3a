import type { Vendor } from '../model/index.js';
import { ECS_FIELDS } from './ecs-fields.js';
import { CIM_BARE_FIELDS, CIM_FIELDS } from './cim-fields.js';
import { WINDOWS_RAW_FIELDS } from './windows-fields.js';
import type { CrosswalkEntry } from './types.js';

/** Every crosswalk table with the vendors it serves. */
export const CROSSWALK: ReadonlyArray<{ table: string; vendors: readonly Vendor[]; rows: readonly CrosswalkEntry[] }> = [
  { table: 'ecs', vendors: ['elastic'], rows: ECS_FIELDS },
  { table: 'cim', vendors: ['splunk'], rows: CIM_FIELDS },
  { table: 'cim-bare', vendors: ['splunk'], rows: CIM_BARE_FIELDS },
  { table: 'windows-raw', vendors: ['elastic', 'splunk'], rows: WINDOWS_RAW_FIELDS },
];

/** Vendor fields that map onto a canonical field, per vendor (Sigma: the canonical name itself). */
export function vendorFieldsFor(canonical: string): Record<Vendor, string[]> {
  const out: Record<Vendor, string[]> = { sigma: [canonical], elastic: [], splunk: [] };
  for (const t of CROSSWALK) {
    for (const r of t.rows) {
      if (r.canonical !== canonical) continue;
      for (const v of t.vendors) if (!out[v].includes(r.vendor)) out[v].push(r.vendor);
    }
  }
  return out;
}

/** All canonical fields the crosswalk knows, sorted. */
export function canonicalFields(): string[] {
  const s = new Set<string>();
  for (const t of CROSSWALK) for (const r of t.rows) s.add(r.canonical);
  return [...s].sort();
}
