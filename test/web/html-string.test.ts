/** The technique page's lists built as strings (html-string.ts) escape rule text as JSX does. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { esc } from '../../src/web/html-string.js';
import { WebContext } from '../../src/web/context.js';
import { createApp } from '../../src/web/app.js';
import { fixtureCatalog } from './helpers.js';

test('esc escapes text and attribute values', () => {
  assert.equal(esc('plain text'), 'plain text');
  assert.equal(esc(`<img src=x onerror="a('1')">&`), '&lt;img src=x onerror=&quot;a(&#39;1&#39;)&quot;&gt;&amp;');
});

test('the technique page over the hostile catalog: rule titles and indicator values are escaped text', async () => {
  const ctx = await WebContext.open({ dbPath: await fixtureCatalog(), cache: false });
  try {
    const html = await (await createApp(ctx).request('/techniques/T1059.001')).text();
    const list = html.slice(html.indexOf('id="rules-sigma"'));
    assert.ok(list.includes('&lt;script&gt;window.__pwned=1;alert(1)&lt;/script&gt; Hostile Sigma</a>'), 'the Sigma title in the rule list');
    assert.ok(html.includes('&lt;img id=&quot;pwned-etitle&quot; src=x onerror=alert(11)&gt; Hostile Elastic</a>'), 'the Elastic title');
    assert.ok(!/<script>window\.__pwned|<img /i.test(html), 'no payload element in the page');
    const summaries = html.match(/<summary><code>[^<]*<\/code><\/summary>/g) ?? [];
    assert.ok(summaries.length > 0 && summaries.some((s) => s.includes('&lt;')), 'indicator values with markup are escaped');
  } finally {
    ctx.close();
  }
});
