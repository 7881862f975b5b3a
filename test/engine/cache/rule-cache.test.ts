/**
 * The rule cache: a warm start gives the same rules and alerts as a cold one; a changed rule file
 * is parsed again (and only it); a damaged, truncated or forged cache file is refused and rebuilt.
 * Elastic rules are cached too (as a scan keeps them): equal to freshly loaded ones. A settled rule
 * file is known by its stat (the file manifest) and not read again; any change to it is still seen.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../../src/engine/scan.js';
import type { Alert } from '../../../src/engine/alert.js';
import { compileRules, PLAN_KIND, SETTLE_MS } from '../../../src/engine/cache/rule-cache.js';
import { decodeContainer, encodeContainer } from '../../../src/engine/cache/container.js';
import { EXAMPLES } from '../../helpers/cli.js';
import { requireShared } from '../../helpers/shared.js';
import { ELASTIC_EVENTS, KQL_RULE_FILE, KQL_RULE_ID, kqlRuleToml, writeElasticRules } from '../../helpers/elastic-rule-files.js';
import { codeVersion } from '../../../src/engine/cache/code-version.js';
import { scanElasticRule } from '../../../src/engine/cache/scan-rule.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { loadRules } from '../../../src/engine/rules.js';
import type { Rule } from '../../../src/model/index.js';
import { parse as parseEql } from '../../../src/formats/eql/parser.js';
import { hasRuleQuery, ruleQuery } from '../../../src/engine/cache/parsed-queries.js';

function tempDir(t: { after(fn: () => void): void }): string {
  const d = mkdtempSync(join(tmpdir(), 'detectory-cache-'));
  t.after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

/** With two threads the worker surely scans a task (workersFirst): a small input could else be scanned by the main thread alone. */
async function run(rulePaths: string[], eventPaths: string[], cacheDir: string | undefined, threads = 1): Promise<{ alerts: Alert[]; problems: string[]; cache: string }> {
  const alerts: Alert[] = [];
  const problems: string[] = [];
  const s = await scan({ rulePaths, eventPaths, cacheDir, threads, workersFirst: true, onAlert: (a) => alerts.push(a), onProblem: (l) => problems.push(l) });
  return { alerts, problems, cache: s.rule_cache };
}

function planFile(dir: string): string {
  const f = readdirSync(dir).filter((n) => n.startsWith('plan-'));
  assert.equal(f.length, 1, `one plan file in ${readdirSync(dir).join(', ')}`);
  return join(dir, f[0]);
}

test('a warm start gives the same alerts and problems as a cold start and as no cache', async (t) => {
  const dir = tempDir(t);
  const rules = [join(EXAMPLES, 'rules')];
  const events = [join(EXAMPLES, 'events')];
  const off = await run(rules, events, undefined);
  const cold = await run(rules, events, dir);
  const warm = await run(rules, events, dir);
  assert.equal(off.cache, 'off');
  assert.equal(cold.cache, 'built');
  assert.equal(warm.cache, 'hit');
  assert.ok(off.alerts.length > 0);
  assert.deepEqual(cold.alerts, off.alerts);
  assert.deepEqual(warm.alerts, off.alerts);
  assert.deepEqual(warm.problems, off.problems);
});

test('SigmaHQ rules on EVTX samples: warm start and worker threads give the alerts of a cold start', async (t) => {
  const shared = requireShared(t, 'the SigmaHQ rules and EVTX samples');
  if (!shared) return;
  const dir = tempDir(t);
  const rules = [join(shared, 'corpora', 'sigma', 'rules')];
  const events = [join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES', 'Lateral Movement'), join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES', 'Execution')];
  const off = await run(rules, events, undefined);
  await run(rules, events, dir);
  const warm = await run(rules, events, dir);
  const warm2 = await run(rules, events, dir, 2);
  assert.equal(warm.cache, 'hit');
  assert.ok(off.alerts.length > 100, `${off.alerts.length} alerts`);
  assert.deepEqual(warm.alerts, off.alerts);
  assert.deepEqual(warm2.alerts, off.alerts);
  assert.deepEqual(warm.problems, off.problems);
});

