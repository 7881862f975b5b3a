import type { Hono } from 'hono';
import { ruleView, type RuleView } from '../../catalog/rule-view.js';
import { similarRules, type SimilarRule } from '../../catalog/similar-rules.js';
import { techniqueStatus, type TechniqueStatus } from '../../attack/status.js';
import type { WebContext } from '../context.js';
import { notFound } from '../http-error.js';
import { Layout } from '../layout.js';
import { text, vendor } from '../params.js';
import { page } from '../render.js';
import { Code } from '../components/code.js';
import { Section } from '../components/attack-sections.js';
import { AttackLink, ExtLink, FieldLink, RuleLink, VendorBadge } from '../components/links.js';
import { Markdown } from '../components/markdown.js';

export interface RuleData {
  rule: RuleView;
  /** With the id's status in the newest release: a revoked id names its replacement. */
  techniques: Array<{ id: string; name: string | null; status?: TechniqueStatus['status']; release?: string; replaced_by?: { id: string; name: string } }>;
  /** The rule's tactics (short names) with their ATT&CK ids when the loaded release has them. */
  tactics: Array<{ shortname: string; id: string | null; name: string | null }>;
  similar: SimilarRule[];
}

export function ruleData(ctx: WebContext, v: string | undefined, rawId: string | undefined): Promise<RuleData> {
  const vend = vendor(v);
  const id = text(rawId, 'rule id');
  return ctx.memo(`rule:${vend}:${id}`, async (db) => {
    const rule = await ruleView(db, vend, id);
    if (!rule) throw notFound(`no ${vend} rule with id "${id}" in the catalog`);
    const status = await techniqueStatus(db, rule.techniques);
    const techniques = rule.techniques.map((t) => {
      const s = status.get(t.toUpperCase());
      return {
        id: t, name: ctx.kb?.byId(t).find((o) => o.kind === 'technique')?.name ?? null,
        ...(s ? { status: s.status, release: s.release } : {}), ...(s?.replaced_by ? { replaced_by: s.replaced_by } : {}),
      };
    });
    const tactics = rule.tactics.map((t) => {
      const o = ctx.kb?.tacticByShortname.get(t);
      return { shortname: t, id: o?.attackId ?? null, name: o?.name ?? null };
    });
    return { rule, techniques, tactics, similar: await similarRules(db, rule.uid, 10, ctx.index) };
  });
}

/** A technique id that is no active technique of the newest release says so; a revoked one links its replacement. */
function TechniqueStatusNote(p: { t: RuleData['techniques'][number] }) {
  const t = p.t;
  if (t.status === 'revoked') {
    return <span class="note"> (revoked in ATT&CK {t.release}{t.replaced_by ? <>: replaced by <AttackLink id={t.replaced_by.id} name={t.replaced_by.name} /></> : ''})</span>;
  }
  if (t.status === 'deprecated') return <span class="note"> (deprecated in ATT&CK {t.release})</span>;
  if (t.status === 'unknown') return <span class="note"> (not in ATT&CK {t.release})</span>;
  return '';
}

/**
 * Vendor settings (rule.extra) worth a line in the metadata list, in this order, with their labels:
 * Elastic first (rule-extra.ts), then Splunk and Sigma. Setup is a section of its own (Markdown).
 */
