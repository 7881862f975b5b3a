import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CitedMarkdown } from '../../src/web/cited-markdown.js';
import { renderMarkdown } from '../../src/web/markdown.js';

const TEXT = 'Adversaries run <code>cmd.exe /c</code> (Citation: Red Canary)(Citation: Other Report).\n\n'
  + '* again (Citation: Red Canary) and a [link](https://example.org/x)\n* <script>alert(1)</script> (Citation: Not Listed)';
const NUMBERS = new Map([['Red Canary', 4], ['Other Report', 11]]);

test('citations become the page\'s numbered links; unknown sources are dropped', () => {
  const html = new CitedMarkdown().render(TEXT, NUMBERS);
  assert.equal((html.match(/<a href="#ref-4">\[4\]<\/a>/g) ?? []).length, 2);
  assert.match(html, /<a href="#ref-11">\[11\]<\/a>/);
  assert.doesNotMatch(html, /Citation|zqcite|Not Listed/);
  assert.match(html, /<code>cmd\.exe \/c<\/code>/);
  assert.match(html, /&lt;script&gt;/);
});

test('a text rendered at start gives the same HTML as one rendered per call, for any numbering', () => {
  const pre = new CitedMarkdown();
  assert.equal(pre.prerender([TEXT, '', TEXT]), 1);
  const fresh = new CitedMarkdown();
  for (const nums of [NUMBERS, new Map([['Red Canary', 1]]), new Map<string, number>()]) {
    assert.equal(pre.render(TEXT, nums), fresh.render(TEXT, nums));
  }
});

test('same HTML as rendering the text with the numbers put in before Markdown', () => {
  const text = 'PowerShell (Citation: A) runs scripts (Citation: B).\n\nSee https://example.com (Citation: A)';
  const nums = new Map([['A', 2], ['B', 9]]);
  const before = renderMarkdown(text.replace(/\(Citation: ([^)]+)\)/g, (_m, n: string) => `[[${nums.get(n)}]](#ref-${nums.get(n)})`));
  assert.equal(new CitedMarkdown().render(text, nums), before);
});
