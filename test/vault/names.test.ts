import assert from 'node:assert/strict';
import { test } from 'node:test';
import { frontMatter, mdCell, mdText } from '../../src/vault/markdown.js';
import { linkLabel, NoteNames, safeFileName } from '../../src/vault/names.js';
import { frontMatterOf, isPortableName, linkTargets } from './check.js';

test('file names are portable and cannot break links', () => {
  for (const [raw, want] of [
    ['T1216 System Script Proxy Execution', 'T1216 System Script Proxy Execution'],
    ['a/b\\c:d*e?f"g<h>i|j', 'a b c d e f g h i j'],
    ['[[x]] #tag ^block', 'x tag block'],
    ['CON', '_CON'],
    ['nul.txt', 'nul_txt'],
    ['NUL', '_NUL'],
    ['trailing dots...', 'trailing dots'],
    ['../../etc/passwd', 'etc passwd'],
    ['', '_'],
    ['\u0000\u001b[31m', '31m'],
    ['DET0138 Detection via InstallUtil.exe', 'DET0138 Detection via InstallUtil_exe'],
    ['T1216.001 PubPrn', 'T1216.001 PubPrn'],
  ]) assert.equal(safeFileName(raw), want, raw);
  const long = safeFileName('é'.repeat(400));
  assert.ok(Buffer.byteLength(long) <= 150 && isPortableName(long));
  const names = new NoteNames();
  assert.equal(names.take('t', 'Same'), 't/Same');
  assert.equal(names.take('t', 'same'), 't/same (2)');
  assert.equal(linkLabel('a|b]]c[[d#e'), 'a b c d e');
});

test('untrusted text cannot inject front matter, links, footnotes, HTML or images', () => {
  const evil = 'x\n---\nid: injected\n[[Evil Note]] [^1] <script>alert(1)</script> ![i](http://t/i.png) [l](javascript:alert(1)) %%hidden%%';
  const fm = frontMatter({ id: 'a', name: evil, list: [evil, ': - [x]'] });
  const parsed = frontMatterOf(`${fm}\nbody`);
  assert.equal(parsed.id, 'a');
  assert.equal(typeof parsed.name, 'string');
  assert.ok(!String(parsed.name).includes('\n'));
  const body = mdText(evil);
  assert.deepEqual(linkTargets(body), []);
  assert.ok(!body.includes('<script'));
  assert.ok(!body.includes('[^1]'));
  assert.ok(!body.includes('](javascript:'));
  assert.ok(!/(^|[^\\])!\[/.test(body), 'no image embed');
  assert.ok(!/^---$/m.test(body));
  assert.ok(!body.includes('%%'));
  assert.equal(mdText('see [T1059](https://attack.mitre.org/techniques/T1059)', () => '[[techniques/T1059 X|T1059]]'), 'see [[techniques/T1059 X|T1059]]');
  assert.equal(mdText('[site](https://example.org/a)'), '[site](<https://example.org/a>)');
  assert.equal(mdCell('a|b\nc'), 'a\\|b c');
});
