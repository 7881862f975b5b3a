import type { CatalogRule } from '../attack/catalog-join.js';
import type { HistoryRow } from '../attack/history.js';
import type { AObj } from '../attack/kb.js';
import type { AnalyticDetail, ObjRef, RelRef, RulesSection, ShowReport } from '../attack/show.js';
import { FmLink, fmText, frontMatter, mdCell, mdTable, mdText, type LinkResolver } from './markdown.js';
import { wikiLink } from './names.js';

/** What a note renderer needs besides the report: where every other note is. */
export interface NoteContext {
  release: string;
  /** STIX id -> note path (folder/name). */
  noteOf: (stixId: string) => string | undefined;
  /** Catalog rule id -> note path. */
  ruleNoteOf: (ruleId: string) => string | undefined;
  resolveUrl: LinkResolver;
}

const CITE_OPEN = '\ue000';
const CITE_CLOSE = '\ue001';

/** Body text with citations as footnotes [^n] and ATT&CK links as wiki links. */
function body(ctx: NoteContext, rep: ShowReport, s: string): string {
  const byName = new Map(rep.references.map((r) => [r.source_name, r.n]));
  const marked = s.replace(/[\ue000\ue001]/g, '').replace(/\(Citation: ([^)]{1,300})\)/g, (_m, n: string) =>
    byName.has(n) ? `${CITE_OPEN}${byName.get(n)}${CITE_CLOSE}` : `(${n})`);
  return mdText(marked, ctx.resolveUrl).replace(/\ue000(\d+)\ue001/g, '[^$1]');
}

function link(ctx: NoteContext, r: ObjRef): string {
  const label = `${r.id ? `${r.id} ` : ''}${r.name}`;
  const target = ctx.noteOf(r.stix_id);
  return target ? wikiLink(target, label) : mdCell(label);
}

/** A link inside a table cell: the alias pipe escaped, as Markdown tables need. */
function cellLink(ctx: NoteContext, r: ObjRef): string {
  return link(ctx, r).replace(/\|/g, '\\|');
}

function linkList(ctx: NoteContext, list: ObjRef[] | undefined): string[] {
  return (list ?? []).map((r) => link(ctx, r));
}

/** Links for front matter. */
function fmLinks(ctx: NoteContext, list: ObjRef[] | undefined): FmLink[] {
  return linkList(ctx, list).map((l) => new FmLink(l));
}

function relSection(ctx: NoteContext, rep: ShowReport, out: string[], title: string, list: RelRef[] | undefined): void {
  if (!list || list.length === 0) return;
  out.push(`## ${title} (${list.length})`, '');
  for (const r of list) out.push(`- ${link(ctx, r)}${r.description.trim() ? `: ${body(ctx, rep, r.description.replace(/\s+/g, ' ').trim())}` : ''}`);
  out.push('');
}

function analytic(ctx: NoteContext, rep: ShowReport, out: string[], an: AnalyticDetail, level: string): void {
  out.push(level ? `${level} ${link(ctx, an)}` : '## Log sources and mutable elements', '');
  if (level && an.platforms.length) out.push(`Platforms: ${an.platforms.map((p) => mdCell(p)).join(', ')}`, '');
  if (level && an.description) out.push(body(ctx, rep, an.description), '');
  out.push(`Log sources (${an.log_sources.length}):`, '');
  out.push(mdTable(['Source', 'Channel', 'Data component', 'Event category'], an.log_sources.map((l) => [
    mdCell(l.name), mdCell(l.channel), l.data_component ? cellLink(ctx, l.data_component) : '', mdCell(l.categories.join(', ')),
  ])), '');
  if (an.mutable_elements.length) {
    out.push(`Mutable elements (${an.mutable_elements.length}):`, '');
    out.push(mdTable(['Field', 'Description'], an.mutable_elements.map((m) => [mdCell(m.field), mdCell(m.description)])), '');
  }
}

