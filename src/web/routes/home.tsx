import type { Hono } from 'hono';
import type { SearchResult } from '../../catalog/search.js';
import type { CatalogStats } from '../../catalog/stats.js';
import { labelOf } from '../../attack/kinds.js';
import type { WebContext } from '../context.js';
import { Layout } from '../layout.js';
import { text } from '../params.js';
import { page } from '../render.js';
import { Section } from '../components/attack-sections.js';
import { AttackLink, FieldLink, RuleLink, VendorBadge } from '../components/links.js';

export interface HomeData {
  stats: CatalogStats;
  releases: string[];
  attack_release: string | null;
}

export function homeData(ctx: WebContext): HomeData {
  return { stats: ctx.stats, releases: ctx.releases, attack_release: ctx.kb?.release ?? null };
}

export function searchData(ctx: WebContext, q: string | undefined): Promise<SearchResult> {
  const query = text(q ?? '', 'q').trim();
  // the in-memory form of search() (the same answer: test/catalog/search-index.test.ts)
  return ctx.cached(`search:${query.toLowerCase()}`, async () => ctx.search.search(query));
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export function HomePage(p: { d: HomeData; label?: string }) {
  const s = p.d.stats;
  return (
    <Layout title="Home" label={p.label}>
      <h1>Detection catalog</h1>
      <p>Sigma, Elastic and Splunk rules on one model, joined with MITRE ATT&amp;CK. Search finds techniques and every other ATT&amp;CK object, rules of each vendor, fields and indicator values (try <a href="/search?q=pubprn.vbs">pubprn.vbs</a>).</p>
      <form class="search big" role="search" method="get" action="/search">
        <label for="q-home">Search</label>
        <input id="q-home" name="q" type="search" maxlength={200} placeholder="T1216, AN1288, pubprn.vbs, CommandLine, a rule title" />
        <button type="submit">Search</button>
      </form>
      <Section id="corpus" title="Corpus">
        <div class="scroll"><table>
          <caption class="sr-only">Rules per vendor and parse coverage</caption>
          <thead><tr><th scope="col">Vendor</th><th scope="col">Files</th><th scope="col">Rules</th><th scope="col">Parsed</th><th scope="col">Partial</th><th scope="col">Failed</th><th scope="col">Coverage (goal)</th></tr></thead>
          <tbody>
            {s.vendors.map((v) => (
              <tr><th scope="row"><VendorBadge vendor={v.vendor} /></th><td class="num">{v.files}</td><td class="num">{v.rules}</td><td class="num">{v.parsed}</td><td class="num">{v.partial}</td><td class="num">{v.failed}</td>
                <td class="num">{pct(v.coverage)} ({pct(v.coverage_goal)})</td></tr>
            ))}
          </tbody>
        </table></div>
        <p>Coverage: rules the vendor's goal counts that yield predicates. {s.rules} rules in {s.files} files, {s.problems} parse problems.</p>
        {s.reasons.length ? (
          <details><summary>Parse problems by reason ({s.reasons.length})</summary>
            <div class="scroll"><table>
              <caption class="sr-only">Parse problems by reason</caption>
              <thead><tr><th scope="col">Vendor</th><th scope="col">Reason</th><th scope="col">Problems</th><th scope="col">Files</th></tr></thead>
              <tbody>{s.reasons.map((r) => <tr><td>{r.vendor}</td><th scope="row">{r.reason}</th><td class="num">{r.problems}</td><td class="num">{r.files}</td></tr>)}</tbody>
            </table></div>
          </details>
        ) : ''}
      </Section>
      <Section id="attack" title="ATT&CK releases loaded">
        {p.d.releases.length === 0 ? <p class="none">None: load one with <code>detectory catalog build --attack enterprise-attack-18.1.json</code>.</p> : (
          <p>{p.d.releases.join(', ')}; pages show {p.d.attack_release}. Start from <AttackLink id="T1216" name="System Script Proxy Execution" />, <AttackLink id="AN1288" /> or the <a href="/coverage">coverage matrix</a>.</p>
        )}
      </Section>
    </Layout>
  );
}

const TYPE_ORDER = ['attack-pattern', 'x-mitre-tactic', 'x-mitre-detection-strategy', 'x-mitre-analytic', 'x-mitre-data-component', 'x-mitre-data-source', 'course-of-action', 'intrusion-set', 'malware', 'tool', 'campaign'];

export function SearchPage(p: { r: SearchResult; label?: string }) {
  const r = p.r;
  const total = r.attack.length + r.rules.length + r.fields.length + r.indicators.length;
  const attack = [...r.attack].sort((a, b) => (TYPE_ORDER.indexOf(a.type) + 1 || 99) - (TYPE_ORDER.indexOf(b.type) + 1 || 99));
  return (
    <Layout title={`Search ${r.query}`} q={r.query} label={p.label}>
      <h1>Search{r.query ? <>: <q>{r.query}</q></> : ''}</h1>
      {r.query === '' ? <p>Type a technique id, an ATT&amp;CK name, a rule title, a field or a value.</p> : <p aria-live="polite">{total} result{total === 1 ? '' : 's'}.</p>}
      {attack.length ? (
        <Section id="attack" title="ATT&CK" count={attack.length}>
          <ul class="results">{attack.map((a) => <li><AttackLink id={a.id} name={a.name} /> <span class="meta">{labelOf(a.type)} · {a.match === 'rules' ? `via ${a.rules} matching rule${a.rules === 1 ? '' : 's'}` : `${a.match} matches`}</span></li>)}</ul>
        </Section>
      ) : ''}
      {r.rules.length ? (
        <Section id="rules" title="Rules" count={r.rules.length}>
          <ul class="results">{r.rules.map((x) => <li><VendorBadge vendor={x.vendor} /> <RuleLink vendor={x.vendor} id={x.id} title={x.title} /> <span class="meta">{x.match} matches{x.level ? ` · ${x.level}` : ''}</span></li>)}</ul>
        </Section>
      ) : ''}
      {r.indicators.length ? (
        <Section id="indicators" title="Indicator values" count={r.indicators.length}>
          <div class="scroll"><table>
            <caption class="sr-only">Indicator values</caption>
            <thead><tr><th scope="col">Field</th><th scope="col">Kind</th><th scope="col">Value</th><th scope="col">Rules</th></tr></thead>
            <tbody>{r.indicators.map((i) => <tr><th scope="row"><FieldLink field={i.field} /></th><td>{i.op}</td><td><code>{i.value}</code></td><td class="num">{i.rules}</td></tr>)}</tbody>
          </table></div>
        </Section>
      ) : ''}
      {r.fields.length ? (
        <Section id="fields" title="Fields" count={r.fields.length}>
          <ul class="inline">{r.fields.map((f) => <li><FieldLink field={f.field} /> {f.rules}</li>)}</ul>
        </Section>
      ) : ''}
    </Layout>
  );
}

export function registerHome(app: Hono, ctx: WebContext): void {
  app.get('/', (c) => page(c, <HomePage d={homeData(ctx)} label={ctx.opts.label} />));
  app.get('/search', async (c) => page(c, <SearchPage r={await searchData(ctx, c.req.query('q'))} label={ctx.opts.label} />));
}
