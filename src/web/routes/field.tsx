import type { Hono } from 'hono';
import { fieldDetail, type FieldDetail } from '../../catalog/field-detail.js';
import type { WebContext } from '../context.js';
import { notFound } from '../http-error.js';
import { Layout } from '../layout.js';
import { text } from '../params.js';
import { page } from '../render.js';
import { Section } from '../components/attack-sections.js';
import { RuleLink, VendorBadge } from '../components/links.js';

export function fieldData(ctx: WebContext, raw: string | undefined): Promise<FieldDetail> {
  const field = text(raw, 'field');
  return ctx.memo(`field:${field}`, async (db) => {
    const d = await fieldDetail(db, field);
    if (!d) throw notFound(`no rule of the catalog tests the field "${field}"`);
    return d;
  });
}

export function FieldPage(p: { d: FieldDetail; label?: string }) {
  const d = p.d;
  return (
    <Layout title={d.field} label={p.label}>
      <p class="kind">Canonical field</p>
      <h1><code>{d.field}</code></h1>
      <p>{d.rules} rule{d.rules === 1 ? '' : 's'} test this field.</p>
      <Section id="vendor-names" title="Vendor names" count={d.vendor_fields.length}>
        <div class="scroll"><table>
          <caption class="sr-only">Names of the field per vendor</caption>
          <thead><tr><th scope="col">Vendor</th><th scope="col">Field as written</th><th scope="col">Rules</th></tr></thead>
          <tbody>{d.vendor_fields.map((v) => <tr><td><VendorBadge vendor={v.vendor} /></td><th scope="row"><code>{v.vendor_field}</code></th><td class="num">{v.rules}</td></tr>)}</tbody>
        </table></div>
      </Section>
      <Section id="operators" title="Operators" count={d.operators.length}>
        <ul class="inline">{d.operators.map((o) => <li>{o.op} {o.rules}</li>)}</ul>
      </Section>
      <Section id="values" title="Top values" count={d.values.length}>
        <p>Corpus reach: rules testing the value (not excluded); exclusions: rules filtering it away.</p>
        <div class="scroll"><table>
          <caption class="sr-only">Top values of the field</caption>
          <thead><tr><th scope="col">Operator</th><th scope="col">Value</th><th scope="col">Corpus reach</th><th scope="col">Exclusions</th></tr></thead>
          <tbody>{d.values.map((v) => <tr><td>{v.op}</td><th scope="row"><code>{v.value}</code></th><td class="num">{v.corpus_reach}</td><td class="num">{v.exclusions}</td></tr>)}</tbody>
        </table></div>
      </Section>
      <Section id="rules" title="Rules using it" count={d.rule_list.length}>
        {d.rule_list.length < d.rules ? <p class="note">The first {d.rule_list.length} of {d.rules}.</p> : ''}
        <ul class="rules">{d.rule_list.map((r) => <li><VendorBadge vendor={r.vendor} /> <RuleLink vendor={r.vendor} id={r.id} title={r.title} />{r.level ? <span class="meta"> · {r.level}</span> : ''}</li>)}</ul>
      </Section>
    </Layout>
  );
}

export function registerField(app: Hono, ctx: WebContext): void {
  app.get('/fields/:field', async (c) => page(c, <FieldPage d={await fieldData(ctx, c.req.param('field'))} label={ctx.opts.label} />));
}
