import type { Hono } from 'hono';
import { buildShow, type ShowReport } from '../../attack/show.js';
import { resolveInKb } from '../../attack/resolve.js';
import { analystView, type AnalystView } from '../../catalog/analyst-view.js';
import { computeGuide, type Guide } from '../../catalog/guide.js';
import { facetCounts, UNKNOWN, type RuleFacet } from '../../catalog/rule-facets.js';
import { indicatorKey, techniqueRules, type RuleRef } from '../../catalog/technique-rules.js';
import type { WebContext } from '../context.js';
import { badRequest, notFound } from '../http-error.js';
import { Layout } from '../layout.js';
import { optionalWord, techniqueId, text } from '../params.js';
import { page } from '../render.js';
import { Analyst } from '../components/analyst.js';
import { Cited, RefList, References, RelTable, Section, Strategies } from '../components/attack-sections.js';
import { raw } from 'hono/html';
import { AttackLink, FieldLink, fieldHref, RuleLink, ruleHref, VendorBadge } from '../components/links.js';
import { esc } from '../html-string.js';

export type TechniqueRule = RuleRef & RuleFacet;

export interface TechniqueData {
  id: string;
  guide: Guide;
  rules: TechniqueRule[];
  /**
   * indicatorKey -> rule uids, for the indicator and exclusion rows. A Map: T1059.001 has ~5 000 keys,
   * and an object of that many string keys cost ~6 ms per cold page to build; the API prints it as an object.
   */
  indicator_rules: ReadonlyMap<string, string[]>;
  attack: ShowReport | null;
  analyst: AnalystView | null;
}

/** The JSON form of TechniqueData (/api/techniques/:id): indicator_rules as an object. */
export type TechniqueJson = Omit<TechniqueData, 'indicator_rules'> & { indicator_rules: Record<string, string[]> };
export const techniqueJson = (d: TechniqueData): TechniqueJson =>
  ({ ...d, indicator_rules: Object.fromEntries(d.indicator_rules) });

/** One question, answered once: the page and /api/techniques/:id both read this. */
export function techniqueData(ctx: WebContext, raw: string | undefined): Promise<TechniqueData> {
  const id = techniqueId(raw);
  return ctx.cached(`technique:${id}`, async () => {
    const res = ctx.kb ? resolveInKb(ctx.kb, id, { followRevoked: false }) : undefined;
    const attack = res && res.obj.kind === 'technique' ? buildShow(ctx.kb!, ctx.cat, res, id) : null;
    // three independent query groups, each on its own pooled connection
    const [guide, tr, analyst] = await Promise.all([
      ctx.pool.use((db) => computeGuide(db, id, { index: ctx.index, kb: ctx.kb })),
      ctx.pool.use((db) => techniqueRules(db, id, ctx.index)),
      attack ? ctx.pool.use((db) => analystView(db, attack, ctx.cat, ctx.facets, ctx.index)) : Promise.resolve(null),
    ]);
    if (!guide || !tr || (tr.rules.length === 0 && !attack)) throw notFound(`${id} is neither a technique of the loaded ATT&CK release nor named by a catalog rule`);
    return {
      id, guide, attack, analyst,
      rules: tr.rules.map((r) => ({ ...r, ...(ctx.facets.get(r.uid) ?? { platform: UNKNOWN, domain: UNKNOWN }) })),
      indicator_rules: tr.byIndicator,
    };
  });
}

const TOP = 50;
const VENDOR_NAMES: Record<string, string> = { sigma: 'Sigma', elastic: 'Elastic', splunk: 'Splunk' };

/** Rules listed in place under an indicator; more are one link away (the page stays small for T1059.001). */
const EXPAND = 25;

const indicatorHref = (id: string, exclusion: boolean, field: string, op: string, value: string): string =>
  `/techniques/${id}/indicator?${new URLSearchParams({ kind: exclusion ? 'exclusion' : 'indicator', field, op, value }).toString()}`;

/** String forms of the links of links.tsx, for the lists below (see html-string.ts). */
const vendorBadge = (vendor: string): string => `<span class="vendor v-${vendor.replace(/[^a-z]/g, '')}">${esc(vendor)}</span>`;
const ruleLink = (r: { vendor: string; id: string; title: string }): string => `<a href="${esc(ruleHref(r.vendor, r.id))}">${esc(r.title)}</a>`;
const fieldLink = (field: string): string => `<a href="${esc(fieldHref(field))}"><code>${esc(field)}</code></a>`;

