import type { HistoryReport } from './history-report.js';
import type { AnalyticDetail, ObjRef, RelRef, RulesSection, ShowReport } from './show.js';
import { clean, day, oneLine, table, wrap } from './text.js';

function name(r: ObjRef): string {
  const flags = [r.revoked ? 'revoked' : '', r.deprecated ? 'deprecated' : ''].filter(Boolean);
  return `${r.name}${flags.length ? ` (${flags.join(', ')})` : ''}`;
}

function refLine(r: ObjRef): string {
  return `${r.id || r.stix_id} ${name(r)}`;
}

function cite(rep: ShowReport): (s: string) => string {
  const byName = new Map(rep.references.map((r) => [r.source_name, r.n]));
  return (s: string) => s
    .replace(/\(Citation: ([^)]{1,300})\)/g, (_m, n: string) => (byName.has(n) ? `[${byName.get(n)}]` : `[${n}]`))
    // Markdown links read as text: ATT&CK's own links keep their text, others show their address.
    .replace(/\[([^\]\n]{1,300})\]\((https?:[^)\s]{1,2000})\)/g, (_m, t: string, url: string) => (/^https?:\/\/attack\.mitre\.org\//.test(url) ? t : `${t} (${url})`));
}

function section(out: string[], title: string, count?: number): void {
  out.push('', `${title}${count === undefined ? '' : ` (${count})`}`);
}

function relTable(out: string[], title: string, list: RelRef[] | undefined, withDesc: boolean, c: (s: string) => string): void {
  if (!list) return;
  section(out, title, list.length);
  if (list.length === 0) return void out.push('  none');
  if (!withDesc) return void out.push(table(['ID', 'NAME'], list.map((r) => [r.id || r.stix_id, name(r)])));
  for (const r of list) {
    out.push(`  ${refLine(r)}`);
    if (r.description.trim()) out.push(wrap(c(r.description), '      '));
  }
}

function analyticBlock(out: string[], an: AnalyticDetail, indent: string, c: (s: string) => string): void {
  out.push(`${indent}${refLine(an)}${an.platforms.length ? `  [${an.platforms.join(', ')}]` : ''}`);
  if (an.description) out.push(wrap(c(an.description), `${indent}  `));
  out.push(`${indent}  Log sources (${an.log_sources.length})`);
  out.push(table(['SOURCE', 'CHANNEL', 'DATA COMPONENT', 'EVENT CATEGORY'], an.log_sources.map((l) => [
    l.name, l.channel, l.data_component ? refLine(l.data_component) : '', l.categories.join(', ') || (l.service ? `${l.product}/${l.service}` : ''),
  ]), `${indent}    `));
  out.push(`${indent}  Mutable elements (${an.mutable_elements.length})`);
  if (an.mutable_elements.length) out.push(table(['FIELD', 'DESCRIPTION'], an.mutable_elements.map((m) => [m.field, m.description]), `${indent}    `, 300));
}

function rules(out: string[], r: RulesSection | undefined): void {
  if (!r) return;
  section(out, 'Catalog rules', r.catalog === 'built' ? r.total : undefined);
  if (r.catalog !== 'built') return void out.push('  catalog not built (run: detectory catalog build ...)');
  if (r.note) out.push(`  ${r.note}`);
  if (r.total === 0) return void out.push('  none');
  for (const [vendor, list] of Object.entries(r.by_vendor).sort()) {
    out.push(`  ${clean(vendor)} (${list.length})`);
    out.push(table(['TITLE', 'LEVEL', 'STATUS', 'TECHNIQUE', ...(list.some((x) => x.matched) ? ['MATCHED'] : []), 'PATH'],
      list.map((x) => [x.title, x.level, x.status, x.technique, ...(list.some((y) => y.matched) ? [x.matched ?? ''] : []), x.path]), '    ', 160));
  }
}

