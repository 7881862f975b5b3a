import assert from 'node:assert/strict';
import { test } from 'node:test';
import { highlight } from '../../src/web/highlight/index.js';

const joined = (text: string, lang: string): string => highlight(text, lang).map((s) => s.text).join('');
const classOf = (text: string, lang: string, piece: string): string | undefined => highlight(text, lang).find((s) => s.text === piece)?.cls;

test('every highlighter keeps the text exactly, broken input included', () => {
  const cases: Array<[string, string]> = [
    ['process where process.name : ("cmd.exe", "pwsh.exe") and not user.name == "SYSTEM"', 'eql'],
    ['process.name : "x" and "unterminated', 'kuery'],
    ['process.name:cmd.exe AND NOT user.name:root \\ \u0001', 'lucene'],
    ['from logs-* | where to_lower(process.name) == "cmd.exe" | stats n = count() by host.id', 'esql'],
    ['| tstats count from datamodel=Endpoint.Processes where Processes.process_name="cmd.exe" by Processes.dest | `drop_dm`', 'spl'],
    ['index=x "unterminated | stats count', 'spl'],
    ['title: x\ndetection:\n  sel:\n    CommandLine|contains: "\\\\pubprn.vbs" # note\n  condition: sel\nlevel: high', 'sigma'],
    ['anything', 'unknown-language'],
  ];
  for (const [text, lang] of cases) assert.equal(joined(text, lang), text, `${lang}: ${text}`);
});

test('tokens get the classes of the language', () => {
  const eql = 'process where process.name : "cmd.exe" and length(process.args) > 2';
  assert.equal(classOf(eql, 'eql', 'where'), 'kw');
  assert.equal(classOf(eql, 'eql', 'process.name'), 'f');
  assert.equal(classOf(eql, 'eql', '"cmd.exe"'), 's');
  assert.equal(classOf(eql, 'eql', 'length'), 'fn');
  assert.equal(classOf(eql, 'eql', '2'), 'n');
  const spl = '| tstats count from datamodel=Endpoint.Processes where Processes.process_name="cmd.exe" by Processes.dest | `macro_x`';
  assert.equal(classOf(spl, 'spl', 'tstats'), 'kw');
  assert.equal(classOf(spl, 'spl', 'Processes.process_name'), 'f');
  assert.equal(classOf(spl, 'spl', '"cmd.exe"'), 's');
  assert.equal(classOf(spl, 'spl', '`macro_x`'), 'm');
  const yml = 'detection:\n  selection:\n    Image|endswith: \'\\\\x.exe\'\n  condition: selection # c';
  assert.equal(classOf(yml, 'sigma', 'Image|endswith'), 'k');
  assert.equal(classOf(yml, 'sigma', "'\\\\x.exe'"), 's');
  assert.equal(classOf(yml, 'sigma', ' # c'), 'c');
});
