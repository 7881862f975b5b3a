import type { Db } from '../store/db.js';
import { num, rows } from './query.js';

/** Parse coverage of the catalog, per vendor, with the acceptance denominators of issue 4. */
export interface CatalogStats {
  files: number;
  rules: number;
  problems: number;
  vendors: Array<{
    vendor: string;
    files: number;
    rules: number;
    parsed: number;
    partial: number;
    failed: number;
    with_predicates: number;
    /** The rules the coverage goal counts (Sigma: all; Elastic: query languages; Splunk: searches with a where/search clause). */
    coverage_base: number;
    coverage_with_predicates: number;
    coverage: number;
    coverage_goal: number;
  }>;
  /** The same coverage per first folder below the folder given (sigma: rules, deprecated, unsupported, ...). */
  folders: Array<{ vendor: string; folder: string; rules: number; failed: number; coverage_base: number; coverage_with_predicates: number; coverage: number }>;
  reasons: Array<{ vendor: string; reason: string; problems: number; files: number }>;
  /** Conditions lost from the predicate trees (table rule_losses), by vendor and reason: why rules are partial. */
  losses: Array<{ vendor: string; reason: string; losses: number; rules: number }>;
  no_predicates: Array<{ vendor: string; note: string; rules: number }>;
  /** Technique ids named by rules that the newest imported ATT&CK release revokes, deprecates or lacks. */
  technique_flags: Array<{ technique_id: string; status: string; release: string; replaced_by: string | null; rules: number }>;
}

/** Which rules each vendor's coverage goal counts (SQL over `rules`), and the goal. */
export const COVERAGE: Readonly<Record<string, { scope: string; base: string; goal: number }>> = {
  // Every folder counts, unsupported/ and rules-placeholder/ included: the catalog reads them leniently.
  sigma: { scope: 'true', base: `type IS DISTINCT FROM 'correlation'`, goal: 0.99 },
  elastic: { scope: 'true', base: `type IN ('eql', 'query', 'esql', 'new_terms', 'threshold')`, goal: 0.97 },
  splunk: { scope: 'true', base: `has_search_clause`, goal: 0.95 },
};

export async function catalogStats(db: Db): Promise<CatalogStats> {
  const vendors = await rows(db, `SELECT vendor,
      (SELECT count(*) FROM files f WHERE f.vendor = r.vendor) AS files,
      count(*) AS rules,
      count(*) FILTER (WHERE parse_status = 'parsed') AS parsed,
      count(*) FILTER (WHERE parse_status = 'partial') AS partial,
      count(*) FILTER (WHERE parse_status = 'failed') AS failed,
      count(*) FILTER (WHERE predicates > 0) AS with_predicates
    FROM rules r GROUP BY vendor ORDER BY CASE vendor WHEN 'sigma' THEN 0 WHEN 'elastic' THEN 1 ELSE 2 END`);
  const out: CatalogStats = { files: 0, rules: 0, problems: 0, vendors: [], folders: [], reasons: [], losses: [], no_predicates: [], technique_flags: [] };
  for (const v of vendors) {
    const vendor = String(v.vendor);
    const cov = COVERAGE[vendor] ?? { scope: 'true', base: 'true', goal: 0 };
    // failed files count against the goal too (their folder decides whether they are in the base)
    const c = await rows(db, `SELECT count(*) FILTER (WHERE parse_status = 'failed' OR (${cov.base})) AS base,
        count(*) FILTER (WHERE parse_status <> 'failed' AND (${cov.base}) AND predicates > 0) AS ok
      FROM rules WHERE vendor = $1 AND (${cov.scope})`, [vendor]);
    const failed = num(v.failed);
    const base = num(c[0]?.base);
    const ok = num(c[0]?.ok);
    out.vendors.push({
      vendor, files: num(v.files), rules: num(v.rules), parsed: num(v.parsed), partial: num(v.partial), failed,
      with_predicates: num(v.with_predicates), coverage_base: base, coverage_with_predicates: ok,
      coverage: base === 0 ? 1 : ok / base, coverage_goal: cov.goal,
    });
    out.files += num(v.files);
    out.rules += num(v.rules);
    const folders = await rows(db, `SELECT folder, count(*) AS rules, count(*) FILTER (WHERE parse_status = 'failed') AS failed,
        count(*) FILTER (WHERE parse_status = 'failed' OR (${cov.base})) AS base,
        count(*) FILTER (WHERE parse_status <> 'failed' AND (${cov.base}) AND predicates > 0) AS ok
      FROM rules WHERE vendor = $1 GROUP BY folder ORDER BY rules DESC`, [vendor]);
    for (const f of folders) {
      const fb = num(f.base);
      out.folders.push({
        vendor, folder: String(f.folder), rules: num(f.rules), failed: num(f.failed),
        coverage_base: fb, coverage_with_predicates: num(f.ok), coverage: fb === 0 ? 1 : num(f.ok) / fb,
      });
    }
  }
  const reasons = await rows(db, `SELECT vendor, reason, count(*) AS problems, count(DISTINCT file) AS files
    FROM parse_problems GROUP BY ALL ORDER BY problems DESC, vendor, reason`);
  out.reasons = reasons.map((r) => ({ vendor: String(r.vendor), reason: String(r.reason), problems: num(r.problems), files: num(r.files) }));
  out.problems = out.reasons.reduce((a, r) => a + r.problems, 0);
  const losses = await rows(db, `SELECT vendor, reason, count(*) AS losses, count(DISTINCT rule_uid) AS rules
    FROM rule_losses GROUP BY vendor, reason ORDER BY min(CASE vendor WHEN 'sigma' THEN 0 WHEN 'elastic' THEN 1 ELSE 2 END), losses DESC, reason`);
  out.losses = losses.map((r) => ({ vendor: String(r.vendor), reason: String(r.reason), losses: num(r.losses), rules: num(r.rules) }));
  const notes = await rows(db, `SELECT vendor, split_part(coalesce(parse_note, '(none)'), ':', 1) AS note, count(*) AS rules FROM rules
    WHERE predicates = 0 GROUP BY ALL ORDER BY rules DESC LIMIT 30`);
  out.no_predicates = notes.map((r) => ({ vendor: String(r.vendor), note: String(r.note), rules: num(r.rules) }));
  const hasStatus = (await rows(db, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'rule_technique_status'`))[0];
  if (num(hasStatus?.n) > 0) {
    const flags = await rows(db, `SELECT technique_id, status, release, replaced_by_id, rules FROM rule_technique_status
      WHERE status IN ('revoked', 'deprecated', 'unknown') ORDER BY rules DESC, technique_id`);
    out.technique_flags = flags.map((r) => ({
      technique_id: String(r.technique_id), status: String(r.status), release: String(r.release),
      replaced_by: r.replaced_by_id === null ? null : String(r.replaced_by_id), rules: num(r.rules),
    }));
  }
  return out;
}