/** The text report of `attack show`. */
export function renderShow(rep: ShowReport): string {
  const o = rep.object;
  const c = cite(rep);
  const out: string[] = [];
  out.push(`${o.id || o.stix_id}  ${oneLine(name(o), 200)}`);
  out.push(`  ${o.kind} · ATT&CK ${rep.release} · version ${o.version || '-'} · created ${day(o.created)} · modified ${day(o.modified)}`);
  if (o.url) out.push(`  ${oneLine(o.url, 200)}`);
  if (rep.resolved_from.length) out.push(`  ${rep.resolved_from.map(refLine).join(' -> ')} was revoked; showing its replacement`);
  if (rep.revoked_by) out.push(`  revoked by ${refLine(rep.revoked_by)}`);
  if (rep.also_named.length) out.push(`  the same id also names: ${rep.also_named.map((r) => `${r.type} ${name(r)}`).join('; ')}`);
  if (o.aliases.length) out.push(`  aliases: ${oneLine(o.aliases.join(', '), 200)}`);
  if (rep.tactics) out.push(`  tactics: ${rep.tactics.map(refLine).join(', ') || '-'}`);
  if (o.platforms.length) out.push(`  platforms: ${o.platforms.join(', ')}`);
  if (rep.parent) out.push(`  sub-technique of: ${refLine(rep.parent)}`);
  if (rep.subtechniques?.length) out.push(`  sub-techniques: ${rep.subtechniques.map((s) => s.id).join(', ')}`);
  if (rep.data_source) out.push(`  data source: ${refLine(rep.data_source)}`);
  if (rep.strategies) out.push(`  detection strategies: ${rep.strategies.map(refLine).join(', ') || '-'}`);

  section(out, 'Description');
  out.push(wrap(c(rep.description)) || '  (none)');
  if (rep.detection) {
    section(out, 'Detection (text)');
    out.push(wrap(c(rep.detection)));
  }
  if (rep.detection_strategies) {
    section(out, 'Detection strategies', rep.detection_strategies.length);
    if (rep.detection_strategies.length === 0) out.push('  none');
    for (const d of rep.detection_strategies) {
      out.push(`  ${refLine(d)}`);
      for (const an of d.analytics) analyticBlock(out, an, '    ', c);
    }
  }
  if (rep.analytic) {
    section(out, 'Analytic');
    analyticBlock(out, rep.analytic, '  ', c);
  }
  if (rep.data_components && rep.data_components.length) {
    section(out, 'Data components', rep.data_components.length);
    out.push(table(['ID', 'NAME'], rep.data_components.map((r) => [r.id, name(r)])));
  }
  if (rep.log_sources) {
    section(out, 'Log sources', rep.log_sources.length);
    if (rep.log_sources.length) out.push(table(['SOURCE', 'CHANNEL', 'EVENT CATEGORY'], rep.log_sources.map((l) => [l.name, l.channel, l.categories.join(', ')])));
  }
  if (rep.analytics) {
    section(out, 'Analytics', rep.analytics.length);
    if (rep.analytics.length) out.push(table(['ID', 'NAME'], rep.analytics.map((r) => [r.id, name(r)])));
  }
  relTable(out, 'Mitigations', rep.mitigations, true, c);
  relTable(out, 'Procedure examples', rep.procedures, true, c);
  relTable(out, 'Techniques', rep.techniques, rep.object.kind !== 'tactic' && rep.object.kind !== 'analytic', c);
  relTable(out, 'Software', rep.software, true, c);
  relTable(out, 'Groups', rep.groups, true, c);
  relTable(out, 'Campaigns', rep.campaigns, true, c);
  rules(out, rep.rules);
  if (rep.references.length) {
    section(out, 'References', rep.references.length);
    for (const r of rep.references) out.push(wrap(`[${r.n}] ${r.description || r.source_name}${r.url ? ` ${r.url}` : ''}`, '  ', 200));
  }
  return `${out.join('\n')}\n`;
}

/** The text report of `attack history`. */
export function renderHistory(h: HistoryReport): string {
  const out: string[] = [];
  out.push(`${h.id || h.stix_id}  ${oneLine(h.name, 200)}  (${h.type})`);
  out.push(`  ${h.stix_id}`);
  out.push('');
  out.push(table(['RELEASE', 'PRESENT', 'STATUS', 'MODIFIED', 'VERSION', 'CONTENT HASH', 'CHANGE', 'FIELDS'], h.releases.map((r) => [
    r.release, r.present ? 'yes' : 'no', r.status ?? '-', r.modified ? day(r.modified) : '-', r.version || '-', r.content_hash ? r.content_hash.slice(0, 12) : '-',
    r.change, [...r.fields_added.map((f) => `+${f}`), ...r.fields_removed.map((f) => `-${f}`), ...r.fields_changed.map((f) => `~${f}`)].join(' '),
  ]), '  ', 200));
  return `${out.join('\n')}\n`;
}