test('changing a rule file parses that file again, and only it; its old content still hits', async (t) => {
  const dir = tempDir(t);
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  const first = await compileRules([rules], { cacheDir: dir });
  assert.equal(first.cache, 'built');
  assert.equal(first.parsed, readdirSync(rules).length);
  assert.equal((await compileRules([rules], { cacheDir: dir })).cache, 'hit');
  const file = join(rules, 'proc_creation_certutil_download.yml');
  const original = readFileSync(file, 'utf8');
  const title = /^title: (.*)$/m.exec(original)![1];
  writeFileSync(file, original.replace(/^title: .*$/m, 'title: Changed Title'));
  const changed = await compileRules([rules], { cacheDir: dir });
  assert.equal(changed.cache, 'built');
  assert.equal(changed.parsed, 1);
  const titles = changed.ruleSet.detections.map((r) => r.title);
  assert.ok(titles.includes('Changed Title') && !titles.includes(title), titles.join(', '));
  const alerts = await run([rules], [join(EXAMPLES, 'events')], dir);
  assert.ok(alerts.alerts.some((a) => a.rule.title === 'Changed Title'));
  writeFileSync(file, original);
  const back = await compileRules([rules], { cacheDir: dir });
  assert.equal(back.cache, 'hit');
  assert.ok(back.ruleSet.detections.some((r) => r.title === title));
});

test('a damaged or truncated plan file is reported, ignored and rebuilt', async (t) => {
  const rules = [join(EXAMPLES, 'rules')];
  const events = [join(EXAMPLES, 'events')];
  const off = await run(rules, events, undefined);
  const damage: Array<[string, (b: Buffer) => Buffer, RegExp]> = [
    ['one byte flipped', (b) => { const c = Buffer.from(b); c[c.length - 100] ^= 0xff; return c; }, /checksum mismatch/],
    ['cut in half', (b) => b.subarray(0, b.length >> 1), /cut short/],
    ['empty', () => Buffer.alloc(0), /too short/],
    ['not ours', () => Buffer.from('hello world, this is not a cache file at all'), /not a detectory cache file/],
  ];
  for (const [what, change, reason] of damage) {
    const dir = tempDir(t);
    await run(rules, events, dir);
    const file = planFile(dir);
    writeFileSync(file, change(readFileSync(file)));
    const r = await run(rules, events, dir);
    assert.equal(r.cache, 'built', what);
    assert.ok(r.problems.some((l) => l.includes(file) && reason.test(l)), `${what}: ${r.problems.join(' | ')}`);
    assert.deepEqual(r.alerts, off.alerts, what);
    assert.equal((await run(rules, events, dir)).cache, 'hit', `${what}: rebuilt`);
  }
});

test('a forged plan file with a valid checksum is still checked: bad tables and bad rules are refused', async (t) => {
  const rules = [join(EXAMPLES, 'rules')];
  const events = [join(EXAMPLES, 'events')];
  const off = await run(rules, events, undefined);
  const forgeries: Array<[string, (s: Map<string, unknown>) => void, RegExp]> = [
    ['a failure link that loops', (s) => {
      const fail = s.get('a0.fail') as Int32Array;
      fail[fail.length - 1] = fail.length - 1;
    }, /failure link/],
    ['a transition out of range', (s) => {
      const delta = s.get('a0.delta') as Int32Array;
      delta[0] = 1 << 30;
    }, /row target/],
    ['a pattern id out of range', (s) => {
      const pid = s.get('a0.pid') as Int32Array;
      pid[pid.length - 1] = 1 << 30;
    }, /pattern id/],
    ['a detection node of no known kind', (s) => {
      const rulesJson = (s.get('rules') as { json: { detections: Array<{ detection: unknown }> } }).json;
      rulesJson.detections[0].detection = { kind: 'bogus' };
    }, /bad detection kind/],
    ['a trigger out of range', (s) => {
      const plan = (s.get('plan') as { json: { variants: unknown[][] } }).json;
      plan.variants[0][5] = [1 << 30];
    }, /trigger out of range/],
  ];
  await assertForgeriesRefused(t, rules, events, off.alerts, forgeries);
});