/** One indicator or exclusion value with its rules in a details element (the rules listed in place, up to EXPAND). */
function expandRules(uids: string[] | undefined, byUid: Map<string, TechniqueRule>, value: string, more: string): string {
  const list = (uids ?? []).map((u) => byUid.get(u)).filter((r): r is TechniqueRule => !!r);
  let out = `<details class="expand"><summary><code>${esc(value)}</code></summary><ul>`;
  for (const r of list.slice(0, EXPAND)) out += `<li>${vendorBadge(r.vendor)} ${ruleLink(r)}</li>`;
  if (list.length > EXPAND) out += `<li><a href="${esc(more)}">all ${list.length} rules</a></li>`;
  return `${out}</ul></details>`;
}

/** The rows of the indicator or exclusion table: field, kind, value with its rules, counts. */
function valueRows(p: { id: string; exclusion: boolean; rows: Array<{ field: string; op: string; value: string; rules: number; corpus_reach?: number }>; d: TechniqueData; byUid: Map<string, TechniqueRule> }) {
  let out = '';
  for (const i of p.rows) {
    const uids = p.d.indicator_rules.get(indicatorKey(p.exclusion, i.field, i.op, i.value));
    out += `<tr><th scope="row">${fieldLink(i.field)}</th><td>${esc(i.op)}</td><td>${expandRules(uids, p.byUid, i.value, indicatorHref(p.id, p.exclusion, i.field, i.op, i.value))}</td>`
      + `<td class="num">${i.rules}</td>${p.exclusion ? '' : `<td class="num">${i.corpus_reach ?? 0}</td>`}</tr>`;
  }
  return raw(out);
}

/** The rules of one vendor, each with its platform and domain (the filter form hides the others). */
function ruleItems(list: TechniqueRule[], shown: (r: TechniqueRule) => boolean) {
  let out = '';
  for (const r of list) {
    const meta = ` ${r.platform} · ${r.domain}${r.level ? ` · ${r.level}` : ''}${r.via.length ? ` · via ${r.via.join(', ')}` : ''}`;
    out += `<li data-platform="${esc(r.platform)}" data-domain="${esc(r.domain)}"${shown(r) ? '' : ' hidden=""'}>${ruleLink(r)}<span class="meta">${esc(meta)}</span></li>`;
  }
  return raw(out);
}

export interface IndicatorRules {
  technique: { id: string; name: string | null };
  kind: 'indicator' | 'exclusion';
  field: string;
  op: string;
  value: string;
  rules: TechniqueRule[];
}

export async function indicatorRules(ctx: WebContext, rawId: string | undefined, q: (k: string) => string | undefined): Promise<IndicatorRules> {
  const d = await techniqueData(ctx, rawId);
  const kind = q('kind') === 'exclusion' ? 'exclusion' : q('kind') === 'indicator' ? 'indicator' : undefined;
  if (!kind) throw badRequest('kind must be indicator or exclusion');
  const field = text(q('field'), 'field');
  const op = text(q('op'), 'op');
  const value = text(q('value'), 'value');
  const uids = d.indicator_rules.get(indicatorKey(kind === 'exclusion', field, op, value));
  if (!uids) throw notFound(`no rule of ${d.id} has this ${kind}`);
  const byUid = new Map(d.rules.map((r) => [r.uid, r]));
  return { technique: { id: d.id, name: d.guide.technique.name }, kind, field, op, value, rules: uids.map((u) => byUid.get(u)).filter((r): r is TechniqueRule => !!r) };
}

export function IndicatorPage(p: { d: IndicatorRules; label?: string }) {
  const d = p.d;
  return (
    <Layout title={`${d.technique.id} ${d.kind} ${d.value}`} label={p.label}>
      <p class="kind">{d.kind === 'exclusion' ? 'Exclusion' : 'Indicator'} of <a href={`/techniques/${d.technique.id}`}>{d.technique.id} {d.technique.name ?? ''}</a></p>
      <h1><FieldLink field={d.field} /> {d.op} <code>{d.value}</code></h1>
      <p>{d.rules.length} rule{d.rules.length === 1 ? '' : 's'} of this technique {d.kind === 'exclusion' ? 'exclude' : 'test'} it.</p>
      <ul class="rules">{d.rules.map((r) => <li><VendorBadge vendor={r.vendor} /> <RuleLink vendor={r.vendor} id={r.id} title={r.title} /> <span class="meta">{r.platform} · {r.domain}</span></li>)}</ul>
    </Layout>
  );
}

