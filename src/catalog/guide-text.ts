import type { Guide } from './guide.js';
import { textTable } from './text-table.js';

const TOP = 40;

function more(n: number, shown: number): string {
  return n > shown ? `\n(${n - shown} more: --json lists all)` : '';
}

/**
 * The authoring guide as text tables, in the order of the catalog page users know. `attackRelease`:
 * the newest imported ATT&CK release, when loaded (a technique without a name is then unknown to it).
 */
export function renderGuide(g: Guide, attackRelease?: string): string {
  const out: string[] = [];
  const t = g.technique;
  if (t.name !== null) out.push(`${t.name} ${t.id}`);
  else if (attackRelease) out.push(`unknown technique ${t.id} (not in ATT&CK ${attackRelease}; rules of the catalog are tagged with it)`);
  else out.push(`(name unknown: load ATT&CK with catalog build --attack FILE) ${t.id}`);
  out.push(`Tactics: ${t.tactics && t.tactics.length > 0 ? t.tactics.join(', ') : 'unknown'}`);
  const v = g.rules.by_vendor;
  out.push(`\nRules: ${g.rules.total} (sigma ${v.sigma}, elastic ${v.elastic}, splunk ${v.splunk})`);
  if (g.rules.total === 0) {
    out.push('No rule in the catalog is tagged with this technique.');
    return out.join('\n');
  }
  out.push(`\nEvents covered (${g.events_covered.length})`);
  out.push(textTable(['Event', 'Rules'], g.events_covered.map((e) => [e.event, e.rules])));

  out.push(`\nFields filtered most (${g.fields.length} distinct)`);
  out.push(textTable(['Field', 'Rules', 'How', 'Vendor fields', 'Sample values'], g.fields.slice(0, TOP).map((f) => [
    f.field,
    f.rules,
    Object.entries(f.operators).map(([op, n]) => `${op} ${n}`).join(', '),
    Object.entries(f.vendor_fields).filter(([vendor, fs]) => !(vendor === 'sigma' && fs.length === 1 && fs[0] === f.field))
      .map(([vendor, fs]) => `${vendor}: ${fs.join(' ')}`).join('; '),
    f.samples.join(', '),
  ])));
  out.push(more(g.fields.length, TOP));
  out.push('How: a test under a NOT that is not an exclusion counts as its negation (eq -> ne, ne -> eq, other operators -> "not <op>").');

  out.push(`\nTop indicator values (${g.indicators.length} distinct); corpus reach = rules in the whole catalog with the same field, operator and value`);
  out.push(textTable(['Field', 'Kind', 'Value', 'Rules (here)', 'Corpus reach'],
    g.indicators.slice(0, TOP).map((i) => [i.field, i.op, i.value, i.rules, i.corpus_reach])));
  out.push(more(g.indicators.length, TOP));

  out.push(`\nExclusions (${g.exclusions.length} distinct): values excluded by top-level not() clauses`);
  out.push(g.exclusions.length === 0 ? '(none)' : textTable(['Field', 'Kind', 'Value', 'Rules excluding'],
    g.exclusions.slice(0, TOP).map((e) => [e.field, e.op, e.value, e.rules])));
  out.push(more(g.exclusions.length, TOP));

  out.push(`\nRules under this technique`);
  for (const vendor of ['sigma', 'elastic', 'splunk'] as const) {
    const list = g.rules.list.filter((r) => r.vendor === vendor);
    if (list.length === 0) continue;
    out.push(`\n${vendor[0].toUpperCase()}${vendor.slice(1)} ${list.length} rule${list.length === 1 ? '' : 's'}`);
    out.push(textTable(['Title', 'Level', 'Status', 'Via', 'Id'], list.map((r) => [
      r.title, r.level ?? '', r.status ?? '', r.subtechniques.join(' '), r.id,
    ]), 70));
  }
  return out.filter((s) => s !== '').join('\n');
}
