/**
 * Support of the semantic conversion check: the events of the Sigma regression data and of
 * EVTX-ATTACK-SAMPLES read once, and the set of events each rule fires on, through the scan's own
 * engines (the Sigma matcher on flattened events, the Elastic runner on ECS documents).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Matcher } from '../../src/engine/matcher.js';
import { ElasticRunner } from '../../src/engine/elastic/runner.js';
import type { Alert } from '../../src/engine/alert.js';
import { flattenEvent } from '../../src/events/normalize.js';
import { readEventFile } from '../../src/events/read.js';
import { NOTICE_REASONS, type EventRecord } from '../../src/events/types.js';
import type { Detection, Rule } from '../../src/model/index.js';
import { walkPredicates } from '../../src/model/index.js';
import { toEcs } from '../../src/engine/eql/ecs-source.js';
import { getField } from '../../src/engine/eql/values.js';
import { walkFiles } from '../../src/util/walk-files.js';
import { regressionCases } from '../support/regression.js';

export interface Events {
  records: EventRecord[];
  /** One key per record (file and position). */
  keys: string[];
}

export async function readSemanticEvents(shared: string): Promise<Events> {
  const files = new Set<string>();
  for (const c of regressionCases(shared)) {
    const f = c.evtx ?? c.json;
    if (f) files.add(f);
  }
  const root = join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES');
  if (existsSync(root)) for (const f of walkFiles(root, (n) => n.endsWith('.evtx'), () => undefined)) files.add(f);
  const records: EventRecord[] = [];
  const keys: string[] = [];
  for (const f of [...files].sort()) {
    let i = 0;
    for await (const batch of readEventFile(f, (p) => {
      if (!NOTICE_REASONS.has(p.reason)) throw new Error(`${p.file}: ${p.message}`);
    })) {
      for (const r of batch) {
        records.push(r);
        keys.push(`${f.slice(shared.length + 1)}#${i++}`);
      }
    }
  }
  return { records, keys };
}

/** rule id -> indexes of the events it fires on. */
export type Fired = Map<string, Set<number>>;

const add = (m: Fired, id: string, i: number): void => {
  let s = m.get(id);
  if (!s) m.set(id, (s = new Set()));
  s.add(i);
};

export function sigmaFired(rules: Rule[], events: Events): { fired: Fired; matcher: Matcher } {
  const matcher = new Matcher(rules);
  const fired: Fired = new Map();
  events.records.forEach((r, i) => {
    for (const m of matcher.match(flattenEvent(r))) add(fired, m.rule.id, i);
  });
  return { fired, matcher };
}

export function elasticFired(rules: Rule[], events: Events): { fired: Fired; runner: ElasticRunner; problems: string[] } {
  const fired: Fired = new Map();
  const problems: string[] = [];
  let current = -1;
  const runner = new ElasticRunner(rules, (a: Alert) => add(fired, a.rule.id, current), (p) => problems.push(`${p.file}: ${p.message}`), undefined, { index: false });
  events.records.forEach((r, i) => {
    current = i;
    runner.push(r);
  });
  runner.finish();
  return { fired, runner, problems };
}

/** Fields of the positive predicates of a tree (the tests an event must pass by having the field). */
export function positiveFields(d: Detection | undefined): string[] {
  const out = new Set<string>();
  if (d) walkPredicates(d, (p, _path, negated) => {
    if (!negated && p.field !== null && !(p.op === 'exists' && p.values[0] === false)) out.add(p.field.replace(/^\?/, ''));
  });
  return [...out];
}

/**
 * Why a converted rule and its original disagree on one event: the fields the converted rule tests
 * that its engine's view of the event does not have, else that both engines see the fields and
 * compare them differently.
 */
export function reasonFor(direction: string, fields: string[], has: (f: string) => boolean): string {
  const missing = fields.filter((f) => !has(f)).sort();
  return missing.length ? `${direction}: the event as the converted rule's engine sees it lacks ${missing.slice(0, 4).join(', ')}${missing.length > 4 ? ', ...' : ''}` : `${direction}: every field tested is present; the values compare differently`;
}

export const ecsHas = (rec: EventRecord) => {
  const doc = toEcs(rec);
  return (f: string): boolean => getField(doc, f.split('.')) !== null;
};

export const flatHas = (rec: EventRecord) => {
  const fields = flattenEvent(rec).fields;
  return (f: string): boolean => fields[f] !== undefined && fields[f] !== null;
};