export function TechniquePage(p: { d: TechniqueData; all: boolean; platform?: string; domain?: string; label?: string }) {
  const { guide: g, attack: a } = p.d;
  const byUid = new Map(p.d.rules.map((r) => [r.uid, r]));
  const name = g.technique.name ?? a?.object.name ?? '';
  const indicators = p.all ? g.indicators : g.indicators.slice(0, TOP);
  const exclusions = p.all ? g.exclusions : g.exclusions.slice(0, TOP);
  const platforms = facetCounts(p.d.rules, 'platform');
  const domains = facetCounts(p.d.rules, 'domain');
  const shown = (r: TechniqueRule): boolean => (!p.platform || r.platform === p.platform) && (!p.domain || r.domain === p.domain);
  const refs = a?.references ?? [];
  return (
    <Layout title={`${g.technique.id} ${name}`} label={p.label}>
      <p class="kind">ATT&amp;CK technique{a?.object.is_subtechnique ? ' (sub-technique)' : ''}</p>
      <h1><span class="id">{g.technique.id}</span> {name}</h1>
      {a?.object.revoked ? <p class="note">Revoked in ATT&amp;CK {a.release}{a.revoked_by ? <>: replaced by <AttackLink id={a.revoked_by.id} name={a.revoked_by.name} /></> : ''}. The {g.rules.total} rule{g.rules.total === 1 ? '' : 's'} below still name {g.technique.id}{a.revoked_by ? ` and should name ${a.revoked_by.id}` : ''}.</p> : ''}
      {a?.object.deprecated && !a.object.revoked ? <p class="note">Deprecated in ATT&amp;CK {a.release}.</p> : ''}
      {!a ? <p class="note">Not a technique of the loaded ATT&amp;CK release; named by catalog rules only.</p> : ''}
      <dl class="facts">
        <dt>Tactics</dt><dd>{a?.tactics?.length ? a.tactics.map((t, i) => <>{i > 0 ? ', ' : ''}<AttackLink id={t.id} name={t.name} /></>) : (g.technique.tactics ?? []).join(', ') || 'unknown'}</dd>
        {a ? <><dt>Platforms</dt><dd>{a.object.platforms.join(', ') || '-'}</dd></> : ''}
        {a?.parent ? <><dt>Parent</dt><dd><AttackLink id={a.parent.id} name={a.parent.name} /></dd></> : ''}
        <dt>Rules</dt><dd>{g.rules.total} (Sigma {g.rules.by_vendor.sigma}, Elastic {g.rules.by_vendor.elastic}, Splunk {g.rules.by_vendor.splunk})</dd>
        {a ? <><dt>ATT&amp;CK</dt><dd><a href={`/attack/${g.technique.id}`}>object page, history and raw STIX</a> (release {a.release})</dd></> : ''}
      </dl>
      {a ? <Cited text={a.description} refs={refs} /> : <p class="note">No ATT&amp;CK release with this technique is loaded: the page shows the catalog only.</p>}
      <nav class="toc" aria-label="On this page">
        <a href="#guide">Authoring guide</a> <a href="#rules">Rules</a> {a ? <><a href="#analyst">Analyst view</a> <a href="#detection">Detection strategies</a> <a href="#mitigations">Mitigations</a> <a href="#procedures">Procedures</a> <a href="#references">References</a></> : ''}
      </nav>

      <Section id="guide" title="Authoring guide">
        <p>Patterns shared by the {g.rules.total} rules of this technique (sub-technique rules included): fields, values they look for, values they exclude. Vendor field names are normalized, so Sigma's <code>Image</code>, Elastic's <code>process.name</code> and Splunk's <code>process_name</code> are one row.</p>
        <h3 id="events">Events covered ({g.events_covered.length})</h3>
        {g.events_covered.length === 0 ? <p class="none">None.</p> : <ul class="inline">{g.events_covered.map((e) => <li><code>{e.event}</code> {e.rules}</li>)}</ul>}
        <h3 id="fields">Fields filtered most ({g.fields.length} distinct)</h3>
        <div class="scroll">
          <table>
            <caption class="sr-only">Fields filtered most</caption>
            <thead><tr><th scope="col">Field</th><th scope="col">Rules</th><th scope="col">How</th><th scope="col">Vendor names</th><th scope="col">Sample values</th></tr></thead>
            <tbody>
              {g.fields.map((f) => (
                <tr>
                  <th scope="row"><FieldLink field={f.field} /></th>
                  <td class="num">{f.rules}</td>
                  <td>{Object.entries(f.operators).map(([op, n]) => `${op} ${n}`).join(', ')}</td>
                  <td>{Object.entries(f.vendor_fields).map(([v, fs]) => <div><span class="meta">{v}:</span> {fs.map((x, i) => <>{i > 0 ? ', ' : ''}<code>{x}</code></>)}</div>)}</td>
                  <td class="values">{f.samples.map((s, i) => <>{i > 0 ? ' ' : ''}<code>{s}</code></>)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <h3 id="indicators">Top indicator values ({g.indicators.length} distinct)</h3>
        <p>Ranked by rules under this technique. Corpus reach counts rules of the whole catalog testing the same field, operator and value: high reach means a noisy indicator on its own. Open a value for its rules.</p>
        <div class="scroll">
          <table class="indicators">
            <caption class="sr-only">Indicator values</caption>
            <thead><tr><th scope="col">Field</th><th scope="col">Kind</th><th scope="col">Value</th><th scope="col">Rules (here)</th><th scope="col">Corpus reach</th></tr></thead>
            <tbody>
              {valueRows({ id: g.technique.id, exclusion: false, rows: indicators, d: p.d, byUid })}
            </tbody>
          </table>
        </div>
        {!p.all && g.indicators.length > TOP ? <p><a href={`/techniques/${g.technique.id}?all=1#indicators`}>Show all {g.indicators.length} indicators</a></p> : ''}
        <h3 id="exclusions">Exclusions ({g.exclusions.length} distinct)</h3>
        <p>Values excluded by top-level <code>not</code> clauses: the false-positive paths rule authors filter out.</p>
        {g.exclusions.length === 0 ? <p class="none">None.</p> : (
          <div class="scroll">
            <table class="indicators">
              <caption class="sr-only">Exclusions</caption>
              <thead><tr><th scope="col">Field</th><th scope="col">Kind</th><th scope="col">Value</th><th scope="col">Rules excluding</th></tr></thead>
              <tbody>
                {valueRows({ id: g.technique.id, exclusion: true, rows: exclusions, d: p.d, byUid })}
              </tbody>
            </table>
          </div>
        )}
        {!p.all && g.exclusions.length > TOP ? <p><a href={`/techniques/${g.technique.id}?all=1#exclusions`}>Show all {g.exclusions.length} exclusions</a></p> : ''}
      </Section>

      <Section id="rules" title="Rules under this technique" count={p.d.rules.length}>
        <form class="filters" method="get" action={`/techniques/${g.technique.id}#rules`} data-filter="rules">
          <label>Platform <select name="platform">
            <option value="">(all)</option>
            {platforms.map((x) => <option value={x.value} selected={x.value === p.platform}>{x.value} ({x.rules})</option>)}
          </select></label>
          <label>Domain <select name="domain">
            <option value="">(all)</option>
            {domains.map((x) => <option value={x.value} selected={x.value === p.domain}>{x.value} ({x.rules})</option>)}
          </select></label>
          <button type="submit">Filter</button>
          <output name="shown" aria-live="polite">{p.d.rules.filter(shown).length} shown</output>
        </form>
        {(['sigma', 'elastic', 'splunk'] as const).map((v) => {
          const list = p.d.rules.filter((r) => r.vendor === v);
          if (list.length === 0) return '';
          return (
            <section class="vendor-rules" aria-label={`${VENDOR_NAMES[v]} rules`}>
              <h3><VendorBadge vendor={v} /> {VENDOR_NAMES[v]} <span class="count">{list.length} rule{list.length === 1 ? '' : 's'}</span></h3>
              <ul class="rules" id={`rules-${v}`}>{ruleItems(list, shown)}</ul>
            </section>
          );
        })}
      </Section>

      {p.d.analyst ? <Analyst view={p.d.analyst} what="technique" /> : ''}
      {a ? (
        <>
          <Section id="detection" title="Detection strategies and analytics" count={a.detection_strategies?.length ?? 0}><Strategies rep={a} /></Section>
          {a.subtechniques && a.subtechniques.length > 0 ? <Section id="subtechniques" title="Sub-techniques" count={a.subtechniques.length}><RefList items={a.subtechniques} /></Section> : ''}
          <Section id="mitigations" title="Mitigations" count={a.mitigations?.length ?? 0}><RelTable items={a.mitigations ?? []} refs={refs} caption="Mitigations" /></Section>
          <Section id="procedures" title="Procedure examples: groups, software and campaigns" count={a.procedures?.length ?? 0}><RelTable items={a.procedures ?? []} refs={refs} caption="Procedure examples" kind /></Section>
          <Section id="references" title="References" count={refs.length}><References refs={refs} /></Section>
        </>
      ) : ''}
    </Layout>
  );
}

export function registerTechnique(app: Hono, ctx: WebContext): void {
  app.get('/techniques/:id', async (c) => {
    const d = await techniqueData(ctx, c.req.param('id'));
    return page(c, <TechniquePage d={d} all={c.req.query('all') === '1'} platform={optionalWord(c.req.query('platform'), 'platform')}
      domain={optionalWord(c.req.query('domain'), 'domain')} label={ctx.opts.label} />);
  });
  app.get('/techniques/:id/indicator', async (c) => page(c, <IndicatorPage d={await indicatorRules(ctx, c.req.param('id'), (k) => c.req.query(k))} label={ctx.opts.label} />));
}