/** Each forged plan is refused with its reason named (the file rebuilt), and the scan's alerts equal the uncached ones. */
async function assertForgeriesRefused(t: TestContext, rules: string[], events: string[], expected: Alert[],
  forgeries: Array<[string, (s: Map<string, unknown>) => void, RegExp]>): Promise<void> {
  for (const [what, forge, reason] of forgeries) {
    const { file, dir } = await forgedPlanFile(t, rules, forge);
    const r = await run(rules, events, dir);
    assert.equal(r.cache, 'built', what);
    assert.ok(r.problems.some((l) => l.includes(file) && reason.test(l)), `${what}: ${r.problems.join(' | ')}`);
    assert.deepEqual(r.alerts, expected, what);
  }
}

/** A cache folder whose plan file was built from `rules`, then changed by `forge` (its sections decoded and encoded again). */
async function forgedPlanFile(t: TestContext, rules: string[], forge: (s: Map<string, unknown>) => void): Promise<{ file: string; dir: string }> {
  const dir = tempDir(t);
  const built = await compileRules(rules, { cacheDir: dir });
  const file = planFile(dir);
  const sections = decodeContainer(new Uint8Array(readFileSync(file)), PLAN_KIND, built.plan.key) as Map<string, unknown>;
  // Typed sections are views on the read buffer: copy them before changing.
  for (const [k, v] of sections) if (ArrayBuffer.isView(v)) sections.set(k, (v as Int32Array).slice());
  forge(sections);
  writeFileSync(file, encodeContainer(PLAN_KIND, built.plan.key, sections as Parameters<typeof encodeContainer>[2]));
  return { file, dir };
}

/**
 * With two threads the plan file is sent to the worker as soon as it is read, before it is checked
 * (see parallel/worker.ts): a forged one must still never be matched with, there or here.
 */
test('a forged plan file is refused with two threads too: the workers never match with it', { timeout: 120_000 }, async (t) => {
  const rules = [join(EXAMPLES, 'rules')];
  const work = tempDir(t);
  const copy = join(work, 'copy.jsonl');
  cpSync(join(EXAMPLES, 'events', 'workstation.jsonl'), copy);
  const events = [join(EXAMPLES, 'events'), copy];
  const off = await run(rules, events, undefined, 2);
  assert.ok(off.alerts.length > 0);
  const forgeries: Array<[string, (s: Map<string, unknown>) => void]> = [
    ['a failure link that loops', (s) => {
      const fail = s.get('a0.fail') as Int32Array;
      fail.fill(0);
      fail[fail.length - 1] = fail.length - 1;
    }],
    ['a detection node of no known kind', (s) => {
      const rulesJson = (s.get('rules') as { json: { detections: Array<{ detection: unknown }> } }).json;
      for (const r of rulesJson.detections) r.detection = { kind: 'bogus' };
    }],
  ];
  for (const [what, forge] of forgeries) {
    const { dir } = await forgedPlanFile(t, rules, forge);
    const r = await run(rules, events, dir, 2);
    assert.equal(r.cache, 'built', what);
    assert.deepEqual(r.alerts, off.alerts, what);
    // Rebuilt: the next two-thread run uses the plan file, early, and gives the same alerts.
    const again = await run(rules, events, dir, 2);
    assert.equal(again.cache, 'hit', what);
    assert.deepEqual(again.alerts, off.alerts, what);
  }
});

