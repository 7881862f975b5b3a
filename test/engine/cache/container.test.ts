/**
 * Cache containers (container.ts): JSON sections are written as ASCII (every other character as a
 * \u escape) and read back as the same values, lone surrogates and characters beyond the BMP included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { asciiJson, decodeContainer, encodeContainer, jsonSection } from '../../../src/engine/cache/container.js';

const VALUES = {
  title: 'Suspicious \u2013 dash \u2014 and \u2015 quote \u2019s',
  keys: { 'n\u00e4me': ['\u00e9t\u00e9', '\ud83d\ude00', 'lone \ud800 surrogate', 'ctrl \u0001 \u007f del'] },
  plain: 'C:\\Windows\\System32\\cmd.exe /c "echo"',
  n: [1, -2.5, null, true],
};

test('JSON sections are stored as ASCII and read back as the same values', () => {
  const text = asciiJson(VALUES);
  assert.ok(/^[\x00-\x7f]*$/.test(text), text);
  assert.deepEqual(JSON.parse(text), VALUES);
  const buf = encodeContainer('test-kind', 'k', new Map([['v', { json: VALUES }]]));
  const payload = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  assert.ok(payload.includes(Buffer.from(text, 'latin1')), 'the section is not the ASCII text');
  assert.deepEqual(jsonSection(decodeContainer(buf, 'test-kind', 'k'), 'v'), VALUES);
});
