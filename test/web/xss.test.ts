import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { startServer, type Served } from '../../src/web/server.js';
import { fixtureCatalog, launchBrowser } from './helpers.js';

/**
 * Hostile rule text (test/web/fixtures: all three vendors) renders as text in a real browser: no
 * dialog opens, no script runs (window.__pwned stays unset), no element of the payloads exists, no
 * javascript:/data: link is clickable.
 */
let served: Served;
let browser: BrowserContext;
const dialogs: string[] = [];

before(async () => {
  served = await startServer({ dbPath: await fixtureCatalog(), port: 0 });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await served?.close();
});

const RULES = [
  ['sigma', '11111111-1111-4111-8111-111111111111', '<script>window.__pwned=1;alert(1)</script> Hostile Sigma'],
  ['elastic', '22222222-2222-4222-8222-222222222222', '<img id="pwned-etitle" src=x onerror=alert(11)> Hostile Elastic'],
  ['splunk', '33333333-3333-4333-8333-333333333333', '<script>window.__pwned=30;alert(30)</script> Hostile Splunk'],
] as const;

async function visit(page: Page, path: string): Promise<void> {
  const r = await page.goto(served.url + path, { waitUntil: 'load' });
  assert.equal(r?.status(), 200, `${path} answered ${r?.status()}`);
  await page.waitForTimeout(50); // let any onerror/onload handler that slipped through fire
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined, `${path}: a payload ran`);
  assert.equal(await page.locator('[id^="pwned"]').count(), 0, `${path}: a payload element was injected`);
  assert.equal(await page.locator('a[href^="javascript:" i], a[href^="data:" i], a[href*="script:" i], iframe, svg, img').count(), 0, `${path}: unsafe link or element`);
  assert.deepEqual(dialogs, [], `${path}: a dialog opened`);
}

for (const [vendor, id, title] of RULES) {
  test(`${vendor} rule page shows the payloads as text and runs none`, async () => {
    const page = await browser.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await visit(page, `/rules/${vendor}/${id}`);
    assert.equal((await page.locator('h1').textContent())?.trim(), title, 'the title is shown literally');
    const body = await page.locator('main').textContent() ?? '';
    assert.ok(body.includes('<script>window.__pwned='), 'the query/values keep their script text, as text');
    await page.close();
  });
}

test('the investigation guide markdown links only safe URLs and shows raw HTML as text', async () => {
  const page = await browser.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await visit(page, `/rules/elastic/${RULES[1][1]}`);
  const guide = page.locator('#guide .md');
  assert.ok((await guide.textContent())?.includes('<script>window.__pwned=16'), 'raw HTML of the note is text');
  const hrefs = await guide.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, ['https://example.org/guide'], 'only the https link is a link');
  await page.close();
});

test('search, field and technique pages over the hostile catalog run no payload', async () => {
  const page = await browser.newPage();
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await visit(page, `/search?q=${encodeURIComponent('<script>')}`);
  assert.ok(await page.locator('ul.results li').count() >= 3, 'the three hostile rules are found');
  await visit(page, `/search?q=${encodeURIComponent('"><img id="pwned-search" src=x onerror=alert(40)>')}`);
  await visit(page, '/fields/CommandLine');
  await visit(page, '/techniques/T1059.001');
  await page.locator('table.indicators summary').first().click();
  await visit(page, '/');
  await page.close();
});
