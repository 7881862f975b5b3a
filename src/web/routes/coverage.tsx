import type { Hono } from 'hono';
import { coverageMatrix, type CoverageFilters, type CoverageMatrix } from '../../catalog/coverage.js';
import { bucketOf, COVERAGE_BUCKETS, navigatorLayer } from '../../catalog/navigator-layer.js';
import type { WebContext } from '../context.js';
import { badRequest, notFound } from '../http-error.js';
import { Layout } from '../layout.js';
import { optionalWord } from '../params.js';
import { page } from '../render.js';
import { AttackLink } from '../components/links.js';

export function coverageFilters(q: (k: string) => string | undefined): CoverageFilters {
  const f: CoverageFilters = {};
  const vendor = optionalWord(q('vendor'), 'vendor');
  if (vendor && !['sigma', 'elastic', 'splunk'].includes(vendor)) throw badRequest('vendor must be one of sigma, elastic, splunk');
  if (vendor) f.vendor = vendor;
  const platform = optionalWord(q('platform'), 'platform');
  if (platform) f.platform = platform;
  const logsource = optionalWord(q('logsource'), 'logsource');
  if (logsource) f.logsource = logsource;
  return f;
}

export function coverageData(ctx: WebContext, f: CoverageFilters): Promise<CoverageMatrix> {
  return ctx.memo(`coverage:${f.vendor ?? ''}:${f.platform ?? ''}:${f.logsource ?? ''}`, async () => {
    if (!ctx.kb) throw notFound('no ATT&CK release is loaded in this catalog (catalog build --attack FILE): the matrix needs one');
    return coverageMatrix(ctx.kb, ctx.cat, ctx.facets, f);
  });
}

const qs = (f: CoverageFilters): string => new URLSearchParams(Object.entries(f).filter(([, v]) => v) as Array<[string, string]>).toString();

export function CoveragePage(p: { m: CoverageMatrix; label?: string }) {
  const m = p.m;
  const f = m.filters;
  const sel = (name: string, values: string[], cur: string | undefined) => (
    <select name={name}><option value="">(all)</option>{values.map((v) => <option value={v} selected={v === cur}>{v}</option>)}</select>
  );
  const query = qs(f);
  return (
    <Layout title="Coverage" label={p.label}>
      <h1>Coverage: ATT&amp;CK {m.release} by catalog rules</h1>
      <form class="filters" method="get" action="/coverage">
        <label>Vendor {sel('vendor', m.options.vendors, f.vendor)}</label>
        <label>Platform {sel('platform', m.options.platforms, f.platform)}</label>
        <label>Log source {sel('logsource', m.options.logsources, f.logsource)}</label>
        <button type="submit">Apply</button>
      </form>
      <p>{m.rules} rules pass the filters. A technique counts the rules tagged with it or one of its sub-techniques. <a href={`/coverage/layer.json${query ? `?${query}` : ''}`} download="detectory-coverage-layer.json">Download as ATT&amp;CK Navigator layer (format 4.5)</a>.</p>
      <ul class="legend" aria-label="Legend">{COVERAGE_BUCKETS.map((b, i) => <li><span class={`swatch b${i}`}></span>{b.label}</li>)}</ul>
      <div class="scroll matrix-wrap">
        <table class="matrix">
          <caption class="sr-only">Techniques by tactic with rule counts</caption>
          <thead><tr>{m.tactics.map((t) => <th scope="col"><a href={`/attack/${t.id}`}>{t.name}</a><span class="meta"> {t.techniques.length}</span></th>)}</tr></thead>
          <tbody>
            <tr>
              {m.tactics.map((t) => (
                <td>
                  <ul class="cells">
                    {t.techniques.map((c) => (
                      <li class={`b${bucketOf(c.rules)}`} data-technique={c.id} data-rules={c.rules}>
                        <a href={`/techniques/${c.id}`}>{c.name}</a> <span class="n" aria-label={`${c.rules} rules`}>{c.rules}</span>
                        {c.subtechniques.some((s) => s.rules > 0) ? (
                          <details><summary>sub-techniques</summary><ul>{c.subtechniques.filter((s) => s.rules > 0).map((s) => <li data-technique={s.id} data-rules={s.rules}><AttackLink id={s.id} name={s.name} /> {s.rules}</li>)}</ul></details>
                        ) : ''}
                      </li>
                    ))}
                  </ul>
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      {m.unmatched.length ? <><h2>Technique ids of rules outside the matrix ({m.unmatched.length})</h2><p>Revoked, deprecated or unknown in {m.release}:</p><ul class="inline">{m.unmatched.map((u) => <li><AttackLink id={u.id} /> {u.rules}</li>)}</ul></> : ''}
    </Layout>
  );
}

export function registerCoverage(app: Hono, ctx: WebContext): void {
  app.get('/coverage', async (c) => page(c, <CoveragePage m={await coverageData(ctx, coverageFilters((k) => c.req.query(k)))} label={ctx.opts.label} />));
  app.get('/coverage/layer.json', async (c) => {
    const layer = navigatorLayer(await coverageData(ctx, coverageFilters((k) => c.req.query(k))));
    c.header('content-disposition', 'attachment; filename="detectory-coverage-layer.json"');
    return c.json(layer);
  });
}
