/** `detectory scan` over hostile rule files and names: each is one safe problem line, the run goes on. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli, EXAMPLES } from '../helpers/cli.js';
import { aliasBomb } from '../helpers/hostile.js';
import { testTempDir } from '../helpers/temp-dir.js';

const events = join(EXAMPLES, 'events');
const HEADER = 'title: TITLE\nlogsource: {product: windows, category: process_creation}\n';
const rule = (title: string, condition: string): string =>
  `${HEADER.replace('TITLE', title)}detection:\n  s:\n    CommandLine|contains: urlcache\n  condition: ${condition}\n`;

function summaryOf(stderr: string): Record<string, unknown> {
  return JSON.parse(stderr.trim().split('\n').pop()!) as Record<string, unknown>;
}

test('an alias bomb, a condition 10,000 parentheses deep and 100,000 nots: three problem lines, the good rule runs', (t) => {
  const dir = testTempDir(t, 'detectory-hostile-');
  writeFileSync(join(dir, 'bomb.yml'), HEADER.replace('TITLE', 'bomb') + aliasBomb('detection'));
  writeFileSync(join(dir, 'deep.yml'), rule('deep', '('.repeat(10_000) + 's' + ')'.repeat(10_000)));
  writeFileSync(join(dir, 'nots.yml'), rule('nots', 'not '.repeat(100_000) + 's'));
  writeFileSync(join(dir, 'good.yml'), rule('good', 's'));
  const r = cli(['scan', events, '--rules', dir, '--format', 'jsonl', '--json']);
  assert.equal(r.status, 0, r.stderr.slice(0, 2000));
  assert.doesNotMatch(r.stderr, /internal error|\n\s+at /, 'no stack trace');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 4, lines.join('\n').slice(0, 2000));
  assert.match(lines[0], /bomb\.yml:4:\d+: yaml: aliases expand too much/);
  assert.match(lines[1], /deep\.yml:6: condition: expression nested deeper than 200 levels at column 201/);
  assert.match(lines[2], /nots\.yml:6: condition: expression nested deeper than 200 levels at column 801/);
  for (const l of lines) assert.ok(l.length < 1000, 'short lines');
  const s = summaryOf(r.stderr);
  assert.equal(s.rules_loaded, 1);
  assert.deepEqual(s.skipped_by_reason, { yaml: 1, condition: 2 });
  const titles = new Set(r.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { rule: { title: string } }).rule.title));
  assert.deepEqual([...titles], ['good']);
});

test('control characters from hostile names and rule text are escaped: each problem is one safe line', (t) => {
  const dir = testTempDir(t, 'detectory-ctl-');
  const rules = join(dir, 'rules');
  const evs = join(dir, 'events');
  mkdirSync(rules);
  mkdirSync(evs);
  // A rule file whose name holds ESC and a newline, and whose modifier holds ESC, BEL, CR, LF and a
  // right-to-left override (double-quoted YAML escapes); an event file whose name holds BEL and CR.
  writeFileSync(join(rules, 'evil\x1b[31m\nname.yml'),
    `${HEADER.replace('TITLE', 't')}detection:\n  s:\n    "CommandLine|cont\\e[2J\\aains\\r\\nFAKE: line\\u202e": x\n  condition: s\n`);
  writeFileSync(join(rules, 'good.yml'), rule('good', 's'));
  writeFileSync(join(evs, 'bad\x07\rname.jsonl'), '{"Event": broken\n');
  const r = cli(['scan', evs, '--rules', rules, '--format', 'jsonl', '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/, 'no control character but the line ends');
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 3, 'two problems and the summary, one line each');
  assert.equal(lines[0], `${rules}/evil\\x1b[31m\\nname.yml:1: unknown-modifier: unknown modifier 'cont\\x1b[2J\\x07ains\\r\\nFAKE: line\\u202e' in 'CommandLine|cont\\x1b[2J\\x07ains\\r\\nFAKE: line\\u202e'`);
  assert.match(lines[1], /^.*bad\\x07\\rname\.jsonl \(line 1\): invalid-json: /);
});
