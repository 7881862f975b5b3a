import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startServer } from '../../src/web/server.js';
import type { TechniqueJson } from '../../src/web/routes/technique.js';
import type { AttackData } from '../../src/web/routes/attack.js';
import type { RuleData } from '../../src/web/routes/rule.js';
import type { SearchResult } from '../../src/catalog/search.js';
import { indicatorKey } from '../../src/catalog/technique-rules.js';
import { cli } from '../helpers/cli.js';
import { fullCatalog } from '../helpers/full-catalog.js';
import { requireShared } from '../helpers/shared.js';
import { ARTIFACTS, launchBrowser } from './helpers.js';
import { validateLayer45 } from './layer-validator.js';
import { testTempDir } from '../helpers/temp-dir.js';

/**
 * Every page type in Debian's Chromium over the full shared catalog (three corpora, ATT&CK 17.1, 18.0,
 * 18.1). Expected content comes from the JSON API (the same functions as the pages) and from the data,
 * never from constants. Screenshots at 1280 and 375 px go to test-artifacts/web/.
 */
test('web UI over the full catalog, in a real browser', { timeout: 15 * 60_000 }, async (t) => {
  const shared = requireShared(t, 'the browser tests over the full catalog');
  if (!shared) return;
  const dbPath = await fullCatalog(shared);
  const served = await startServer({ dbPath, port: 0 });
  const browser = await launchBrowser(1280);
  mkdirSync(ARTIFACTS, { recursive: true });
  const api = async <T>(path: string): Promise<T> => {
    const r = await fetch(served.url + path);
    assert.equal(r.status, 200, `${path}: ${r.status}`);
    return (await r.json()) as T;
  };
  const page = await browser.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  const go = async (path: string): Promise<void> => {
    const r = await page.goto(served.url + path, { waitUntil: 'load' });
    assert.equal(r?.status(), 200, `${path} answered ${r?.status()}`);
  };
  const h1 = async (): Promise<string> => ((await page.locator('h1').first().textContent()) ?? '').replace(/\s+/g, ' ').trim();
  const shoot = async (name: string): Promise<void> => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: join(ARTIFACTS, `${name}-1280.png`) });
    await page.setViewportSize({ width: 375, height: 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 1, `${name}: the page is ${overflow}px wider than a 375 px screen`);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-375.png`) });
    await page.setViewportSize({ width: 1280, height: 900 });
  };

  try {
    const pubprn = await api<SearchResult>('/api/search?q=pubprn.vbs');
    const sigmaRule = pubprn.rules.find((r) => r.vendor === 'sigma');
    assert.ok(sigmaRule, 'the catalog has a Sigma rule testing pubprn.vbs');

    await t.test('home and keyboard search for pubprn.vbs find its rule and T1216', async () => {
      await go('/');
      assert.equal(await h1(), 'Detection catalog');
      assert.ok(await page.locator('#corpus > .scroll > table > tbody > tr').count() === 3, 'rules per vendor for the three vendors');
      await shoot('home');
      await page.keyboard.press('/');
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'q', '"/" focuses the search box');
      await page.keyboard.type('pubprn.vbs');
      await Promise.all([page.waitForURL(/\/search\?q=pubprn\.vbs/), page.keyboard.press('Enter')]);
      const results = page.locator('ul.results a');
      const hrefs = await results.evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.includes(`/rules/sigma/${sigmaRule.id}`), 'the pubprn rule is found');
      assert.ok(hrefs.includes('/techniques/T1216'), 'T1216 is found');
      await page.keyboard.press('ArrowDown');
      assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('href')), hrefs[0], 'arrow keys walk the results');
      await shoot('search');
    });

    await t.test('technique T1216: guide, indicator expands to its rules', async () => {
      const d = await api<TechniqueJson>('/api/techniques/T1216');
      await go('/techniques/T1216');
      assert.equal(await h1(), `T1216 ${d.attack?.object.name}`);
      const ind = d.guide.indicators.find((i) => i.value.includes('pubprn.vbs'));
      assert.ok(ind, 'the guide has a pubprn.vbs indicator');
      const expected = d.indicator_rules[indicatorKey(false, ind.field, ind.op, ind.value)].map((u) => d.rules.find((r) => r.uid === u)!.title).sort();
      const details = page.locator('table.indicators details', { has: page.locator('summary code', { hasText: ind.value }) }).first();
      assert.equal(await details.locator('ul').isVisible(), false, 'closed before');
      await details.locator('summary').click();
      assert.equal(await details.locator('ul').isVisible(), true, 'open after a click');
      assert.deepEqual((await details.locator('ul a').allTextContents()).sort(), expected);
      assert.ok(expected.length > 0);
      assert.equal(await page.locator('#rules ul.rules li').count(), d.rules.length);
      await shoot('technique-T1216');
    });

    await t.test('technique T1059.001: platform filter changes the rule list without reload', async () => {
      const d = await api<TechniqueJson>('/api/techniques/T1059.001');
      await go('/techniques/T1059.001');
      assert.equal(await h1(), `T1059.001 ${d.attack?.object.name}`);
      assert.ok(await page.locator('#analyst').count() === 1, 'analyst view');
      const visible = (): Promise<number> => page.locator('#rules ul.rules li:visible').count();
      assert.equal(await visible(), d.rules.length);
      const counts = new Map<string, number>();
      for (const r of d.rules) counts.set(r.platform, (counts.get(r.platform) ?? 0) + 1);
      const [platform, n] = [...counts].filter(([, k]) => k < d.rules.length).sort((a, b) => b[1] - a[1])[0];
      await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
      await page.selectOption('form[data-filter] select[name=platform]', platform);
      assert.equal(await visible(), n, `platform ${platform}`);
      assert.equal(await page.evaluate(() => (window as unknown as { marker?: number }).marker), 42, 'no reload');
      assert.match(page.url(), new RegExp(`platform=${platform}`));
      // without script the same filter is applied by the server
      const html = await (await fetch(`${served.url}/techniques/T1059.001?platform=${platform}`)).text();
      assert.equal((html.match(/<li data-platform="[^"]*" data-domain="[^"]*">/g) ?? []).length, n);
      await page.selectOption('form[data-filter] select[name=platform]', '');
      assert.equal(await visible(), d.rules.length);
      await shoot('technique-T1059.001');
    });

    await t.test('analytic AN1288: log sources, history, analyst view, rules; diff 18.0 -> 18.1 shows the changed fields', async () => {
      const d = await api<AttackData>('/api/attack/AN1288');
      await go('/attack/AN1288');
      assert.equal(await h1(), `AN1288 ${d.show.object.name}`);
      for (const l of d.show.analytic!.log_sources) assert.ok(await page.locator('#log-sources td', { hasText: l.channel }).count() > 0, l.channel);
      assert.ok(await page.locator('#analyst').count() === 1);
      assert.deepEqual(await page.locator('#history tbody th').allTextContents(), d.history!.releases.map((r) => r.release));
      assert.equal(await page.locator('#rules ul.rules li').count(), d.show.rules!.total);
      await shoot('attack-AN1288');
      const row = d.history!.releases.find((r) => r.release === '18.1')!;
      const changed = [...row.fields_added, ...row.fields_removed, ...row.fields_changed].sort();
      assert.ok(changed.length > 0, 'AN1288 changed between 18.0 and 18.1');
      await page.selectOption('#history select[name=from]', '18.0');
      await page.selectOption('#history select[name=to]', '18.1');
      await Promise.all([page.waitForURL(/\/attack\/AN1288\/diff\?from=18\.0&to=18\.1/), page.click('#history button')]);
      assert.deepEqual((await page.locator('table.diff tbody th').allTextContents()).sort(), changed);
      await shoot('attack-AN1288-diff');
      const rawText = await (await fetch(`${served.url}/attack/AN1288/raw?release=18.0`)).json() as { id: string };
      assert.equal(rawText.id, d.show.object.stix_id);
    });

    await t.test('detection strategy DET0466 and other ATT&CK object types', async () => {
      const d = await api<AttackData>('/api/attack/DET0466');
      await go('/attack/DET0466');
      assert.equal(await h1(), `DET0466 ${d.show.object.name}`);
      const ans = await page.locator('#analytics a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
      assert.deepEqual(ans, d.show.analytics!.map((a) => `/attack/${a.id}`));
      await shoot('attack-DET0466');
      for (const id of ['TA0005', 'M1038', 'G0007', 'S0002', 'DC0032', 'T1216']) {
        const o = await api<AttackData>(`/api/attack/${id}`);
        await go(`/attack/${id}`);
        assert.equal(await h1(), `${o.show.object.id} ${o.show.object.name}`, id);
      }
      await shoot('attack-G0007');
    });

    const splunk = (await api<TechniqueJson>('/api/techniques/T1059.001')).rules.find((r) => r.vendor === 'splunk')!;
    const rules: Array<[string, string]> = [['sigma', sigmaRule.id], ['elastic', 'b64b183e-1a76-422d-9179-7b389513e74d'], ['splunk', splunk.id]];
    for (const [vendor, id] of rules) {
      await t.test(`${vendor} rule page: metadata, highlighted query, predicates, similar rules`, async () => {
        const d = await api<RuleData>(`/api/rules/${vendor}/${id}`);
        await go(`/rules/${vendor}/${id}`);
        assert.equal(await h1(), d.rule.title.replace(/\s+/g, ' ').trim());
        assert.ok(await page.locator('#query pre.code span[class^="h-"]').count() > 3, 'query highlighted');
        assert.equal(await page.locator('#predicates tbody tr').count(), d.rule.predicates.length);
        assert.equal(await page.locator('#similar ol.similar > li').count(), d.similar.length);
        for (const tid of d.rule.techniques) assert.ok(await page.locator(`#attack a[href$="${tid}"]`).count() === 1, tid);
        if (vendor === 'elastic') assert.ok(await page.locator('#guide .md h2, #guide .md p').count() > 0, 'investigation guide');
        await shoot(`rule-${vendor}`);
      });
    }

    await t.test('field CommandLine: vendor names, values, rules', async () => {
      await go('/fields/CommandLine');
      assert.equal(await h1(), 'CommandLine');
      const names = await page.locator('#vendor-names tbody th').allTextContents();
      assert.ok(names.includes('process.command_line') && names.includes('CommandLine'), names.join(','));
      await shoot('field-CommandLine');
    });

    await t.test('coverage matrix; its Navigator layer validates (4.5) and scores what the page shows', async () => {
      await go('/coverage');
      const cells = await page.locator('table.matrix li[data-technique]').evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-technique'), Number(l.getAttribute('data-rules'))] as [string, number]));
      assert.ok(cells.length > 200);
      const href = await page.locator('a[download]').getAttribute('href');
      const layer = await (await fetch(served.url + href!)).json() as { techniques: Array<{ techniqueID: string; score: number }> };
      assert.deepEqual(validateLayer45(layer), []);
      const scores = new Map(layer.techniques.map((x) => [x.techniqueID, x.score]));
      for (const [id, n] of cells) assert.equal(scores.get(id) ?? 0, n, id);
      await shoot('coverage');
      // the CLI writes the same layer
      const out = join(testTempDir(t, 'detectory-layer-'), 'layer.json');
      const r = cli(['coverage', 'layer', '--db', dbPath, '--out', out]);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(JSON.parse(readFileSync(out, 'utf8')), layer);
      // filtered by vendor: the page and the layer agree too
      await go('/coverage?vendor=splunk');
      const splunkCells = await page.locator('table.matrix li[data-technique]').evaluateAll((ls) => ls.map((l) => [l.getAttribute('data-technique'), Number(l.getAttribute('data-rules'))] as [string, number]));
      const sl = await (await fetch(`${served.url}/coverage/layer.json?vendor=splunk`)).json() as { techniques: Array<{ techniqueID: string; score: number }> };
      const ss = new Map(sl.techniques.map((x) => [x.techniqueID, x.score]));
      for (const [id, n] of splunkCells) assert.equal(ss.get(id) ?? 0, n, id);
    });
    assert.deepEqual(dialogs, []);
  } finally {
    await page.close().catch(() => undefined);
    await browser.close();
    await served.close();
  }
});

