/**
 * EVTX decoding throughput: detectory's native reader (1 thread, and 2 worker threads) against
 * evtxexport (libevtx) on the same big file in the same run. The file is built once with
 * shared/tools/make-big-evtx.py and cached under .bench/ (DETECTORY_BENCH_EVTX_MB, default 1024).
 * Run: npm run build && DETECTORY_SHARED=../shared node dist/bench/evtx.js
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { closeDecoderPool, readEvtxFile } from '../src/events/evtx/index.js';
import { runParallel } from '../src/events/evtx/parallel.js';
import type { ChunkBatch } from '../src/events/evtx/reader.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface Row {
  name: string;
  seconds: number;
  cpu?: number;
  records: number;
}

function shared(): string {
  const dir = process.env.DETECTORY_SHARED ?? join(ROOT, '..', 'shared');
  if (!existsSync(dir)) throw new Error(`the EVTX benchmark needs the shared data: set DETECTORY_SHARED (tried ${dir})`);
  return resolve(dir);
}

/** The big EVTX file, built once per size. */
function bigFile(mb: number): string {
  const dir = join(ROOT, '.bench');
  mkdirSync(dir, { recursive: true });
  const out = join(dir, `big-${mb}mb.evtx`);
  if (existsSync(out) && statSync(out).size > 4096) return out;
  const tool = join(shared(), 'tools', 'make-big-evtx.py');
  const r = spawnSync('python3', [tool, out, '--mb', String(mb), '--src', join(shared(), 'evtx')], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`make-big-evtx.py failed (${r.status})`);
  process.stdout.write(`built ${out}: ${r.stdout.trim()}\n`);
  return out;
}

function cpuSeconds(c: NodeJS.CpuUsage): number {
  return (c.user + c.system) / 1e6;
}

async function detectory(file: string, threads: number): Promise<Row> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  let problems = 0;
  for await (const r of readEvtxFile(file, () => problems++, { threads })) if (r) records++;
  const seconds = (performance.now() - t0) / 1000;
  if (problems) process.stdout.write(`warning: ${problems} read problems\n`);
  return { name: `detectory decode, ${threads === 1 ? '1 thread' : `${threads} threads (main + ${threads - 1} worker)`}, records to caller`, seconds, cpu: cpuSeconds(process.cpuUsage(c0)), records };
}

/** Decode on workers, only counts come back: the decoding itself, without shipping records. */
async function detectoryCountOnly(file: string, threads: number): Promise<Row> {
  const fh = await open(file);
  const size = (await fh.stat()).size;
  async function* batches(): AsyncGenerator<ChunkBatch> {
    for (let off = 4096, first = 0; off < size; ) {
      const n = Math.min(16 * 65536, size - off);
      const buf = new Uint8Array(new ArrayBuffer(n));
      await fh.read(buf, 0, n, off);
      yield { buf, first, offset: off };
      off += n;
      first += Math.ceil(n / 65536);
    }
  }
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let records = 0;
  for await (const r of runParallel(batches(), file, Infinity, () => undefined, threads, {}, true)) records += r.count;
  const seconds = (performance.now() - t0) / 1000;
  await fh.close();
  return { name: `detectory decode, ${threads} threads (main + ${threads - 1} worker), decode only`, seconds, cpu: cpuSeconds(process.cpuUsage(c0)), records };
}

function evtxexport(file: string, records: number): Row | undefined {
  if (!existsSync('/usr/bin/evtxexport')) return undefined;
  const r = spawnSync('bash', ['-c', 'TIMEFORMAT="%R %U %S"; time evtxexport -f xml "$0" > /dev/null 2>&1', file], { encoding: 'utf8' });
  const m = /([\d.]+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (!m) return undefined;
  return { name: 'evtxexport -f xml > /dev/null (libevtx, 1 thread)', seconds: Number(m[1]), cpu: Number(m[2]) + Number(m[3]), records };
}

/** `detectory scan` of the file with every SigmaHQ rule (rules, emerging threats, threat hunting). */
function scanAllRules(file: string, threads: number): Row | undefined {
  const shared = process.env.DETECTORY_SHARED ?? resolve(fileURLToPath(import.meta.url), '../../../../shared');
  const sigma = resolve(shared, 'corpora', 'sigma');
  if (!existsSync(sigma)) return undefined;
  const bin = resolve(fileURLToPath(import.meta.url), '../../../bin/detectory.js');
  const args = [bin, 'scan', file, '--format', 'jsonl', '--out', '/dev/null', '--json', '--threads', String(threads),
    ...['rules', 'rules-emerging-threats', 'rules-threat-hunting'].flatMap((d) => ['--rules', resolve(sigma, d)])];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  const summary = JSON.parse(r.stderr.trim().split('\n').pop() ?? '{}') as { events?: number; seconds?: number; load_seconds?: number; rules_loaded?: number; alerts?: number };
  if (!summary.events || summary.seconds === undefined || summary.load_seconds === undefined) return undefined;
  return {
    name: `detectory scan, all ${summary.rules_loaded} Windows Sigma rules, ${threads} thread${threads > 1 ? 's' : ''} (${summary.alerts} alerts; rule loading ${summary.load_seconds}s not counted)`,
    seconds: summary.seconds - summary.load_seconds,
    records: summary.events,
  };
}

export async function runEvtxBench(): Promise<void> {
  const mb = Number(process.env.DETECTORY_BENCH_EVTX_MB ?? 1024);
  const file = bigFile(mb);
  const size = statSync(file).size;
  // Warm the page cache so that every row reads from memory.
  spawnSync('cat', [file], { stdio: ['ignore', 'ignore', 'ignore'] });
  const rows: Row[] = [];
  rows.push(await detectory(file, 1));
  rows.push(await detectory(file, 2));
  rows.push(await detectoryCountOnly(file, 2));
  await closeDecoderPool();
  for (const threads of [1, 2]) {
    const scanRow = scanAllRules(file, threads);
    if (scanRow) rows.push(scanRow);
  }
  const peer = evtxexport(file, rows[0].records);
  if (peer) rows.push(peer);
  const mbs = size / 1048576;
  const head = ['reader', 'seconds', 'CPU s', 'MB/s', 'records/s', 'x evtxexport'];
  const body = rows.map((r) => [
    r.name,
    r.seconds.toFixed(2),
    r.cpu === undefined ? '' : r.cpu.toFixed(2),
    (mbs / r.seconds).toFixed(1),
    Math.round(r.records / r.seconds).toString(),
    peer ? (peer.seconds / r.seconds).toFixed(2) : 'n/a',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  process.stdout.write(`file: ${file} (${mbs.toFixed(0)} MiB, ${rows[0].records} records); load average before: ${loadavg().map((x) => x.toFixed(2)).join(' ')}\n`);
  process.stdout.write(line(head) + '\n' + widths.map((w) => '-'.repeat(w)).join('  ') + '\n');
  for (const b of body) process.stdout.write(line(b) + '\n');
  if (!peer) process.stdout.write('evtxexport not installed: no peer row (apt-get install libevtx-utils)\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await runEvtxBench();
