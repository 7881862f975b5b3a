/**
 * A cold start compiles the matcher while the rule files are parsed (rule-cache.ts: earlyMatcher,
 * Matcher.builder) and parses in chunks shared by the threads (parse-pool.ts). The matcher must be
 * the one compiled from the finished rule set: same rules loaded and skipped, same variants, same
 * literal ids and automata (MatcherPlan, compared whole).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules, type CompiledRules } from '../../../src/engine/cache/rule-cache.js';
import { parseInWorkers } from '../../../src/engine/cache/parse-pool.js';
import { startParsers, stopParsers } from '../../../src/engine/cache/parse-threads.js';
import { spawnSync } from 'node:child_process';
import { Matcher } from '../../../src/engine/matcher.js';
import { parseSigmaText } from '../../../src/formats/sigma/index.js';
import { flattenEvent } from '../../../src/events/normalize.js';
import { procRule, sysmon1 } from '../../helpers/sigma.js';
import { requireShared } from '../../helpers/shared.js';

/** The matcher compiled again, serially, from the rule set's detections: both must be the same. */
function assertSerialMatcher(c: CompiledRules): void {
  const serial = new Matcher(c.ruleSet.detections);
  assert.deepStrictEqual(c.matcher.toPlan(), serial.toPlan());
  assert.equal(c.matcher.loaded.length, serial.loaded.length);
  c.matcher.loaded.forEach((r, i) => assert.equal(r, serial.loaded[i], `loaded rule ${i}`));
  c.matcher.skipped.forEach((s, i) => assert.equal(s.rule, serial.skipped[i].rule, `skipped rule ${i}`));
}

test('SigmaHQ cold start: the matcher compiled during the parse is the serial build of the rule set, on one and two threads', async (t) => {
  const shared = requireShared(t, 'the SigmaHQ corpus');
  if (!shared) return;
  const paths = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => join(shared, 'corpora', 'sigma', d));
  for (const parseThreads of [1, 2]) {
    const c = await compileRules(paths, { parseThreads });
    assert.ok(c.matcher.loaded.length > 2500, `${c.matcher.loaded.length} rules loaded`);
    assertSerialMatcher(c);
  }
});

test('a filter in a later file than the rule it names: the rule is compiled with the filter applied', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-early-matcher-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  mkdirSync(join(dir, 'rules'));
  writeFileSync(join(dir, 'rules', 'a-rule.yml'), procRule('  s:\n    CommandLine|contains: evil\n  condition: s'));
  writeFileSync(join(dir, 'rules', 'b-filter.yml'), 'title: f\nlogsource: {product: windows, category: process_creation}\nfilter:\n'
    + '  rules: [11111111-1111-1111-1111-111111111111]\n  sel:\n    CommandLine|contains: benign\n  condition: sel\n');
  for (const parseThreads of [1, 2]) {
    const c = await compileRules([join(dir, 'rules')], { parseThreads });
    assert.equal(c.ruleSet.filters.length, 1);
    assertSerialMatcher(c);
    const hits = (cl: string): number => c.matcher.match(flattenEvent({ file: 'x', event: sysmon1({ CommandLine: cl }) })).length;
    assert.equal(hits('run evil.exe'), 1);
    assert.equal(hits('run evil.exe benign'), 0, 'the filter applies');
  }
});

test('Matcher.builder: rules added one by one give the matcher of the whole list; nothing is added after finish', () => {
  const texts = ['CommandLine|contains: evil', 'Image|endswith: \\\\bad.exe', 'CommandLine|re: "a.*b"', 'CommandLine|contains|all: [one, two]', 'Image: C:\\\\x.exe'];
  const rules = texts.map((s, i) => parseSigmaText(procRule(`  s:\n    ${s}\n  condition: s`), `r${i}.yml`).rules[0]);
  const b = Matcher.builder();
  for (const r of rules) b.add(r);
  const m = b.finish();
  assert.equal(m.loaded.length, rules.length);
  assert.deepStrictEqual(m.toPlan(), new Matcher(rules).toPlan());
  assert.throws(() => b.add(rules[0]), /already built/);
});

/** The SigmaHQ Windows Security rule files, [path, text], in path order (over a hundred). */
function securityRuleTexts(shared: string): Array<[string, string]> {
  const dir = join(shared, 'corpora', 'sigma', 'rules', 'windows', 'builtin', 'security');
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((n) => n.endsWith('.yml')).sort()
    .map((n): [string, string] => [join(dir, n), readFileSync(join(dir, n), 'utf8')]);
}

test('parseInWorkers: chunks shared by two threads give the results of one thread, each chunk reported once', async (t) => {
  const shared = requireShared(t, 'the SigmaHQ corpus');
  if (!shared) return;
  const files = securityRuleTexts(shared);
  assert.ok(files.length > 100, `${files.length} files`);
  const one = await parseInWorkers(files, undefined, 1);
  const seen: number[] = [];
  const two = await parseInWorkers(files, undefined, 2, (from, results) => {
    seen.push(from);
    assert.ok(results.length >= 1 && results.length <= 7);
  }, 7);
  assert.deepStrictEqual(seen.sort((a, b) => a - b), Array.from({ length: Math.ceil(files.length / 7) }, (_, i) => i * 7));
  assert.equal(two.length, files.length);
  assert.deepStrictEqual(JSON.parse(JSON.stringify(two)), JSON.parse(JSON.stringify(one)));
});

test('parser threads started before their files are known take the work, give the results of one thread, and stop', { timeout: 120_000 }, async (t) => {
  const shared = requireShared(t, 'the SigmaHQ corpus');
  if (!shared) return;
  const files = securityRuleTexts(shared);
  const one = await parseInWorkers(files, undefined, 1);
  const early = startParsers(1);
  const [worker] = early.workers;
  assert.ok(worker, 'a parser thread was started');
  const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
  const two = await parseInWorkers(files, undefined, 2, undefined, 7, early);
  assert.equal(early.workers.length, 0, 'the early thread was given the work');
  assert.deepStrictEqual(JSON.parse(JSON.stringify(two)), JSON.parse(JSON.stringify(one)));
  await exited;
  // Threads never given work are stopped, and meanwhile do not keep a process alive.
  const idle = startParsers(2);
  assert.equal(idle.workers.length, 2);
  const stopped = idle.workers.map((w) => new Promise((resolve) => w.once('exit', resolve)));
  stopParsers(idle);
  assert.equal(idle.workers.length, 0);
  await Promise.all(stopped);
  // (A script file: a worker thread inherits the process's flags, and --input-type would stop it.)
  const work = mkdtempSync(join(tmpdir(), 'detectory-early-'));
  t.after(() => rmSync(work, { recursive: true, force: true }));
  const script = join(work, 'start.mjs');
  writeFileSync(script, `const { startParsers } = await import(${JSON.stringify(new URL('../../../src/engine/cache/parse-threads.js', import.meta.url).href)});
console.log(startParsers(1).workers.length);`);
  const child = spawnSync(process.execPath, [script], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(child.signal, null, 'the process ended by itself');
  assert.equal(child.status, 0, child.stderr);
  assert.equal(child.stdout.trim(), '1', 'one thread started');
  // A thread never given work nor stopped ends by itself (here after 50 ms).
  const [forgotten] = startParsers(1, 50).workers;
  forgotten.ref(); // (this test waits for it)
  assert.equal(await new Promise((resolve) => forgotten.once('exit', resolve)), 0);
});
