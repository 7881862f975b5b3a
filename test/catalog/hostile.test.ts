/**
 * `catalog build` over hostile rule files of every language: an alias bomb, conditions and queries
 * nested 10,000 levels or negated 100,000 times. Each file is one problem with a position and a
 * reason in words, the build finishes, the good rules are cataloged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openDb } from '../../src/store/db.js';
import { buildCatalog } from '../../src/catalog/build.js';
import { rows } from '../../src/catalog/query.js';
import { aliasBomb } from '../helpers/hostile.js';
import { tempDir, write } from './fixtures.js';

const N = 10_000;
const deep = (inner: string): string => '('.repeat(N) + inner + ')'.repeat(N);
const nots = (word: string, inner: string): string => `${word} `.repeat(10 * N) + inner;

const SIGMA_HEAD = 'title: TITLE\nlogsource: {product: windows, category: process_creation}\n';
const sigma = (title: string, cond: string): string =>
  `${SIGMA_HEAD.replace('TITLE', title)}detection:\n  s:\n    CommandLine|contains: evil\n  condition: ${cond}\n`;

const elastic = (id: string, type: string, language: string, query: string): string => `[metadata]
creation_date = "2024/01/01"
maturity = "production"

[rule]
author = ["Test"]
description = "test"
name = "${id}"
risk_score = 21
rule_id = "${id}"
severity = "low"
type = "${type}"
language = "${language}"
query = '''
${query}
'''
`;

const splunk = (id: string, search: string): string => `name: ${id}\nid: ${id}\ntype: TTP\nsearch: '${search}'\n`;

test('catalog build: hostile nesting and alias bombs in every language are one problem each; the build finishes', async () => {
  const dir = tempDir();
  write(join(dir, 'sigma/bomb.yml'), SIGMA_HEAD.replace('TITLE', 'bomb') + aliasBomb('detection'));
  write(join(dir, 'sigma/deep.yml'), sigma('deep', deep('s')));
  write(join(dir, 'sigma/nots.yml'), sigma('nots', nots('not', 's')));
  write(join(dir, 'sigma/good.yml'), sigma('good', 's'));
  const queries: Array<[string, string, string, string]> = [
    ['eql-deep', 'eql', 'eql', `process where ${deep('a == 1')}`],
    ['eql-nots', 'eql', 'eql', `process where ${nots('not', 'a == 1')}`],
    ['kql-deep', 'query', 'kuery', deep('a:1')],
    ['kql-nots', 'query', 'kuery', nots('not', 'a:1')],
    ['lucene-deep', 'query', 'lucene', deep('a:1')],
    ['lucene-nots', 'query', 'lucene', nots('NOT', 'a:1')],
    ['esql-deep', 'esql', 'esql', `from x | where ${deep('a == 1')}`],
    ['esql-nots', 'esql', 'esql', `from x | where ${nots('not', 'a == 1')}`],
  ];
  for (const [id, type, language, q] of queries) write(join(dir, `elastic/${id}.toml`), elastic(id, type, language, q));
  write(join(dir, 'elastic/good.toml'), elastic('e-good', 'eql', 'eql', 'process where process.name == "x.exe"'));
  write(join(dir, 'splunk/detections/deep.yml'), splunk('spl-deep', `search ${deep('a=1')}`));
  write(join(dir, 'splunk/detections/bomb.yml'), aliasBomb('search'));
  write(join(dir, 'splunk/macros/m.yml'), 'name: m\ndefinition: search *\n');
  const db = await openDb(join(dir, 'c.duckdb'));
  try {
    const s = await buildCatalog(db, { sigma: [join(dir, 'sigma')], elastic: [join(dir, 'elastic')], splunk: [join(dir, 'splunk')], workers: 0 });
    assert.equal(s.runProblems.length, 0);
    const problems = await rows(db, 'SELECT file, line, "column", reason, message FROM parse_problems ORDER BY file');
    const byFile = new Map(problems.map((p) => [String(p.file).slice(dir.length + 1), p]));
    const expect = (file: string, reason: string, message: RegExp): void => {
      const p = byFile.get(file);
      assert.ok(p, `a problem for ${file}: ${JSON.stringify([...byFile.keys()])}`);
      assert.equal(p.reason, reason, file);
      assert.match(String(p.message), message, file);
      assert.ok(Number(p.line) >= 1, `${file}: a line`);
    };
    expect('sigma/bomb.yml', 'yaml', /aliases expand too much/);
    expect('sigma/deep.yml', 'condition', /nested deeper than 200 levels/);
    expect('sigma/nots.yml', 'condition', /nested deeper than 200 levels/);
    for (const [id] of queries) expect(`elastic/${id}.toml`, 'query-parse', /nested deeper than 200 levels/);
    expect('splunk/detections/deep.yml', 'query-too-deep', /nested deeper than 200 levels/);
    expect('splunk/detections/bomb.yml', 'yaml', /aliases expand too much/);
    assert.equal(problems.length, 13, JSON.stringify(problems.map((p) => [p.file, p.reason])));
    const good = await rows(db, "SELECT title FROM rules WHERE parse_status = 'parsed' ORDER BY title");
    assert.deepEqual(good.map((r) => r.title), ['e-good', 'good']);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
