import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSafeLink, renderMarkdown } from '../../src/web/markdown.js';

test('link validator refuses javascript:, data:, vbscript:, file: in any spelling', () => {
  for (const bad of ['javascript:alert(1)', 'JaVaScRiPt:alert(1)', ' javascript:alert(1)', 'java\nscript:alert(1)', 'java\tscript:x',
    'data:text/html,<script>alert(1)</script>', 'vbscript:msgbox', 'file:///etc/passwd', '//evil.example/x', '\\\\evil\\share', '\u0000javascript:x']) {
    assert.equal(isSafeLink(bad), false, JSON.stringify(bad));
  }
  for (const ok of ['https://example.org/a?b=c', 'http://x.y', 'mailto:a@b.c', '#ref-1', '/techniques/T1216', 'relative/page']) {
    assert.equal(isSafeLink(ok), true, ok);
  }
});

test('markdown keeps raw HTML as text and drops unsafe links and images', () => {
  const html = renderMarkdown('<script>alert(1)</script>\n\n[x](javascript:alert(2)) [y](https://example.org) ![i](https://example.org/i.png) <javascript:alert(3)>');
  assert.ok(!html.includes('<script'), html);
  assert.ok(html.includes('&lt;script&gt;'));
  assert.ok(!/href="javascript/i.test(html));
  assert.ok(html.includes('href="https://example.org"'));
  assert.ok(html.includes('rel="nofollow noopener noreferrer"'));
  assert.ok(!html.includes('<img'));
});
