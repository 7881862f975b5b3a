/**
 * The rule cache: a warm start gives the same rules and alerts as a cold one; a changed rule file
 * is parsed again (and only it); a damaged, truncated or forged cache file is refused and rebuilt.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../../src/engine/scan.js';
import type { Alert } from '../../../src/engine/alert.js';
import { compileRules, PLAN_KIND } from '../../../src/engine/cache/rule-cache.js';
import { decodeContainer, encodeContainer } from '../../../src/engine/cache/container.js';
import { EXAMPLES } from '../../helpers/cli.js';
import { requireShared } from '../../helpers/shared.js';

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
  for (const [what, forge, reason] of forgeries) {
    const { file, dir } = await forgedPlanFile(t, rules, forge);
    const r = await run(rules, events, dir);
    assert.equal(r.cache, 'built', what);
    assert.ok(r.problems.some((l) => l.includes(file) && reason.test(l)), `${what}: ${r.problems.join(' | ')}`);
    assert.deepEqual(r.alerts, off.alerts, what);
  }
});

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