test('a damaged parsed-rules store is ignored: every file is parsed again', async (t) => {
  const dir = tempDir(t);
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  const files = (await compileRules([rules], { cacheDir: dir })).ruleSet.files;
  const store = join(dir, readdirSync(dir).find((n) => n.startsWith('parsed-'))!);
  const b = readFileSync(store);
  b[b.length - 10] ^= 0x55;
  writeFileSync(store, b);
  // A changed rule set misses the plan and falls back to the store.
  writeFileSync(join(rules, 'extra.yml'), readFileSync(join(EXAMPLES, 'rules', 'security_failed_logon.yml'), 'utf8').replace(/^id: .*$/m, 'id: 22222222-2222-2222-2222-222222222222'));
  const notes: string[] = [];
  const r = await compileRules([rules], { cacheDir: dir, onNote: (l) => notes.push(l) });
  assert.equal(r.parsed, files + 1);
  assert.ok(notes.some((l) => l.includes(store) && /checksum mismatch/.test(l)), notes.join(' | '));
});

/** A clock past the settle time of files written now: the manifest records them (see FileManifest in rule-cache.ts). */
const later = (): number => Date.now() + SETTLE_MS + 60_000;

/** Waits until the file-system clock has moved past `ctimeMs` (a write now gives the file a later change time). */
async function pastChangeTime(t: TestContext, file: string): Promise<void> {
  const before = statSync(file).ctimeMs;
  const probe = join(tempDir(t), 'probe');
  for (let i = 0; i < 200; i++) {
    writeFileSync(probe, String(i));
    if (statSync(probe).ctimeMs > before) return;
    await delay(5);
  }
  assert.fail('the file-system clock did not move');
}

test('settled rule files are known by their stat on a warm start: none is read again', async (t) => {
  const dir = tempDir(t);
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  const n = readdirSync(rules).length;
  const cold = await compileRules([rules], { cacheDir: dir, now: later });
  assert.equal(cold.read, n);
  const warm = await compileRules([rules], { cacheDir: dir, now: later });
  assert.equal(warm.cache, 'hit');
  assert.equal(warm.read, 0);
  assert.deepEqual(warm.ruleSet.detections.map((r) => r.id), cold.ruleSet.detections.map((r) => r.id));
});

test('a rule file rewritten in place with its size and modification time kept is read again (its change time moved)', async (t) => {
  const dir = tempDir(t);
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  const file = join(rules, 'proc_creation_certutil_download.yml');
  const original = readFileSync(file, 'utf8');
  const title = /^title: (.*)$/m.exec(original)![1];
  // A whole second: utimes sets it back exactly.
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  await compileRules([rules], { cacheDir: dir, now: later });
  assert.equal((await compileRules([rules], { cacheDir: dir, now: later })).read, 0);
  const before = statSync(file);
  await pastChangeTime(t, file);
  // Same length, same modification time: only the change time (and the bytes) tell.
  const changed = title.replace(/^./, (c) => (c === 'X' ? 'Y' : 'X'));
  writeFileSync(file, original.replace(`title: ${title}`, `title: ${changed}`));
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  const after = statSync(file);
  assert.equal(after.size, before.size);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.notEqual(after.ctimeMs, before.ctimeMs);
  const r = await compileRules([rules], { cacheDir: dir, now: later });
  assert.equal(r.read, 1);
  assert.equal(r.cache, 'built');
  assert.equal(r.parsed, 1);
  const titles = r.ruleSet.detections.map((x) => x.title);
  assert.ok(titles.includes(changed) && !titles.includes(title), titles.join(', '));
});

test('a rule file replaced by another (rename) with the same size and times is read again', async (t) => {
  const dir = tempDir(t);
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  const file = join(rules, 'security_failed_logon.yml');
  const original = readFileSync(file, 'utf8');
  utimesSync(file, 1_700_000_000, 1_700_000_000);
  await compileRules([rules], { cacheDir: dir, now: later });
  assert.equal((await compileRules([rules], { cacheDir: dir, now: later })).read, 0);
  const before = statSync(file);
  const next = join(rules, 'next.tmp');
  const id = /^id: (.*)$/m.exec(original)![1];
  const otherId = id.replace(/^./, (c) => (c === '0' ? '1' : '0'));
  writeFileSync(next, original.replace(`id: ${id}`, `id: ${otherId}`));
  utimesSync(next, 1_700_000_000, 1_700_000_000);
  renameSync(next, file);
  assert.equal(statSync(file).size, before.size);
  assert.equal(statSync(file).mtimeMs, before.mtimeMs);
  const r = await compileRules([rules], { cacheDir: dir, now: later });
  assert.equal(r.read, 1);
  assert.equal(r.cache, 'built');
  const ids = r.ruleSet.detections.map((x) => x.id);
  assert.ok(ids.includes(otherId) && !ids.includes(id), ids.join(', '));
});

