/**
 * The scan side of the Elastic hunt differentials (DuckDB and ClickHouse): alert keys that name events
 * by file content (a store keeps one copy of same-content files) and the scan's Elastic runner over
 * every event of the files in order, each content once.
 */
import type { Alert } from '../../src/engine/alert.js';
import { ElasticRunner } from '../../src/engine/elastic/runner.js';
import { readEventFile } from '../../src/events/read.js';
import type { Rule } from '../../src/model/index.js';

export function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

/** (rule id, and per event of the alert: file content hash, record id), and the whole alert with files as hashes. */
export function alertKeys(hashes: ReadonlyMap<string, string>): { key: (a: Alert) => string; whole: (a: Alert) => string } {
  return {
    key: (a) => [a.rule.id, ...(a.events ?? [a.event]).map((e) => `${hashes.get(e.file) ?? e.file}#${e.record_id}`)].join('\t'),
    whole: (a) => JSON.stringify({ ...a, event: { ...a.event, file: hashes.get(a.event.file) }, ...(a.events ? { events: a.events.map((e) => ({ ...e, file: hashes.get(e.file) })) } : {}) }),
  };
}

/** Runs the scan's Elastic runner over `files` (each content once); alerts counted by key and by whole alert. */
export async function scanElastic(rules: Rule[], files: string[], hashes: ReadonlyMap<string, string>): Promise<{ alerts: Map<string, number>; whole: Map<string, number>; runner: ElasticRunner; problems: string[] }> {
  const { key, whole } = alertKeys(hashes);
  const alerts = new Map<string, number>();
  const wholes = new Map<string, number>();
  const problems: string[] = [];
  const runner = new ElasticRunner(rules, (a) => { bump(alerts, key(a)); bump(wholes, whole(a)); }, (p) => problems.push(p.message));
  const seen = new Set<string>();
  for (const f of files) {
    const h = hashes.get(f)!;
    if (seen.has(h)) continue;
    seen.add(h);
    for await (const batch of readEventFile(f, () => {})) for (const rec of batch) runner.push(rec);
  }
  runner.finish();
  return { alerts, whole: wholes, runner, problems };
}
