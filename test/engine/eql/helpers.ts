/** Small helpers for EQL engine tests: events at given seconds, and a query's matched ids. */
import assert from 'node:assert/strict';
import { compileEql } from '../../../src/engine/eql/analyze.js';
import type { AnalyzeOptions } from '../../../src/engine/eql/analyze.js';
import { runEql } from '../../../src/engine/eql/execute.js';
import type { EqlEvent, QueryPlan } from '../../../src/engine/eql/plan.js';

/** An ECS-shaped event: category, id, time in seconds, and any other fields (dotted names ok). */
export function ev(seq: number, category: string, seconds: number, fields: Record<string, unknown> = {}): EqlEvent {
  return { doc: { event: { category: [category] }, id: seq, ...fields }, ts: seconds * 1000, seq };
}

export function plan(query: string, options: AnalyzeOptions = {}): QueryPlan {
  const r = compileEql(query, options);
  if (!r.ok) assert.fail(`${r.error.line}:${r.error.column}: ${r.error.message}`);
  return r.plan;
}

/** The ids of every match, one array per match. */
export function ids(query: string, events: EqlEvent[]): number[][] {
  return runEql(plan(query), events).map((m) => m.events.map((e) => Number(e.doc.id)));
}

export function errorOf(query: string): string {
  const r = compileEql(query);
  assert.equal(r.ok, false, `expected an error for ${query}`);
  return r.ok ? '' : `${r.error.line}:${r.error.column}: ${r.error.message}`;
}