const EXTRA_FIELDS: Array<[string, string]> = [
  ['license', 'License'], ['index', 'Indices'], ['risk_score', 'Risk score'], ['risk_score_mapping', 'Risk score from'],
  ['severity_mapping', 'Severity from'], ['interval', 'Runs every'], ['from', 'Searches from'], ['max_signals', 'Max alerts'],
  ['timestamp_override', 'Timestamp field'], ['event_category_override', 'Event category field'], ['rule_name_override', 'Alert name from'],
  ['enabled', 'Enabled'], ['version', 'Version'], ['timeline', 'Timeline template'], ['integration', 'Integrations'],
  ['min_stack_version', 'Minimum stack version'], ['min_stack_comments', 'Stack version note'], ['deprecation_date', 'Deprecated on'],
  ['deprecated_reason', 'Deprecation reason'], ['promotion', 'Promotion rule'], ['bypass_bbr_timing', 'Building-block timing bypassed'],
  ['data_sources', 'Data sources'], ['investigation_fields', 'Investigation fields'], ['building_block_type', 'Building block'],
  ['threshold', 'Threshold'], ['new_terms', 'New terms'], ['alert_suppression', 'Alert suppression'], ['threat_match', 'Indicator match'],
  ['machine_learning', 'Machine learning'], ['exceptions_list', 'Exception lists'],
  ['security_domain', 'Security domain'], ['analytic_story', 'Analytic stories'], ['asset_type', 'Asset type'], ['product', 'Products'],
  ['datamodels', 'Data models'], ['cve', 'CVEs'], ['confidence', 'Confidence'], ['impact', 'Impact'], ['how_to_implement', 'How to implement'],
  ['name', 'Name'], ['scope', 'Scope'], ['timeframe', 'Timeframe'], ['aggregation', 'Aggregation'], ['related', 'Related rules'],
];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const empty = (v: unknown): boolean => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/** A setting as text: lists joined, objects as "key: value" pairs (threshold, mappings, timeline...). */
export function showValue(v: unknown, depth = 0): string {
  if (depth > 6) return '…';
  if (Array.isArray(v)) return v.map((x) => showValue(x, depth + 1)).join(v.some(isObject) ? '; ' : ', ');
  if (isObject(v)) {
    return Object.entries(v).filter(([, x]) => !empty(x)).map(([k, x]) => `${k.replace(/_/g, ' ')}: ${showValue(x, depth + 1)}`).join(', ');
  }
  return String(v);
}