test('rule files changed just before a run are not trusted by their stat: every run reads them until they settle', async (t) => {
  const dir = tempDir(t);
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  const n = readdirSync(rules).length;
  // The real clock: the files were written within SETTLE_MS.
  await compileRules([rules], { cacheDir: dir });
  const again = await compileRules([rules], { cacheDir: dir });
  assert.equal(again.cache, 'hit');
  assert.equal(again.read, n);
  // Settled later: recorded by that run, known by their stat from then on.
  await compileRules([rules], { cacheDir: dir, now: later });
  assert.equal((await compileRules([rules], { cacheDir: dir, now: later })).read, 0);
});

test('files known by their stat but missing from the parsed store are read and parsed when the plan misses', async (t) => {
  const dir = tempDir(t);
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  const n = readdirSync(rules).length;
  const first = await compileRules([rules], { cacheDir: dir, now: later });
  for (const f of readdirSync(dir).filter((x) => x.startsWith('parsed-'))) rmSync(join(dir, f));
  // A new file: the plan misses, and no parse result is stored for the files the manifest knows.
  writeFileSync(join(rules, 'extra.yml'), readFileSync(join(EXAMPLES, 'rules', 'security_failed_logon.yml'), 'utf8').replace(/^id: .*$/m, 'id: 33333333-3333-3333-3333-333333333333'));
  const r = await compileRules([rules], { cacheDir: dir, now: later });
  assert.equal(r.cache, 'built');
  assert.equal(r.read, n + 1);
  assert.equal(r.parsed, n + 1);
  assert.deepEqual(r.ruleSet.detections.map((x) => x.id).sort(), [...first.ruleSet.detections.map((x) => x.id), '33333333-3333-3333-3333-333333333333'].sort());
  // The plan stored under the key of what was read: the next run hits it.
  const again = await compileRules([rules], { cacheDir: dir });
  assert.equal(again.cache, 'hit');
});

test('a damaged file manifest is reported and ignored: every rule file is read again', async (t) => {
  const dir = tempDir(t);
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  await compileRules([rules], { cacheDir: dir, now: later });
  const manifest = join(dir, readdirSync(dir).find((x) => x.startsWith('files-'))!);
  const b = readFileSync(manifest);
  b[b.length - 10] ^= 0x55;
  writeFileSync(manifest, b);
  const notes: string[] = [];
  const r = await compileRules([rules], { cacheDir: dir, now: later, onNote: (l) => notes.push(l) });
  assert.equal(r.cache, 'hit');
  assert.equal(r.read, readdirSync(rules).length);
  assert.ok(notes.some((l) => l.includes(manifest) && /checksum mismatch/.test(l)), notes.join(' | '));
});

/** A rule folder with the example Sigma rules and the test Elastic rules (see helpers/elastic-rule-files.ts). */
function mixedRules(t: TestContext): string {
  const rules = tempDir(t);
  cpSync(join(EXAMPLES, 'rules'), rules, { recursive: true });
  writeElasticRules(rules);
  return rules;
}

/** The loaded and skipped rules of a runner on `rules` (what a scan reports of them). */
function runnerView(rules: Rule[]): { loaded: string[]; skipped: string[][] } {
  const r = new ElasticRunner(rules, () => undefined, () => undefined);
  return { loaded: r.loaded.map((x) => x.id), skipped: r.skipped.map((s) => [s.rule.id, s.reason, s.message]) };
}