function rules(ctx: NoteContext, out: string[], r: RulesSection | undefined): void {
  if (!r) return;
  out.push(`## Catalog rules${r.catalog === 'built' ? ` (${r.total})` : ''}`, '');
  if (r.catalog !== 'built') return void out.push('Catalog not built.', '');
  if (r.total === 0) return void out.push('None.', '');
  for (const [vendor, list] of Object.entries(r.by_vendor).sort()) {
    out.push(`### ${mdCell(vendor)} (${list.length})`, '');
    for (const x of list) {
      const target = ctx.ruleNoteOf(x.key);
      out.push(`- ${target ? wikiLink(target, x.title) : mdCell(x.title)} (${mdCell(x.level || '-')}, ${mdCell(x.status || '-')}${x.technique ? `, ${mdCell(x.technique)}` : ''})`);
    }
    out.push('');
  }
}

/** One note for an ATT&CK object, from its `attack show` report and history. */
export function objectNote(ctx: NoteContext, obj: AObj, rep: ShowReport, history: HistoryRow[]): string {
  const o = rep.object;
  const fm: Record<string, unknown> = {
    id: obj.stixId,
    name: obj.name,
    type: obj.kind,
    stix_type: obj.type,
    mitre_id: obj.attackId || null,
    mitre_url: obj.url || null,
    created_at: obj.created || null,
    updated_at: obj.modified || null,
    version: obj.version || null,
    attack_release: ctx.release,
    content_hash: obj.contentHash,
    deprecated: obj.deprecated,
    revoked: obj.revoked,
    platforms: obj.platforms,
  };
  if (rep.tactics) fm.tactics = fmLinks(ctx, rep.tactics);
  if (o.aliases.length) fm.aliases = o.aliases;
  if (rep.parent) fm.parent = new FmLink(link(ctx, rep.parent));
  if (rep.revoked_by) fm.revoked_by = new FmLink(link(ctx, rep.revoked_by));
  if (rep.detection_strategies) fm.detection_strategies = fmLinks(ctx, rep.detection_strategies);
  if (rep.strategies) fm.detection_strategies = fmLinks(ctx, rep.strategies);
  if (rep.object.kind === 'analytic' || rep.object.kind === 'detection-strategy') fm.techniques = fmLinks(ctx, rep.techniques);
  if (rep.procedures) fm.procedures = fmLinks(ctx, rep.procedures);
  if (rep.mitigations) fm.mitigations = fmLinks(ctx, rep.mitigations);

  const out: string[] = [frontMatter(fm), `# ${mdCell(obj.name || obj.attackId || obj.stixId)}`, ''];
  out.push(`**MITRE ID**: ${mdCell(obj.attackId || '-')} · **Type**: ${obj.kind} · **Version**: ${mdCell(obj.version || '-')} · **ATT&CK release**: ${mdCell(ctx.release)}`, '');
  if (obj.revoked) out.push(`> Revoked${rep.revoked_by ? `; replaced by ${link(ctx, rep.revoked_by)}` : ''}.`, '');
  else if (obj.deprecated) out.push('> Deprecated.', '');
  if (rep.tactics?.length) out.push(`**Tactics**: ${linkList(ctx, rep.tactics).join(', ')}`, '');
  if (obj.platforms.length) out.push(`**Platforms**: ${obj.platforms.map((p) => mdCell(p)).join(', ')}`, '');
  if (rep.parent) out.push(`**Sub-technique of**: ${link(ctx, rep.parent)}`, '');
  if (rep.data_source) out.push(`**Data source**: ${link(ctx, rep.data_source)}`, '');
  if (rep.strategies?.length) out.push(`**Detection strategies**: ${linkList(ctx, rep.strategies).join(', ')}`, '');

  out.push('## Description', '', rep.description ? body(ctx, rep, rep.description) : '_None._', '');
  if (rep.detection) out.push('## Detection', '', body(ctx, rep, rep.detection), '');
  if (rep.subtechniques?.length) out.push(`## Sub-techniques (${rep.subtechniques.length})`, '', ...rep.subtechniques.map((s) => `- ${link(ctx, s)}`), '');
  if (rep.detection_strategies?.length) {
    out.push(`## Detection strategies (${rep.detection_strategies.length})`, '');
    for (const d of rep.detection_strategies) {
      out.push(`### ${link(ctx, d)}`, '');
      for (const an of d.analytics) analytic(ctx, rep, out, an, '####');
    }
  }
  if (rep.analytic) analytic(ctx, rep, out, rep.analytic, '');
  if (rep.data_components?.length) out.push(`## Data components (${rep.data_components.length})`, '', ...rep.data_components.map((s) => `- ${link(ctx, s)}`), '');
  if (rep.log_sources?.length) {
    out.push(`## Log sources (${rep.log_sources.length})`, '');
    out.push(mdTable(['Source', 'Channel', 'Event category'], rep.log_sources.map((l) => [mdCell(l.name), mdCell(l.channel), mdCell(l.categories.join(', '))])), '');
  }
  if (rep.analytics?.length) out.push(`## Analytics (${rep.analytics.length})`, '', ...rep.analytics.map((s) => `- ${link(ctx, s)}`), '');
  relSection(ctx, rep, out, 'Mitigations', rep.mitigations);
  relSection(ctx, rep, out, 'Procedure examples', rep.procedures);
  relSection(ctx, rep, out, 'Techniques', rep.techniques);
  relSection(ctx, rep, out, 'Software', rep.software);
  relSection(ctx, rep, out, 'Groups', rep.groups);
  relSection(ctx, rep, out, 'Campaigns', rep.campaigns);
  rules(ctx, out, rep.rules);
  if (history.length) {
    out.push('## History', '');
    out.push(mdTable(['Release', 'Present', 'Status', 'Modified', 'Version', 'Content hash', 'Change', 'Fields'], history.map((h) => [
      mdCell(h.release), h.present ? 'yes' : 'no', h.status ?? '-', mdCell(h.modified ?? '-'), mdCell(h.version ?? '-'), h.content_hash ? `\`${h.content_hash.slice(0, 12)}\`` : '-',
      h.change, mdCell([...h.fields_added.map((f) => `+${f}`), ...h.fields_removed.map((f) => `-${f}`), ...h.fields_changed.map((f) => `~${f}`)].join(' ')),
    ])), '');
  }
  if (rep.references.length) {
    out.push('## References', '');
    for (const r of rep.references) out.push(`[^${r.n}]: ${mdText(fmText(r.description || r.source_name))}${/^https?:/i.test(r.url) ? ` <${r.url.replace(/[<>\s]/g, encodeURIComponent)}>` : ''}`);
    out.push('');
  }
  return out.join('\n');
}

