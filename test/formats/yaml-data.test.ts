/** YAML alias bombs ("billion laughs") in rule files: one problem naming the first alias, no exception. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSigmaText } from '../../src/formats/sigma/index.js';
import { parseYamlMapping } from '../../src/formats/splunk/yaml-folder.js';
import { aliasBomb } from '../helpers/hostile.js';


test('sigma: an alias bomb is one yaml problem at the first alias; the next document still loads', () => {
  const good = 'title: good\nlogsource: {product: windows}\ndetection:\n  s:\n    CommandLine: x\n  condition: s\n';
  const text = `title: bomb\nlogsource: {product: windows}\n${aliasBomb('detection')}---\n${good}`;
  const r = parseSigmaText(text, 'bomb.yml');
  assert.equal(r.problems.length, 1, JSON.stringify(r.problems));
  const p = r.problems[0];
  assert.equal(p.reason, 'yaml');
  assert.deepEqual([p.line, p.column], [4, 8], 'the first alias: line 4, column 8');
  assert.match(p.message, /alias/);
  assert.deepEqual(r.rules.map((x) => x.title), ['good']);
});

test('splunk: an alias bomb in a YAML file is one yaml problem', () => {
  const r = parseYamlMapping(aliasBomb('search'), 'bomb.yml');
  assert.ok(!('doc' in r));
  assert.equal(r.reason, 'yaml');
  assert.equal(r.line, 2);
  assert.match(r.message, /alias/);
});