test('cached Elastic rules equal freshly loaded ones (as a scan keeps them), cold and warm, with the same problems and runner', async (t) => {
  const rules = mixedRules(t);
  const dir = tempDir(t);
  const fresh = loadRules([rules]);
  const expected = fresh.elastic.map((r) => scanElasticRule(structuredClone(r)));
  assert.deepEqual(expected.map((r) => r.id).sort(), ['bad-eql', 'eql-seq', KQL_RULE_ID, 'th-rule']);
  assert.ok(expected.every((r) => r.description === undefined && r.note === undefined && r.query), 'trimmed, query kept');
  const cold = await compileRules([rules], { cacheDir: dir });
  const warm = await compileRules([rules], { cacheDir: dir });
  assert.deepEqual([cold.cache, warm.cache], ['built', 'hit']);
  assert.deepEqual(cold.ruleSet.elastic, expected);
  assert.deepEqual(warm.ruleSet.elastic, expected);
  assert.ok(fresh.problems.some((p) => p.file.endsWith('broken.toml')), 'the broken file is a problem');
  assert.deepEqual(cold.ruleSet.problems, fresh.problems);
  assert.deepEqual(warm.ruleSet.problems, fresh.problems);
  assert.deepEqual(runnerView(warm.ruleSet.elastic), runnerView(fresh.elastic));
  assert.deepEqual(runnerView(warm.ruleSet.elastic).skipped.map((s) => s[1]), ['eql-unsupported']);
});

/** Freezes an object and everything it holds (a change to it then throws: these modules are strict). */
function deepFreeze(v: unknown): void {
  if (v === null || typeof v !== 'object' || Object.isFrozen(v)) return;
  Object.freeze(v);
  for (const x of Object.values(v)) deepFreeze(x);
}

test('the Windows Elastic corpus from the cache: the rules freshly loaded, each EQL query stored parsed, the same rules loaded and skipped by the runner', async (t) => {
  const shared = requireShared(t, 'the Elastic rules');
  if (!shared) return;
  const rules = [join(shared, 'corpora', 'elastic', 'rules', 'windows')];
  const dir = tempDir(t);
  const fresh = loadRules(rules);
  await compileRules(rules, { cacheDir: dir });
  const warm = await compileRules(rules, { cacheDir: dir });
  assert.equal(warm.cache, 'hit');
  assert.ok(fresh.elastic.length > 400, `${fresh.elastic.length} rules`);
  assert.deepEqual(warm.ruleSet.elastic, fresh.elastic.map((r) => scanElasticRule(structuredClone(r))));
  assert.deepEqual(warm.ruleSet.problems, fresh.problems);
  // Each EQL query that parses comes parsed from the plan, before any runner asked for it, equal to its text parsed again.
  let stored = 0;
  for (const rule of warm.ruleSet.elastic.filter((r) => r.language === 'eql' && r.query?.trim())) {
    const again = parseEql(rule.query!);
    assert.equal(hasRuleQuery(rule), again.ok, rule.id);
    if (!again.ok) continue;
    stored++;
    assert.deepEqual(ruleQuery(rule, parseEql), again, rule.id);
    deepFreeze(ruleQuery(rule, parseEql));
  }
  assert.ok(stored > 300, `${stored} stored queries`);
  // The runner compiles every rule from the frozen trees: it changes none of them, as threads and later runners share them.
  assert.deepEqual(runnerView(warm.ruleSet.elastic), runnerView(fresh.elastic));
});

test('a stored query that is not its rule\'s text is not used: the rule parses its own query', async (t) => {
  const rules = [mixedRules(t)];
  const events = [ELASTIC_EVENTS];
  const off = await run(rules, events, undefined);
  assert.ok(off.alerts.some((a) => a.rule.id === 'eql-seq'), 'the sequence fires');
  const { dir } = await forgedPlanFile(t, rules, (s) => {
    const ids = (s.get('rules') as { json: { elastic: Rule[] } }).json.elastic.map((r) => r.id);
    const queries = (s.get('eql') as { json: unknown[] }).json;
    const seq = ids.indexOf('eql-seq');
    const bad = ids.indexOf('bad-eql');
    assert.ok(queries[seq] && queries[bad], 'both EQL queries stored');
    [queries[seq], queries[bad]] = [queries[bad], queries[seq]];
  });
  const warm = await compileRules(rules, { cacheDir: dir });
  assert.equal(warm.cache, 'hit');
  const seq = warm.ruleSet.elastic.find((r) => r.id === 'eql-seq')!;
  assert.equal(hasRuleQuery(seq), false);
  assert.deepEqual(ruleQuery(seq, parseEql), parseEql(seq.query!));
  const r = await run(rules, events, dir);
  assert.equal(r.cache, 'hit');
  assert.deepEqual(r.alerts, off.alerts);
});

