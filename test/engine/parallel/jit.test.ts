/** Multi-thread scans set V8's tiering flags (see src/engine/parallel/jit.ts). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

/**
 * Runs a small function 600 times in a child process, after setJitFlags(SCAN_JIT_FLAGS) or not:
 * whether V8 marked it for optimisation (--trace-opt) and whether it ran baseline code after its
 * first call. Node 20: V8's default budget marks it after about 300 calls, 4x the budget after about 1,100.
 */
function tiering(set: boolean): { marked: boolean; baselineAtOnce: boolean } {
  const jit = new URL('../../../src/engine/parallel/jit.js', import.meta.url).href;
  const script = `import { setJitFlags, SCAN_JIT_FLAGS } from ${JSON.stringify(jit)};
if (${set}) setJitFlags(SCAN_JIT_FLAGS);
function hotOne(x) { let s = 0; for (let i = 0; i < 8; i++) s += (i * x) | 0; return s; }
let t = hotOne(1);
const baselineAtOnce = eval('%ActiveTierIsSparkplug(hotOne)');
for (let i = 0; i < 600; i++) t += hotOne(i);
console.log(JSON.stringify({ baselineAtOnce, t }));`;
  const r = spawnSync(process.execPath, ['--trace-opt', '--allow-natives-syntax', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  // The script's line, wherever it falls: V8's concurrent compiler may trace after it (a loaded machine).
  const line = r.stdout.split('\n').find((l) => l.startsWith('{"baselineAtOnce"'));
  assert.ok(line, `no result line in: ${r.stdout.slice(-500)}`);
  return { marked: /marking .*hotOne/.test(r.stdout), baselineAtOnce: (JSON.parse(line) as { baselineAtOnce: boolean }).baselineAtOnce };
}

test('setJitFlags delays optimisation and gives baseline code at once', () => {
  assert.deepEqual(tiering(false), { marked: true, baselineAtOnce: false }, 'control: V8 default tiering');
  assert.deepEqual(tiering(true), { marked: false, baselineAtOnce: true });
});

/**
 * In a child process: optionally a scan (threads 1 or 2, over two small event files), then a hot
 * function calling a small one; whether TurboFan inlined the small one (--trace-turbo-inlining).
 */
function inlined(before: string): boolean {
  const src = (p: string): string => JSON.stringify(new URL(`../../../src/${p}`, import.meta.url).href);
  const examples = new URL('../../../../examples/', import.meta.url);
  const script = `import { setJitFlags, MULTI_THREAD_INLINING_FLAGS } from ${src('engine/parallel/jit.js')};
import { scan } from ${src('engine/scan.js')};
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
const examples = fileURLToPath(${JSON.stringify(examples.href)});
const scanOn = async (threads) => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-jit-'));
  try {
    const events = join(examples, 'events', 'workstation.jsonl');
    copyFileSync(events, join(dir, 'copy.jsonl'));
    const s = await scan({ rulePaths: [join(examples, 'rules')], eventPaths: [events, join(dir, 'copy.jsonl')], threads, onAlert: () => undefined, onProblem: () => undefined });
    if (s.threads !== threads) throw new Error('threads ' + s.threads);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
${before}
function probeCallee(x) { return (x * 3) | 0; }
function probeCaller(x) { let s = 0; for (let i = 0; i < 50; i++) s += probeCallee(i + x); return s; }
let t = 0;
for (let i = 0; i < 20000; i++) t += probeCaller(i);
console.log(JSON.stringify({ t }));`;
  const r = spawnSync(process.execPath, ['--trace-turbo-inlining', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes('{"t":'), `no result line in: ${r.stdout.slice(-500)}`);
  return /Inlining .*probeCallee.* into .*probeCaller/.test(r.stdout);
}

test('multi-thread scans compile without inlining; one-thread scans keep it', () => {
  assert.equal(inlined(''), true, 'control: V8 inlines the small function');
  assert.equal(inlined('setJitFlags(MULTI_THREAD_INLINING_FLAGS);'), false);
  assert.equal(inlined('await scanOn(1);'), true);
  assert.equal(inlined('await scanOn(2);'), false);
});
