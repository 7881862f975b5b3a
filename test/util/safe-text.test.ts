import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeControls, MAX_LINE_CHARS, safeLine } from '../../src/util/safe-text.js';
import { formatProblem } from '../../src/model/index.js';

test('C0, DEL, C1, bidi controls and line separators become visible escapes; printable text and backslashes stay', () => {
  assert.equal(escapeControls('a\x1b[31mb\x07c\0d\r\ne\tf\x7fg\x85h\x9bi'), 'a\\x1b[31mb\\x07c\\0d\\r\\ne\\tf\\x7fg\\x85h\\x9bi');
  assert.equal(escapeControls('x\u202ey\u2066z\u200f\u061c\u2028\ufeff'), 'x\\u202ey\\u2066z\\u200f\\u061c\\u2028\\ufeff');
  assert.equal(escapeControls('C:\\Windows\\System32\\ évènement 事件 😀'), 'C:\\Windows\\System32\\ évènement 事件 😀');
  assert.equal(escapeControls(escapeControls('a\x1bb')), 'a\\x1bb', 'escaping twice changes nothing more');
});

test('a problem is one line, cut when huge, saying so', () => {
  const line = formatProblem({ file: 'a\nb.jsonl', where: 'line 3', reason: 'invalid-json', message: `bad \x1b]0;title\x07 ${'x'.repeat(100_000)}` });
  assert.ok(!/[\u0000-\u001f]/.test(line));
  assert.ok(line.startsWith('a\\nb.jsonl (line 3): invalid-json: bad \\x1b]0;title\\x07 xxx'));
  assert.ok(line.length < MAX_LINE_CHARS + 60);
  assert.match(line, /… \(cut: \d+ characters in all\)$/);
  assert.equal(safeLine('short'), 'short');
});