test('changing an Elastic rule file invalidates the plan: that file alone is parsed again and its new content used; its old content hits again', async (t) => {
  const rules = mixedRules(t);
  const dir = tempDir(t);
  const first = await compileRules([rules], { cacheDir: dir });
  assert.equal(first.parsed, readdirSync(rules).length);
  const file = join(rules, KQL_RULE_FILE);
  const original = readFileSync(file, 'utf8');
  writeFileSync(file, kqlRuleToml('Changed Elastic Title'));
  const changed = await compileRules([rules], { cacheDir: dir });
  assert.equal(changed.cache, 'built');
  assert.equal(changed.parsed, 1);
  assert.equal(changed.ruleSet.elastic.find((r) => r.id === KQL_RULE_ID)?.title, 'Changed Elastic Title');
  const alerts = await run([rules], [ELASTIC_EVENTS], dir);
  assert.equal(alerts.cache, 'hit');
  assert.deepEqual(alerts.alerts.filter((a) => a.rule.id === KQL_RULE_ID).map((a) => a.rule.title), ['Changed Elastic Title']);
  writeFileSync(file, original);
  const back = await compileRules([rules], { cacheDir: dir });
  assert.equal(back.cache, 'hit');
  assert.equal(back.ruleSet.elastic.find((r) => r.id === KQL_RULE_ID)?.title, 'WMI child PowerShell');
});

test('a forged plan file with bad Elastic rules is refused; a computed test stays refused in Sigma rules', async (t) => {
  const rules = [mixedRules(t)];
  const events = [ELASTIC_EVENTS, join(EXAMPLES, 'events')];
  const off = await run(rules, events, undefined);
  assert.ok(off.alerts.some((a) => a.rule.source === 'elastic'));
  type Json = { json: { elastic: Array<Record<string, unknown> & { extra: Record<string, unknown> }>; detections: Array<{ detection: unknown }> } };
  const elastic = (s: Map<string, unknown>, id: string): Json['json']['elastic'][number] => (s.get('rules') as Json).json.elastic.find((r) => r.id === id)!;
  const forgeries: Array<[string, (s: Map<string, unknown>) => void, RegExp]> = [
    ['a sequence stage run a billion times', (s) => {
      (elastic(s, 'eql-seq').sequence as { stages: Array<{ runs?: number }> }).stages[0].runs = 1e9;
    }, /bad sequence stage/],
    ['index patterns that are no list', (s) => {
      elastic(s, KQL_RULE_ID).extra.index = 'logs-*';
    }, /bad Elastic rule settings/],
    ['a rule of another vendor among the Elastic rules', (s) => {
      elastic(s, KQL_RULE_ID).vendor = 'sigma';
    }, /bad Elastic rule\)/],
    ['no Elastic rule list', (s) => {
      delete (s.get('rules') as { json: Record<string, unknown> }).json.elastic;
    }, /bad Elastic rule list/],
    ['a computed test in a Sigma rule', (s) => {
      (s.get('rules') as Json).json.detections[0].detection = { kind: 'computed', name: null, value: { kind: 'literal', value: 1 }, op: 'eq', values: [1], flags: {} };
    }, /bad detection kind/],
  ];
  await assertForgeriesRefused(t, rules, events, off.alerts, forgeries);
});

