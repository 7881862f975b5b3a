import type { Hono } from 'hono';
import { historyReport, type HistoryReport } from '../../attack/history-report.js';
import { labelOf } from '../../attack/kinds.js';
import { diffObject, rawObjectText, shown as show, type ObjectDiff } from '../../attack/object-diff.js';
import { relationshipsOf, type RelationshipGroup } from '../../attack/relationships.js';
import { resolveInKb, resolveViaOtherReleases } from '../../attack/resolve.js';
import { buildShow, type ShowReport } from '../../attack/show.js';
import { analystView, type AnalystView } from '../../catalog/analyst-view.js';
import type { WebContext } from '../context.js';
import { notFound } from '../http-error.js';
import { Layout } from '../layout.js';
import { attackId, release } from '../params.js';
import { page } from '../render.js';
import { Analyst } from '../components/analyst.js';
import { Cited, LogSources, MutableElements, RefList, References, RelTable, Section, ShowRules, Strategies } from '../components/attack-sections.js';
import { AttackLink } from '../components/links.js';

export interface AttackData {
  show: ShowReport;
  relationships: RelationshipGroup[];
  history: HistoryReport | null;
  analyst: AnalystView | null;
}

export function attackData(ctx: WebContext, raw: string | undefined): Promise<AttackData> {
  const id = attackId(raw);
  return ctx.memo(`attack:${id}`, async (db) => {
    const kb = ctx.kb;
    if (!kb) throw notFound('no ATT&CK release is loaded in this catalog (catalog build --attack FILE)');
    const res = resolveInKb(kb, id, { followRevoked: false }) ?? (await resolveViaOtherReleases(db, kb, id));
    if (!res) throw notFound(`${id} is not an object of ATT&CK release ${kb.release}`);
    const show = buildShow(kb, ctx.cat, res, id);
    const history = (await historyReport(db, res.obj.stixId, [])) ?? null;
    const analyst = res.obj.kind === 'analytic' ? await analystView(db, show, ctx.cat, ctx.facets, ctx.index) : null;
    return { show, relationships: relationshipsOf(kb, res.obj.stixId), history, analyst };
  });
}

export interface DiffData {
  id: string;
  name: string;
  releases: string[];
  diff: ObjectDiff;
}

export async function attackDiff(ctx: WebContext, raw: string | undefined, fromQ: string | undefined, toQ: string | undefined): Promise<DiffData> {
  const a = await attackData(ctx, raw);
  const rels = ctx.releases;
  const present = (a.history?.releases ?? []).filter((r) => r.present).map((r) => r.release);
  const from = fromQ ? release(fromQ, rels, 'from') : present[present.length - 2] ?? rels[0];
  const to = toQ ? release(toQ, rels, 'to') : present[present.length - 1] ?? rels[rels.length - 1];
  const o = a.show.object;
  const diff = await ctx.memo(`diff:${o.stix_id}:${from}:${to}`, (db) => diffObject(db, o.stix_id, o.id, from, to));
  return { id: o.id, name: o.name, releases: rels, diff };
}

/** The STIX object of a release, as the JSON text stored at import. */
export async function attackRaw(ctx: WebContext, raw: string | undefined, relQ: string | undefined): Promise<string> {
  const a = await attackData(ctx, raw);
  const rel = relQ ? release(relQ, ctx.releases, 'release') : a.show.release;
  const obj = await ctx.memo(`raw:${a.show.object.stix_id}:${rel}`, (db) => rawObjectText(db, a.show.object.stix_id, rel));
  if (obj === undefined) throw notFound(`${a.show.object.id} is not in ATT&CK release ${rel}`);
  return obj;
}

const short = (h: string | null): string => (h ? `${h.slice(0, 12)}…` : '');

