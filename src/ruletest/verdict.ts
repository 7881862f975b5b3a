/**
 * A case's verdict on each engine, and whether the engines agree. Events are named by the data
 * file's label and their record id (else their time); an engine's count is its alerts of the rule
 * on the case's files.
 */
import type { CaseResult, EngineVerdict, EventRef, Expectation, TestCase } from './types.js';

/** Events listed in a message before "and N more". */
export const MAX_NAMED_EVENTS = 10;

export function eventName(e: EventRef): string {
  if (e.record_id !== null) return `${e.label}#${e.record_id}`;
  return `${e.label}@${e.timestamp ?? '(no time)'}${e.event_id !== null ? ` event ${e.event_id}` : ''}`;
}

const eventKey = (e: EventRef): string => JSON.stringify([e.label, e.record_id, e.timestamp, e.event_id]);

/** Events named, the file once for its run of events: `a.evtx#1, #2, b.json#7` (at most MAX_NAMED_EVENTS). */
export function nameEvents(events: EventRef[]): string {
  let last: string | undefined;
  const shown = events.slice(0, MAX_NAMED_EVENTS).map((e) => {
    const full = eventName(e);
    const short = last === e.label ? full.slice(e.label.length) : full;
    last = e.label;
    return short;
  }).join(', ');
  return events.length > MAX_NAMED_EVENTS ? `${shown} and ${events.length - MAX_NAMED_EVENTS} more` : shown;
}

export function describeExpectation(x: Expectation): string {
  switch (x.kind) {
    case 'count':
      return `${x.n} match${x.n === 1 ? '' : 'es'}`;
    case 'recorded':
      return `>= ${x.n} (recorded)`;
    case 'fires':
      return 'fires';
    case 'all':
      return 'match: true';
    case 'none':
      return 'match: false';
  }
}

/** pass/fail of one engine's alerts (`events`) out of `total` events read. */
export function judge(engine: string, x: Expectation, events: EventRef[], total: number): EngineVerdict {
  const count = events.length;
  const fail = (why: string): EngineVerdict => ({ engine, status: 'fail', count, events, why });
  const listed = count ? `: ${nameEvents(events)}` : '';
  switch (x.kind) {
    case 'count':
      return count === x.n ? { engine, status: 'pass', count, events } : fail(`expected ${x.n} match${x.n === 1 ? '' : 'es'}, got ${count}${listed}`);
    case 'recorded':
      if (count < x.n) return fail(`expected at least the ${x.n} match${x.n === 1 ? '' : 'es'} info.yml records, got ${count}${listed}`);
      return count === x.n ? { engine, status: 'pass', count, events } : { engine, status: 'pass', count, events, note: `${count} matches where info.yml records ${x.n}${listed}` };
    case 'fires':
      return count > 0 ? { engine, status: 'pass', count, events } : fail(`expected the rule to fire, it did not (${total} events read)`);
    case 'all':
      if (total === 0) return fail('match: true, but the case has no events');
      return count === total ? { engine, status: 'pass', count, events } : fail(`match: true, but only ${count} of ${total} events matched${listed}`);
    case 'none':
      return count === 0 ? { engine, status: 'pass', count, events } : fail(`match: false, but ${count} of ${total} events matched${listed}`);
  }
}

/** Differences between the events of the engines that ran: one line per event not given alike. */
export function disagreements(verdicts: EngineVerdict[]): string[] {
  const ran = verdicts.filter((v): v is Extract<EngineVerdict, { events: EventRef[] }> => v.status === 'pass' || v.status === 'fail');
  if (ran.length < 2) return [];
  const counts = ran.map((v) => {
    const m = new Map<string, { e: EventRef; n: number }>();
    for (const e of v.events) {
      const k = eventKey(e);
      const c = m.get(k);
      if (c) c.n++;
      else m.set(k, { e, n: 1 });
    }
    return m;
  });
  const all = new Map<string, EventRef>();
  for (const m of counts) for (const [k, { e }] of m) all.set(k, e);
  const out: string[] = [];
  for (const [k, e] of all) {
    const per = counts.map((m) => m.get(k)?.n ?? 0);
    if (per.every((n) => n === per[0])) continue;
    out.push(`${eventName(e)}: ${ran.map((v, i) => `${v.engine} ${per[i]}`).join(', ')}`);
  }
  return out;
}

export function caseResult(c: TestCase, rule: { title: string; path: string }, verdicts: EngineVerdict[]): CaseResult {
  const disagreement = disagreements(verdicts);
  const failed = disagreement.length > 0 || verdicts.some((v) => v.status === 'fail' || v.status === 'error');
  const result = failed ? 'fail' : verdicts.some((v) => v.status === 'skip') ? 'skip' : 'pass';
  return { case: c, ruleTitle: rule.title, rulePath: rule.path, verdicts, disagreement, result };
}
