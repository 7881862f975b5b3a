/**
 * Shared pieces of the two EQL conformance suites: the endgame events (test_data.json, timestamps in
 * Windows FILETIME), run in Elasticsearch's order (timestamp, then serial_event_id as tiebreaker),
 * and running one query to the ids it returns.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { compileEql } from '../../../src/engine/eql/analyze.js';
import type { AnalyzeOptions } from '../../../src/engine/eql/analyze.js';
import { runEql } from '../../../src/engine/eql/execute.js';
import type { EqlEvent } from '../../../src/engine/eql/plan.js';
import type { EventShape } from '../../../src/engine/eql/stage.js';

export interface ConformanceQuery {
  name?: string;
  query: string;
  expected_event_ids?: number[] | number[][];
  join_keys?: unknown[];
  /** Run with Elasticsearch 7.10's case_sensitive: false (see Dialect.caseInsensitive). */
  case_insensitive?: boolean;
  /** Run case-sensitively (Python EQL's case-sensitive mode). */
  case_sensitive?: boolean;
}

/** The run mode a query asks for (its case_insensitive / case_sensitive flag). */
export function caseMode(q: ConformanceQuery): boolean | undefined {
  if (q.case_insensitive === true) return true;
  if (q.case_sensitive === true) return false;
  return undefined;
}

export function loadQueries(shared: string, suite: string): ConformanceQuery[] {
  const doc = parseToml(readFileSync(join(shared, 'conformance', suite), 'utf8')) as { queries?: ConformanceQuery[] };
  return doc.queries ?? [];
}

const FILETIME_EPOCH_MS = 11644473600000;

/** The endgame events in Elasticsearch's search order. */
export function loadEndgameEvents(shared: string): EqlEvent[] {
  const docs = JSON.parse(readFileSync(join(shared, 'conformance', 'eql-python', 'test_data.json'), 'utf8')) as Record<string, unknown>[];
  const events = docs.map((doc) => ({ doc, ts: Number(doc.timestamp) / 10000 - FILETIME_EPOCH_MS, seq: Number(doc.serial_event_id) }));
  events.sort((a, b) => a.ts - b.ts || a.seq - b.seq);
  return events;
}

export const ENDGAME_SHAPE: EventShape = { categoryPath: ['event_type'] };

export type Outcome = { ok: true; ids: number[] } | { ok: false; error: string };

export function runQuery(text: string, events: EqlEvent[], idField: string, options: AnalyzeOptions = {}, shape = ENDGAME_SHAPE): Outcome {
  const compiled = compileEql(text, options);
  if (!compiled.ok) return { ok: false, error: `${compiled.error.line}:${compiled.error.column}: ${compiled.error.message}` };
  const matches = runEql(compiled.plan, events, { shape });
  return { ok: true, ids: matches.flatMap((m) => m.events.map((e) => Number(e.doc[idField]))) };
}

/** Expected ids: one list, or (test_sample.toml) a list of acceptable alternatives. */
export function expectedAlternatives(q: ConformanceQuery): number[][] {
  const x = q.expected_event_ids ?? [];
  if (x.length > 0 && Array.isArray(x[0])) return x as number[][];
  return [x as number[]];
}

export const sameIds = (a: number[], b: number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * The sample suite's events (sample1..3.data, in index order). Elasticsearch indexes them with
 * mappings that make `@timestamp_pretty` (dd-MM-yyyy in sample1, yyyy-MM-dd in sample2) and `date`
 * (epoch millis) date fields, so their join keys are epoch milliseconds: converted here the same way.
 */
export function loadSampleEvents(shared: string): EqlEvent[] {
  const files = ['sample1.data', 'sample2.data', 'sample3.data'];
  const docs = files.flatMap((f) => JSON.parse(readFileSync(join(shared, 'conformance', 'eql-elasticsearch', f), 'utf8')) as Record<string, unknown>[]);
  return docs.map((doc, seq) => ({ doc: asIndexed(doc), ts: Number.NaN, seq }));
}

function asIndexed(doc: Record<string, unknown>): Record<string, unknown> {
  const out = { ...doc };
  const pretty = doc['@timestamp_pretty'];
  if (typeof pretty === 'string') {
    const dmy = /^(\d{2})-(\d{2})-(\d{4})$/.exec(pretty);
    const ymd = /^(\d{4})-(\d{2})-(\d{2})$/.exec(pretty);
    if (dmy) out['@timestamp_pretty'] = Date.UTC(Number(dmy[3]), Number(dmy[2]) - 1, Number(dmy[1]));
    else if (ymd) out['@timestamp_pretty'] = Date.UTC(Number(ymd[1]), Number(ymd[2]) - 1, Number(ymd[3]));
  }
  if (typeof doc.date === 'string' && /^\d+$/.test(doc.date)) out.date = Number(doc.date);
  return out;
}

export const SAMPLE_SHAPE: EventShape = { categoryPath: ['event_type'] };