function History(p: { h: HistoryReport; id: string }) {
  return (
    <div class="scroll">
      <table>
        <caption class="sr-only">Change history across imported releases</caption>
        <thead><tr><th scope="col">Release</th><th scope="col">Present</th><th scope="col">Status</th><th scope="col">Change</th><th scope="col">Modified</th><th scope="col">Version</th><th scope="col">Content hash</th><th scope="col">Fields changed</th><th scope="col">Raw</th></tr></thead>
        <tbody>
          {p.h.releases.map((r) => (
            <tr>
              <th scope="row">{r.release}</th>
              <td>{r.present ? 'yes' : 'no'}</td>
              <td>{r.status ?? ''}</td>
              <td>{r.change}</td>
              <td>{r.modified ? r.modified.slice(0, 10) : ''}</td>
              <td>{r.version ?? ''}</td>
              <td><code title={r.content_hash ?? ''}>{short(r.content_hash)}</code></td>
              <td>{[...r.fields_added.map((f) => `+${f}`), ...r.fields_removed.map((f) => `-${f}`), ...r.fields_changed].join(', ')}</td>
              <td>{r.present ? <a href={`/attack/${encodeURIComponent(p.id)}/raw?release=${encodeURIComponent(r.release)}`}>JSON</a> : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DiffForm(p: { id: string; releases: string[]; from?: string; to?: string }) {
  return (
    <form class="filters" method="get" action={`/attack/${encodeURIComponent(p.id)}/diff`}>
      <label>From <select name="from">{p.releases.map((r) => <option selected={r === p.from}>{r}</option>)}</select></label>
      <label>To <select name="to">{p.releases.map((r) => <option selected={r === p.to}>{r}</option>)}</select></label>
      <button type="submit">Compare</button>
    </form>
  );
}

export function AttackPage(p: { d: AttackData; releases: string[]; label?: string }) {
  const s = p.d.show;
  const o = s.object;
  const refs = s.references;
  const present = (p.d.history?.releases ?? []).filter((r) => r.present).map((r) => r.release);
  return (
    <Layout title={`${o.id} ${o.name}`} label={p.label}>
      <p class="kind">ATT&amp;CK {labelOf(o.type)}</p>
      <h1><span class="id">{o.id}</span> {o.name}</h1>
      {s.resolved_from.length > 0 ? <p class="note">Revoked {s.resolved_from.map((r) => r.id).join(', ')}: shown is its replacement.</p> : ''}
      {o.revoked ? <p class="note">Revoked in {s.release}{s.revoked_by ? <>; replaced by <AttackLink id={s.revoked_by.id} name={s.revoked_by.name} /></> : ''}.</p> : ''}
      {o.deprecated ? <p class="note">Deprecated in {s.release}.</p> : ''}
      <dl class="facts">
        <dt>Release</dt><dd>{s.release}</dd>
        <dt>Version</dt><dd>{o.version || '-'}</dd>
        <dt>Created</dt><dd>{o.created.slice(0, 10) || '-'}</dd>
        <dt>Modified</dt><dd>{o.modified.slice(0, 10) || '-'}</dd>
        {o.platforms.length ? <><dt>Platforms</dt><dd>{o.platforms.join(', ')}</dd></> : ''}
        {o.aliases.length ? <><dt>Also known as</dt><dd>{o.aliases.join(', ')}</dd></> : ''}
        <dt>STIX id</dt><dd><code>{o.stix_id}</code></dd>
        {o.kind === 'technique' ? <><dt>Catalog</dt><dd><a href={`/techniques/${o.id}`}>technique page with the authoring guide</a></dd></> : ''}
        {o.url && /^https:\/\/attack\.mitre\.org\//.test(o.url) ? <><dt>MITRE</dt><dd><a href={o.url} rel="nofollow noopener noreferrer">attack.mitre.org</a></dd></> : ''}
      </dl>
      <Cited text={s.description} refs={refs} />
      {s.detection ? <><h2>Detection (ATT&amp;CK text)</h2><Cited text={s.detection} refs={refs} /></> : ''}

      {s.analytic ? (
        <>
          <Section id="log-sources" title="Log sources" count={s.analytic.log_sources.length}><LogSources an={s.analytic} /></Section>
          <Section id="mutable" title="Mutable elements" count={s.analytic.mutable_elements.length}><MutableElements an={s.analytic} /></Section>
          <Section id="strategy" title="Detection strategy and techniques">
            <h3>Strategies</h3><RefList items={s.strategies ?? []} />
            <h3>Techniques</h3><RefList items={s.techniques ?? []} />
          </Section>
        </>
      ) : ''}
      {p.d.analyst ? <Analyst view={p.d.analyst} what="analytic" /> : ''}
      {s.rules ? <Section id="rules" title={o.kind === 'analytic' ? 'Catalog rules implementing it' : 'Catalog rules'} count={s.rules.total}><ShowRules rules={s.rules} /></Section> : ''}
      {s.tactics ? <Section id="tactics" title="Tactics"><RefList items={s.tactics} /></Section> : ''}
      {s.detection_strategies ? <Section id="detection" title="Detection strategies and analytics" count={s.detection_strategies.length}><Strategies rep={s} /></Section> : ''}
      {s.analytics ? <Section id="analytics" title="Analytics" count={s.analytics.length}><RefList items={s.analytics} /></Section> : ''}
      {s.data_source ? <Section id="data-source" title="Data source"><RefList items={[s.data_source]} /></Section> : ''}
      {s.data_components ? <Section id="data-components" title="Data components" count={s.data_components.length}><RefList items={s.data_components} /></Section> : ''}
      {s.techniques && !s.analytic ? <Section id="techniques" title="Techniques" count={s.techniques.length}><RelTable items={s.techniques} refs={refs} caption="Techniques" /></Section> : ''}
      {s.mitigations ? <Section id="mitigations" title="Mitigations" count={s.mitigations.length}><RelTable items={s.mitigations} refs={refs} caption="Mitigations" /></Section> : ''}
      {s.procedures ? <Section id="procedures" title="Procedure examples" count={s.procedures.length}><RelTable items={s.procedures} refs={refs} caption="Procedure examples" kind /></Section> : ''}
      {s.software ? <Section id="software" title="Software" count={s.software.length}><RelTable items={s.software} refs={refs} caption="Software" /></Section> : ''}
      {s.groups ? <Section id="groups" title="Groups" count={s.groups.length}><RelTable items={s.groups} refs={refs} caption="Groups" /></Section> : ''}
      {s.campaigns ? <Section id="campaigns" title="Campaigns" count={s.campaigns.length}><RelTable items={s.campaigns} refs={refs} caption="Campaigns" /></Section> : ''}

      <Section id="relationships" title="Relationship explorer" count={p.d.relationships.reduce((n, g) => n + g.items.length, 0)}>
        {p.d.relationships.length === 0 ? <p class="none">No STIX relationship names this object (embedded references are listed above).</p> : p.d.relationships.map((g) => (
          <details>
            <summary>{g.direction === 'outgoing' ? `${g.relationship} → ${g.kind}` : `${g.kind} → ${g.relationship} → this`} ({g.items.length})</summary>
            <RefList items={g.items} />
          </details>
        ))}
      </Section>

      <Section id="history" title="Change history">
        <p>Every imported ATT&amp;CK release: presence, status, modification date, version, content hash (the object without <code>modified</code>), and the fields that changed from the previous release.</p>
        {p.d.history ? <History h={p.d.history} id={o.id || o.stix_id} /> : <p class="none">No history recorded.</p>}
        <h3>Compare two releases</h3>
        <DiffForm id={o.id || o.stix_id} releases={p.releases} from={present[present.length - 2] ?? p.releases[0]} to={present[present.length - 1]} />
      </Section>
      <Section id="references" title="External references" count={refs.length}><References refs={refs} /></Section>
    </Layout>
  );
}


export function DiffPage(p: { d: DiffData; label?: string }) {
  const d = p.d.diff;
  return (
    <Layout title={`${p.d.id} ${d.from} → ${d.to}`} label={p.label}>
      <p class="kind">ATT&amp;CK change view</p>
      <h1><a href={`/attack/${encodeURIComponent(p.d.id)}`}><span class="id">{p.d.id}</span> {p.d.name}</a>: {d.from} → {d.to}</h1>
      <DiffForm id={p.d.id} releases={p.d.releases} from={d.from} to={d.to} />
      {!d.present.from || !d.present.to ? <p class="note">{!d.present.from ? `Absent from ${d.from}. ` : ''}{!d.present.to ? `Absent from ${d.to}.` : ''}</p> : ''}
      <p>{d.changes.length} field{d.changes.length === 1 ? '' : 's'} differ; {d.unchanged.length} unchanged ({d.unchanged.join(', ')}).</p>
      <div class="scroll">
        <table class="diff">
          <caption class="sr-only">Fields changed between {d.from} and {d.to}</caption>
          <thead><tr><th scope="col">Field</th><th scope="col">Change</th><th scope="col">Lines ({d.from} removed, {d.to} added)</th></tr></thead>
          <tbody>
            {d.changes.map((c) => (
              <tr class={`chg-${c.change}`}>
                <th scope="row"><code>{c.field}</code></th>
                <td>{c.change}</td>
                <td>
                  <pre class="val">{c.lines
                    ? c.lines.map((l) => (l.op === 'same' ? `  ${l.text}\n` : l.op === 'del' ? <del>{`- ${l.text}\n`}</del> : <ins>{`+ ${l.text}\n`}</ins>))
                    : <>{c.change === 'added' ? '' : <del>{show(c.before)}</del>}{c.change === 'added' || c.change === 'removed' ? '' : '\n'}{c.change === 'removed' ? '' : <ins>{show(c.after)}</ins>}</>}</pre>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </Layout>
  );
}

export function registerAttack(app: Hono, ctx: WebContext): void {
  app.get('/attack/:id', async (c) => page(c, <AttackPage d={await attackData(ctx, c.req.param('id'))} releases={ctx.releases} label={ctx.opts.label} />));
  app.get('/attack/:id/diff', async (c) => page(c, <DiffPage d={await attackDiff(ctx, c.req.param('id'), c.req.query('from'), c.req.query('to'))} label={ctx.opts.label} />));
  app.get('/attack/:id/raw', async (c) => c.body(await attackRaw(ctx, c.req.param('id'), c.req.query('release')), 200, { 'content-type': 'application/json; charset=utf-8' }));
}
