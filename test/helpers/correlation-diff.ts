/** A correlation rule file run by `scan` and by `hunt` over a DuckDB store of the same events: the alerts of both. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scan } from '../../src/engine/scan.js';
import { loadRules } from '../../src/engine/rules.js';
import type { Alert } from '../../src/engine/alert.js';
import { openDb } from '../../src/store/db.js';
import { ingest } from '../../src/store/duckdb/ingest.js';
import { hunt } from '../../src/store/duckdb/hunt.js';

export interface BothAlerts {
  scan: Alert[];
  hunt: Alert[];
  /** "reason: message" of every rule hunt skipped. */
  skipped: string[];
}

/** Scan's and hunt's alerts for these rule paths over these event paths (one DuckDB store in memory). */
export async function scanAndHunt(rulePaths: string[], eventPaths: string[], opts: { minLevel?: string } = {}): Promise<BothAlerts> {
  const s: Alert[] = [];
  await scan({ rulePaths, eventPaths, minLevel: opts.minLevel, onAlert: (a) => s.push(a), onProblem: () => {} });
  const db = await openDb(':memory:');
  const h: Alert[] = [];
  const skipped: string[] = [];
  try {
    await ingest(db.conn, eventPaths);
    await hunt(db.conn, loadRules(rulePaths), { minLevel: opts.minLevel, onAlert: (a) => h.push(a), onSkip: (r, reason, message) => skipped.push(`${r.title}: ${reason}: ${message}`) });
  } finally {
    db.close();
  }
  return { scan: s, hunt: h, skipped };
}

/** The same for rule and event texts written to a temporary folder. */
export async function scanAndHuntText(rules: string, events: string[], opts: { minLevel?: string } = {}): Promise<BothAlerts> {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-corrsql-'));
  try {
    writeFileSync(join(dir, 'rules.yml'), rules);
    writeFileSync(join(dir, 'events.jsonl'), events.join('\n') + '\n');
    return await scanAndHunt([join(dir, 'rules.yml')], [join(dir, 'events.jsonl')], opts);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Correlation alerts as sorted JSON lines (order between groups is not part of the contract). */
export function correlationLines(alerts: Alert[]): string[] {
  return alerts.filter((a) => a.rule.type === 'correlation').map((a) => JSON.stringify(canonical(a))).sort();
}

/** Detection alerts as sorted "rule#record" keys. */
export function detectionKeys(alerts: Alert[]): string[] {
  return alerts.filter((a) => a.rule.type !== 'correlation').map((a) => `${a.rule.id}#${a.event.file}#${a.event.record_id}`).sort();
}

function canonical(a: Alert): unknown {
  const { recovered: _r, partial: _p, ...event } = a.event;
  return { rule: a.rule, event, techniques: a.techniques, matched: a.matched, correlation: a.correlation };
}