export function RulePage(p: { d: RuleData; label?: string }) {
  const r = p.d.rule;
  const ls = [r.logsource.product, r.logsource.category, r.logsource.service].filter(Boolean).join(' / ');
  return (
    <Layout title={r.title} label={p.label}>
      <p class="kind"><VendorBadge vendor={r.vendor} /> rule</p>
      <h1>{r.title}</h1>
      <dl class="facts">
        <dt>Id</dt><dd><code>{r.id}</code></dd>
        <dt>Type</dt><dd>{r.type ?? '-'} ({r.language || '-'})</dd>
        <dt>{r.vendor === 'elastic' ? 'Severity' : 'Level'}</dt><dd>{r.level ?? '-'}</dd>
        <dt>Status</dt><dd>{r.status ?? '-'}</dd>
        <dt>Log source</dt><dd>{ls || '-'}{r.events.length ? ` (events: ${r.events.join(', ')})` : ''}</dd>
        {EXTRA_FIELDS.filter(([k]) => !empty(r.extra[k]) && !(isObject(r.extra[k]) && showValue(r.extra[k]) === '')).map(([k, label]) => <><dt>{label}</dt><dd>{showValue(r.extra[k])}</dd></>)}
        {r.interesting_fields.length ? <><dt>Fields</dt><dd>{r.interesting_fields.map((f, i) => <>{i > 0 ? ', ' : ''}<code>{f}</code></>)}</dd></> : ''}
        <dt>Authors</dt><dd>{r.author ?? '-'}</dd>
        <dt>Dates</dt><dd>{r.date ?? '-'}{r.modified ? `, modified ${r.modified}` : ''}</dd>
        <dt>File</dt><dd><code>{r.path}</code></dd>
        <dt>Parse</dt><dd class={`parse-${r.parse_status}`}>{r.parse_status}{r.parse_note ? `: ${r.parse_note}` : ''}</dd>
      </dl>
      {r.tags.length ? <ul class="tags" aria-label="Tags">{r.tags.map((t) => <li>{t}</li>)}</ul> : ''}
      {r.description ? <Section id="description" title="Description"><p class="pre">{r.description}</p></Section> : ''}
      <Section id="query" title={r.source?.language === 'sigma' ? 'Rule' : 'Query'}>
        {r.source ? <Code text={r.source.text} language={r.source.language} /> : <p class="none">No query text.</p>}
      </Section>
      <Section id="attack" title="ATT&CK mapping">
        {p.d.techniques.length === 0 ? <p class="none">No technique.</p> : <ul class="refs">{p.d.techniques.map((t) => <li><AttackLink id={t.id} name={t.name ?? undefined} /><TechniqueStatusNote t={t} /></li>)}</ul>}
        {p.d.tactics.length ? <p>Tactics: {p.d.tactics.map((t, i) => <>{i > 0 ? ', ' : ''}{t.id ? <AttackLink id={t.id} name={t.name ?? t.shortname} /> : t.shortname}</>)}</p> : ''}
      </Section>
      {r.note ? <Section id="guide" title="Investigation guide"><Markdown text={r.note} /></Section> : ''}
      {typeof r.extra.setup === 'string' && r.extra.setup !== '' ? <Section id="setup" title="Setup"><Markdown text={r.extra.setup} /></Section> : ''}
      {r.false_positives.length ? <Section id="false-positives" title="False positives"><ul>{r.false_positives.map((f) => <li>{f}</li>)}</ul></Section> : ''}
      {r.references.length ? <Section id="references" title="References"><ul class="urls">{r.references.map((u) => <li><ExtLink url={u} /></li>)}</ul></Section> : ''}
      <Section id="predicates" title="Normalized predicates" count={r.predicates.length}>
        {r.predicates.length === 0 ? <p class="none">No predicates.</p> : (
          <div class="scroll">
            <table>
              <caption class="sr-only">Predicates of the rule on the canonical fields</caption>
              <thead><tr><th scope="col">Path</th><th scope="col">Field</th><th scope="col">As authored</th><th scope="col">Operator</th><th scope="col">Value</th><th scope="col">Exclusion</th></tr></thead>
              <tbody>
                {r.predicates.map((x) => (
                  <tr class={x.exclusion ? 'excl' : ''}>
                    <td><code>{x.path}</code></td>
                    <th scope="row">{x.field ? <FieldLink field={x.field} /> : '(keyword)'}</th>
                    <td><code>{x.vendor_field ?? ''}</code>{x.authored_op !== x.op ? ` ${x.authored_op}` : ''}{x.authored_value !== null && x.authored_value !== x.value ? <> <code>{x.authored_value}</code></> : ''}</td>
                    <td>{x.negated && !x.exclusion ? 'not ' : ''}{x.op}{x.cased ? ' (cased)' : ''}</td>
                    <td><code>{x.value ?? ''}</code></td>
                    <td>{x.exclusion ? 'yes' : ''}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
      <Section id="parse" title="Parse status">
        <p class={`parse-${r.parse_status}`}>{r.parse_status}{r.parse_note ? `: ${r.parse_note}` : ''}</p>
        {r.losses.length ? (
          <>
            <h3>Conditions not in the predicate tree ({r.losses.length})</h3>
            <ul>{r.losses.map((l) => <li><code>{l.text}</code> <span class="meta">{l.reason}{l.offset !== null ? ` at offset ${l.offset}` : ''}</span>{l.detail ? `: ${l.detail}` : ''}</li>)}</ul>
          </>
        ) : ''}
        {r.problems.length ? <ul>{r.problems.map((x) => <li>{x.line !== null ? `line ${x.line}${x.column !== null ? `:${x.column}` : ''}: ` : ''}{x.reason}: {x.message}</li>)}</ul> : ''}
      </Section>
      <Section id="similar" title="Similar rules in other vendors" count={p.d.similar.length}>
        <p>Ranked by the (field, operator, value) tests they share with this rule, exclusions left out.</p>
        {p.d.similar.length === 0 ? <p class="none">No rule of another vendor shares a test with this one.</p> : (
          <ol class="similar">
            {p.d.similar.map((s) => (
              <li>
                <VendorBadge vendor={s.vendor} /> <RuleLink vendor={s.vendor} id={s.id} title={s.title} /> <span class="meta">{s.shared} shared, similarity {(s.score * 100).toFixed(0)}%</span>
                <details><summary>Shared tests</summary><ul>{s.predicates.map((x) => <li><FieldLink field={x.field} /> {x.op} <code>{x.value}</code></li>)}</ul></details>
              </li>
            ))}
          </ol>
        )}
      </Section>
    </Layout>
  );
}

export function registerRule(app: Hono, ctx: WebContext): void {
  app.get('/rules/:vendor/:id', async (c) => page(c, <RulePage d={await ruleData(ctx, c.req.param('vendor'), c.req.param('id'))} label={ctx.opts.label} />));
}