test('a forged parsed-rules store with a bad Elastic entry is ignored: every file is parsed again', async (t) => {
  const rules = mixedRules(t);
  const dir = tempDir(t);
  const first = await compileRules([rules], { cacheDir: dir });
  const store = join(dir, readdirSync(dir).find((n) => n.startsWith('parsed-'))!);
  const sections = decodeContainer(new Uint8Array(readFileSync(store)), 'parsed-rules', codeVersion()) as Map<string, { json: Array<[string, { rules: Array<Record<string, unknown>> }]> }>;
  const entries = sections.get('elastic')!.json;
  assert.equal(entries.length, 5, 'one entry per Elastic file');
  entries.find((e) => e[1].rules.length)![1].rules[0].tags = 'OS: Windows';
  writeFileSync(store, encodeContainer('parsed-rules', codeVersion(), sections as Parameters<typeof encodeContainer>[2]));
  // A changed rule set misses the plan and falls back to the store.
  writeFileSync(join(rules, KQL_RULE_FILE), kqlRuleToml('Another Title'));
  const notes: string[] = [];
  const r = await compileRules([rules], { cacheDir: dir, onNote: (l) => notes.push(l) });
  assert.equal(r.parsed, first.parsed);
  assert.ok(notes.some((l) => l.includes(store) && /bad Elastic rule/.test(l)), notes.join(' | '));
});

test('two threads with Elastic rules: the worker never matches with a stale or forged plan', { timeout: 120_000 }, async (t) => {
  const rules = mixedRules(t);
  const work = tempDir(t);
  const copy = join(work, 'copy.jsonl');
  cpSync(ELASTIC_EVENTS, copy);
  // Two tasks: with workersFirst the worker scans the first, this thread the second.
  const events = [ELASTIC_EVENTS, copy];
  const kqlTitles = (r: { alerts: Alert[] }): string[] => r.alerts.filter((a) => a.rule.id === KQL_RULE_ID).map((a) => a.rule.title);
  const off = await run([rules], events, undefined, 1);
  assert.deepEqual(kqlTitles(off), ['WMI child PowerShell', 'WMI child PowerShell']);
  const dir = tempDir(t);
  await run([rules], events, dir, 2);
  const warm = await run([rules], events, dir, 2);
  assert.equal(warm.cache, 'hit');
  assert.deepEqual(warm.alerts, off.alerts);
  // A changed rule file: the plan is built again and both threads match with the new rule.
  writeFileSync(join(rules, KQL_RULE_FILE), kqlRuleToml('Changed Elastic Title'));
  const changed = await run([rules], events, dir, 2);
  assert.equal(changed.cache, 'built');
  assert.deepEqual(kqlTitles(changed), ['Changed Elastic Title', 'Changed Elastic Title']);
  assert.deepEqual(kqlTitles(await run([rules], events, dir, 2)), ['Changed Elastic Title', 'Changed Elastic Title']);
  // A forged plan (sent to the worker before it is checked): refused, the worker gets the rebuilt one.
  const fresh = await run([rules], events, undefined, 1);
  // Its KQL rule sound but for its title (a worker matching with it would show it), another rule's index patterns of a bad type.
  const { dir: forgedDir } = await forgedPlanFile(t, [rules], (s) => {
    const json = (s.get('rules') as { json: { elastic: Array<{ id: string; title: string; extra: Record<string, unknown> }> } }).json;
    json.elastic.find((r) => r.id === KQL_RULE_ID)!.title = 'Forged';
    json.elastic.find((r) => r.id === 'th-rule')!.extra.index = 'logs-*';
  });
  const forged = await run([rules], events, forgedDir, 2);
  assert.equal(forged.cache, 'built');
  assert.deepEqual(forged.alerts, fresh.alerts);
  // A stage repeated a billion times: the worker checks the rules it compiles before the main thread has (no unbounded list).
  const { dir: runsDir } = await forgedPlanFile(t, [rules], (s) => {
    const json = (s.get('rules') as { json: { elastic: Array<{ id: string; sequence?: { stages: Array<{ runs?: number }> } }> } }).json;
    json.elastic.find((r) => r.id === 'eql-seq')!.sequence!.stages[0].runs = 1e9;
  });
  const runs = await run([rules], events, runsDir, 2);
  assert.equal(runs.cache, 'built');
  assert.deepEqual(runs.alerts, fresh.alerts);
});
