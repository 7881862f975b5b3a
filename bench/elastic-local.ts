/**
 * The Elastic rules' per-event cost in a scan (issue 11's speed goal), measured in CPU time in this
 * process, so that a loaded machine disturbs it far less than the wall time of `scan-elastic`:
 * `ElasticRunner.local` (what every scan thread runs on each event: the ECS document, the rule
 * index, the stateless rules, the cut of the events the stateful rules read) over events read once
 * into memory, then `toEcs` alone (the document's share).
 * Pass 1 runs on a fresh isolate: its excess over the later passes is the warm-up (JIT tiering,
 * the module-level memos) that each worker thread of a scan pays again. Later passes build a new
 * runner each (its rule index and memos start cold; the JIT and the module memos are warm).
 * Input: DETECTORY_BENCH_INPUT (an .evtx file or folder; default EVTX-ATTACK-SAMPLES), the first
 * DETECTORY_BENCH_EVENTS events (default 20,000); DETECTORY_BENCH_ROUNDS passes (default 4).
 */
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { renderTable } from '../src/cli/output/table.js';
import { ElasticRunner } from '../src/engine/elastic/runner.js';
import { loadRules } from '../src/engine/rules.js';
import { toEcs } from '../src/events/ecs/index.js';
import { listEventFiles, readEventFile } from '../src/events/read.js';
import type { EventRecord } from '../src/events/types.js';
import { sharedForBench } from './scan.js';

const cpuMs = (f: () => void): number => {
  const start = process.cpuUsage();
  f();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

async function readEvents(paths: string[], max: number): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  const { files } = listEventFiles(paths, () => undefined);
  for (const file of files) {
    // Read as a scan reads them (the EVTX reader's decoded fields kept: toEcs builds from them).
    for await (const batch of readEventFile(file, () => undefined, undefined, false, true)) {
      for (const rec of batch) {
        out.push(rec);
        if (out.length >= max) return out;
      }
    }
  }
  return out;
}

export async function runElasticLocalBench(): Promise<void> {
  const shared = sharedForBench();
  const input = process.env.DETECTORY_BENCH_INPUT ?? join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES');
  const max = Number(process.env.DETECTORY_BENCH_EVENTS ?? 20_000);
  const passes = Math.max(2, Number(process.env.DETECTORY_BENCH_ROUNDS ?? 4));
  const rules = loadRules([join(shared, 'corpora', 'elastic', 'rules', 'windows')]).elastic;
  const events = await readEvents([input], max);
  const rows: Array<Array<string | number>> = [];
  for (let pass = 1; pass <= passes; pass++) {
    const load = loadavg()[0].toFixed(1);
    let runner: ElasticRunner | undefined;
    // As a scan worker builds it: the events for the stateful rules are cut (cutOrdered).
    const build = cpuMs(() => (runner = new ElasticRunner(rules, () => undefined, () => undefined, undefined, { cutOrdered: true })));
    let alerts = 0;
    let ordered = 0;
    const sink = (): void => {
      alerts++;
    };
    const local = cpuMs(() => {
      for (const rec of events) if (runner!.local(rec, sink)) ordered++;
    });
    const needs = runner!.needs;
    const docs = cpuMs(() => {
      for (const rec of events) toEcs(rec, needs);
    });
    rows.push([pass, runner!.size, events.length, alerts, ordered, Math.round(build), Math.round(local), ((local * 1000) / events.length).toFixed(1), Math.round(docs), load]);
  }
  process.stdout.write(`\nelastic-local: ${input}, Windows Elastic rules, ${events.length} events in memory, CPU ms in this process\n`);
  process.stdout.write(renderTable(['pass', 'rules', 'events', 'alerts', 'ordered', 'runner build ms', 'local ms', 'local us/event', 'toEcs ms', 'load avg'], rows));
}