/** One note per catalog rule, linked to its techniques. */
export function ruleNote(ctx: NoteContext, rule: CatalogRule, techniqueNotes: Array<{ id: string; note?: string; name?: string }>, analytics: ObjRef[] = []): string {
  const fm: Record<string, unknown> = {
    id: rule.id || rule.key,
    catalog_key: rule.key,
    name: rule.title,
    type: 'rule',
    vendor: rule.vendor,
    path: rule.path,
    status: rule.status || null,
    level: rule.level || null,
    techniques: techniqueNotes.map((t) => (t.note ? new FmLink(wikiLink(t.note, `${t.id} ${t.name ?? ''}`.trim())) : t.id)),
    event_categories: rule.categories,
    analytics: fmLinks(ctx, analytics),
  };
  const out = [frontMatter(fm), `# ${mdCell(rule.title || rule.id)}`, ''];
  out.push(`**Vendor**: ${mdCell(rule.vendor || '-')} · **Level**: ${mdCell(rule.level || '-')} · **Status**: ${mdCell(rule.status || '-')}`, '');
  out.push(`**Path**: \`${rule.path.replace(/[`\r\n]/g, ' ')}\``, '');
  const desc = rule.description;
  if (desc) out.push('## Description', '', mdText(desc), '');
  out.push(`## Techniques (${techniqueNotes.length})`, '');
  for (const t of techniqueNotes) out.push(`- ${t.note ? wikiLink(t.note, `${t.id} ${t.name ?? ''}`.trim()) : mdCell(t.id)}`);
  out.push('');
  if (analytics.length) out.push(`## ATT&CK analytics matching its events (${analytics.length})`, '', ...analytics.map((a) => `- ${link(ctx, a)}`), '');
  if (rule.categories.length || rule.services.length) {
    out.push('## Event categories', '', ...rule.categories.map((c) => `- ${mdCell(c)}`), ...rule.services.map((s) => `- service: ${mdCell(s)}`), '');
  }
  return out.join('\n');
}
