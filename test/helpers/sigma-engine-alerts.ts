/**
 * The engine side of the Sigma hunt differentials (DuckDB and ClickHouse): the compiled matcher over
 * every event of the input files, each file content once (a store keeps one copy of same-content
 * files), alerts counted by (rule, file content hash, record id, timestamp, event id).
 */
import { Matcher } from '../../src/engine/matcher.js';
import type { RuleSet } from '../../src/engine/rules.js';
import { flattenEvent } from '../../src/events/normalize.js';
import { listEventFiles, readEventFile } from '../../src/events/read.js';
import { fileHash } from '../../src/store/duckdb/ingest.js';

export type AlertEvent = { record_id: number | null; timestamp: string | null; event_id: number | null };
export const alertKey = (rule: string, hash: string, e: AlertEvent): string => [rule, hash, e.record_id, e.timestamp, e.event_id].join('\t');

/** The engine's alerts over `inputs`; `hashes` receives every file's content hash. */
export async function engineAlerts(rules: RuleSet, inputs: string[], hashes: Map<string, string>): Promise<{ alerts: Map<string, number>; matcher: Matcher }> {
  const alerts = new Map<string, number>();
  const seen = new Set<string>();
  const matcher = new Matcher(rules.detections);
  const { files } = listEventFiles(inputs, () => {});
  for (const f of files) {
    const h = await fileHash(f);
    hashes.set(f, h);
    if (seen.has(h)) continue;
    seen.add(h);
    for await (const batch of readEventFile(f, () => {})) {
      for (const rec of batch) {
        const ev = flattenEvent(rec);
        for (const m of matcher.match(ev)) {
          const k = alertKey(m.rule.id, h, { record_id: rec.recordId ?? null, timestamp: rec.timestamp ?? null, event_id: Number.isSafeInteger(ev.eventId) ? ev.eventId : null });
          alerts.set(k, (alerts.get(k) ?? 0) + 1);
        }
      }
    }
  }
  return { alerts, matcher };
}
