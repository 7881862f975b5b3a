import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createApp } from '../../src/web/app.js';
import { WebContext } from '../../src/web/context.js';
import { fullCatalog } from '../helpers/full-catalog.js';
import { requireShared } from '../helpers/shared.js';

test('a rule tagged with a revoked technique id says so and links the replacement; so does the technique page', async (t) => {
  const shared = requireShared(t, 'technique status on the web pages of the full catalog');
  if (!shared) return;
  const ctx = await WebContext.open({ dbPath: await fullCatalog(shared) });
  try {
    const app = createApp(ctx);
    const guide = await (await app.request('/api/guide/T1574.002')).json() as { rules: { list: Array<{ id: string; vendor: string }> } };
    const rule = guide.rules.list.find((r) => r.vendor === 'splunk') ?? guide.rules.list[0];
    assert.ok(rule, 'a rule names T1574.002');
    const api = await (await app.request(`/api/rules/${rule.vendor}/${rule.id}`)).json() as { techniques: Array<{ id: string; status?: string; replaced_by?: { id: string } }> };
    const tech = api.techniques.find((x) => x.id.toUpperCase() === 'T1574.002');
    assert.equal(tech?.status, 'revoked');
    assert.equal(tech?.replaced_by?.id, 'T1574.001');
    const html = await (await app.request(`/rules/${rule.vendor}/${rule.id}`)).text();
    assert.match(html, /revoked in ATT&amp;CK 18\.1: replaced by <a [^>]*href="\/techniques\/T1574\.001"/);
    const page = await (await app.request('/techniques/T1574.002')).text();
    assert.match(page, /Revoked in ATT&amp;CK 18\.1: replaced by <a [^>]*href="\/techniques\/T1574\.001"/);
    const active = await (await app.request('/techniques/T1216')).text();
    assert.doesNotMatch(active, /Revoked in ATT&amp;CK/);
  } finally {
    ctx.close();
  }
});
