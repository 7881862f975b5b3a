import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';
import type { Reference } from '../../attack/citations.js';
import type { AnalyticDetail, ObjRef, RelRef, RuleRef, RulesSection, ShowReport } from '../../attack/show.js';
import { AttackLink, attackHref, RuleLink, VendorBadge } from './links.js';
import { isSafeLink } from '../markdown.js';
import { esc } from '../html-string.js';
import { citedMarkdown } from '../cited-markdown.js';

/** Reference numbers by source name, built once per reference list (a procedure table cites it in every row). */
const numbersOf = new WeakMap<Reference[], Map<string, number>>();
function refNumbers(refs: Reference[]): Map<string, number> {
  let m = numbersOf.get(refs);
  if (!m) numbersOf.set(refs, (m = new Map(refs.map((r) => [r.source_name, r.n]))));
  return m;
}

/** ATT&CK text with "(Citation: X)" turned into numbered links to the reference list. */
export function Cited(p: { text: string; refs: Reference[] }) {
  return <div class="md">{raw(citedMarkdown.render(p.text, refNumbers(p.refs)))}</div>;
}

export function Section(p: { id: string; title: string; children?: Child; count?: number }) {
  return (
    <section id={p.id} aria-labelledby={`${p.id}-h`}>
      <h2 id={`${p.id}-h`}>{p.title}{p.count !== undefined ? <span class="count"> ({p.count})</span> : ''}</h2>
      {p.children}
    </section>
  );
}

export function RefList(p: { items: ObjRef[] }) {
  if (p.items.length === 0) return <p class="none">None.</p>;
  return <ul class="refs">{p.items.map((o) => <li><AttackLink id={o.id} name={o.name} />{o.deprecated ? ' (deprecated)' : ''}{o.revoked ? ' (revoked)' : ''}</li>)}</ul>;
}

/** String forms of AttackLink, ExtLink and Cited for the long tables below (see html-string.ts). */
const attackLink = (id: string): string => `<a href="${esc(attackHref(id))}"><span class="id">${esc(id)}</span></a>`;
function extLink(url: string, text: string): string {
  if (!/^https?:\/\//i.test(url) || !isSafeLink(url)) return `<span class="url">${esc(text)}</span>`;
  return `<a href="${esc(url)}" rel="nofollow noopener noreferrer">${esc(text)}</a>`;
}

/** Related objects with the relationship's description (procedure examples, mitigations): rows built as strings (T1059.001 has hundreds). */
export function RelTable(p: { items: Array<RelRef & { kind?: string }>; refs: Reference[]; caption: string; kind?: boolean }) {
  if (p.items.length === 0) return <p class="none">None.</p>;
  const numbers = refNumbers(p.refs);
  let rows = '';
  for (const r of p.items) {
    rows += `<tr><th scope="row">${attackLink(r.id)}</th>${p.kind ? `<td>${esc(r.kind ?? '')}</td>` : ''}<td>${esc(r.name)}</td>`
      + `<td>${r.description ? `<div class="md">${citedMarkdown.render(r.description, numbers)}</div>` : ''}</td></tr>`;
  }
  return (
    <div class="scroll">
      <table>
        <caption class="sr-only">{p.caption}</caption>
        <thead><tr><th scope="col">ID</th>{p.kind ? <th scope="col">Kind</th> : ''}<th scope="col">Name</th><th scope="col">Description</th></tr></thead>
        <tbody>{raw(rows)}</tbody>
      </table>
    </div>
  );
}

export function References(p: { refs: Reference[] }) {
  if (p.refs.length === 0) return <p class="none">No external references.</p>;
  let items = '';
  for (const r of p.refs) {
    items += `<li id="ref-${r.n}"><strong>${esc(r.source_name)}</strong>${r.description ? esc(`: ${r.description}`) : ''} ${r.url ? extLink(r.url, 'source') : ''}</li>`;
  }
  return <ol class="citations">{raw(items)}</ol>;
}

export function LogSources(p: { an: AnalyticDetail }) {
  return (
    <div class="scroll">
      <table>
        <caption class="sr-only">Log sources of {p.an.id}</caption>
        <thead><tr><th scope="col">Log source</th><th scope="col">Channel / event code</th><th scope="col">Event ids</th><th scope="col">Data component</th><th scope="col">Catalog event types</th></tr></thead>
        <tbody>
          {p.an.log_sources.map((l) => (
            <tr>
              <th scope="row"><code>{l.name}</code></th>
              <td><code>{l.channel}</code></td>
              <td>{l.event_ids.join(', ')}</td>
              <td>{l.data_component ? <AttackLink id={l.data_component.id} name={l.data_component.name} /> : ''}</td>
              <td>{l.categories.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function MutableElements(p: { an: AnalyticDetail }) {
  if (p.an.mutable_elements.length === 0) return <p class="none">No mutable elements.</p>;
  return (
    <dl class="mutable">
      {p.an.mutable_elements.map((m) => <><dt><code>{m.field}</code></dt><dd>{m.description}</dd></>)}
    </dl>
  );
}

/** Detection strategies of a technique with their analytics (log sources and tuning knobs folded). */
export function Strategies(p: { rep: ShowReport }) {
  const dets = p.rep.detection_strategies ?? [];
  if (dets.length === 0) return <p class="none">No detection strategy in ATT&amp;CK {p.rep.release} for this technique.</p>;
  return (
    <ul class="strategies">
      {dets.map((d) => (
        <li>
          <AttackLink id={d.id} name={d.name} />
          <ul>
            {d.analytics.map((an) => (
              <li>
                <details>
                  <summary><span class="id">{an.id}</span> {an.platforms.join(', ')}: {an.log_sources.length} log sources, {an.mutable_elements.length} mutable elements</summary>
                  <p><a href={`/attack/${an.id}`}>Open {an.id}</a></p>
                  <p>{an.description}</p>
                  <LogSources an={an} />
                </details>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

/** Catalog rules an ATT&CK page lists (show report's rules section), by vendor. */
export function ShowRules(p: { rules: RulesSection | undefined }) {
  if (!p.rules || p.rules.catalog === 'not built') return <p class="none">The catalog holds no rules.</p>;
  if (p.rules.total === 0) return <p class="none">No catalog rule matches.{p.rules.note ? ` ${p.rules.note}` : ''}</p>;
  return (
    <>
      {p.rules.note ? <p class="note">{p.rules.note}</p> : ''}
      {Object.entries(p.rules.by_vendor).map(([vendor, list]: [string, RuleRef[]]) => (
        <>
          <h3><VendorBadge vendor={vendor} /> {list.length} rule{list.length === 1 ? '' : 's'}</h3>
          <ul class="rules">
            {list.map((r) => <li><RuleLink vendor={r.vendor} id={r.id} title={r.title} /> <span class="meta">{r.technique}{r.matched ? ` · ${r.matched}` : ''}{r.level ? ` · ${r.level}` : ''}</span></li>)}
          </ul>
        </>
      ))}
    </>
  );
}
