import type { CatalogStats } from './stats.js';
import { textTable } from './text-table.js';

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function renderStats(s: CatalogStats): string {
  const out: string[] = [];
  out.push(`Catalog: ${s.files} files, ${s.rules} rules, ${s.problems} parse problems`);
  out.push('');
  out.push(textTable(['Vendor', 'Files', 'Rules', 'Parsed', 'Partial', 'Failed', 'With predicates', 'Coverage', 'Goal'],
    s.vendors.map((v) => [
      v.vendor, v.files, v.rules, v.parsed, v.partial, v.failed, v.with_predicates,
      `${pct(v.coverage)} (${v.coverage_with_predicates}/${v.coverage_base})`,
      `${pct(v.coverage_goal)} ${v.coverage >= v.coverage_goal ? 'met' : 'NOT met'}`,
    ])));
  out.push('Coverage: rules with predicates among sigma rules (no correlations), elastic eql/query/esql/new_terms/threshold rules,');
  out.push('splunk searches with a where/search clause; files that failed to parse count against it.');
  out.push('Sigma counts every folder: Sigma 1 aggregations and placeholders without values are kept as metadata (lenient reading).');
  out.push('\nCoverage per folder');
  out.push(textTable(['Vendor', 'Folder', 'Rules', 'Failed', 'Coverage'], s.folders.map((f) => [
    f.vendor, f.folder || '.', f.rules, f.failed, `${pct(f.coverage)} (${f.coverage_with_predicates}/${f.coverage_base})`,
  ])));
  if (s.reasons.length > 0) {
    out.push('\nParse problems by reason');
    out.push(textTable(['Vendor', 'Reason', 'Problems', 'Files'], s.reasons.map((r) => [r.vendor, r.reason, r.problems, r.files])));
  }
  if (s.losses.length > 0) {
    out.push('\nConditions not in the predicates, by reason (their rules are partial; table rule_losses)');
    out.push(textTable(['Vendor', 'Reason', 'Conditions', 'Rules'], s.losses.map((r) => [r.vendor, r.reason, r.losses, r.rules])));
  }
  if (s.no_predicates.length > 0) {
    out.push('\nRules without predicates, by note');
    out.push(textTable(['Vendor', 'Note', 'Rules'], s.no_predicates.map((r) => [r.vendor, r.note, r.rules]), 90));
  }
  if (s.technique_flags.length > 0) {
    out.push(`\nTechnique ids revoked, deprecated or unknown in ATT&CK ${s.technique_flags[0].release}`);
    out.push(textTable(['Technique', 'Status', 'Replaced by', 'Rules'], s.technique_flags.map((t) => [t.technique_id, t.status, t.replaced_by ?? '', t.rules])));
  }
  return out.join('\n');
}
