/** Verdicts: each expectation judged on counts, events named, engines compared. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disagreements, judge, MAX_NAMED_EVENTS, nameEvents } from '../../src/ruletest/verdict.js';
import type { EventRef } from '../../src/ruletest/types.js';

const ev = (record_id: number | null, label = 'a.evtx', timestamp: string | null = null): EventRef => ({ label, record_id, timestamp, event_id: 4688 });

test('count, fires, all, none', () => {
  assert.equal(judge('s', { kind: 'count', n: 2 }, [ev(1), ev(2)], 5).status, 'pass');
  assert.deepEqual(judge('s', { kind: 'count', n: 1 }, [ev(1), ev(2)], 5), { engine: 's', status: 'fail', count: 2, events: [ev(1), ev(2)], why: 'expected 1 match, got 2: a.evtx#1, #2' });
  assert.equal(judge('s', { kind: 'count', n: 0 }, [], 5).status, 'pass');
  assert.equal(judge('s', { kind: 'fires' }, [ev(1)], 5).status, 'pass');
  assert.equal(judge('s', { kind: 'fires' }, [], 5).status, 'fail');
  assert.equal(judge('s', { kind: 'all' }, [ev(1), ev(2)], 2).status, 'pass');
  assert.equal(judge('s', { kind: 'all' }, [ev(1)], 2).status, 'fail');
  assert.equal(judge('s', { kind: 'all' }, [], 0).status, 'fail', 'match: true over no events is no pass');
  assert.equal(judge('s', { kind: 'none' }, [], 2).status, 'pass');
  const none = judge('s', { kind: 'none' }, [ev(7, 'b.json')], 2);
  assert.equal(none.status === 'fail' && none.why, 'match: false, but 1 of 2 events matched: b.json#7');
});

test("recorded (SigmaHQ's match_count): fewer fails, equal passes, more passes with a note naming the events", () => {
  assert.deepEqual(judge('s', { kind: 'recorded', n: 2 }, [ev(1), ev(2)], 5), { engine: 's', status: 'pass', count: 2, events: [ev(1), ev(2)] });
  assert.deepEqual(judge('s', { kind: 'recorded', n: 2 }, [ev(1)], 5), { engine: 's', status: 'fail', count: 1, events: [ev(1)], why: 'expected at least the 2 matches info.yml records, got 1: a.evtx#1' });
  assert.equal(judge('s', { kind: 'recorded', n: 1 }, [], 5).status, 'fail');
  assert.deepEqual(judge('s', { kind: 'recorded', n: 1 }, [ev(1), ev(3)], 5), { engine: 's', status: 'pass', count: 2, events: [ev(1), ev(3)], note: '2 matches where info.yml records 1: a.evtx#1, #3' });
});

test('events are named by file and record id, else time; the list is bounded', () => {
  assert.equal(nameEvents([ev(1), ev(2), ev(3, 'b.json'), ev(null, 'b.json', '2024-01-01T00:00:00Z')]), 'a.evtx#1, #2, b.json#3, @2024-01-01T00:00:00Z event 4688');
  const many = Array.from({ length: MAX_NAMED_EVENTS + 3 }, (_, i) => ev(i));
  assert.match(nameEvents(many), / and 3 more$/);
});

test('disagreements: per event, the count on each engine that ran', () => {
  const d = disagreements([
    { engine: 'stream', status: 'pass', count: 2, events: [ev(1), ev(2)] },
    { engine: 'duckdb', status: 'fail', count: 1, events: [ev(1)] },
    { engine: 'clickhouse', status: 'error', message: 'down' },
  ]);
  assert.deepEqual(d, ['a.evtx#2: stream 1, duckdb 0']);
  assert.deepEqual(disagreements([{ engine: 'stream', status: 'pass', count: 1, events: [ev(1)] }, { engine: 'duckdb', status: 'skip', reason: 'x' }]), []);
  // Same record id in two files: two events, not one.
  assert.equal(disagreements([
    { engine: 'stream', status: 'pass', count: 2, events: [ev(1), ev(1, 'b.json')] },
    { engine: 'duckdb', status: 'pass', count: 2, events: [ev(1), ev(1)] },
  ]).length, 2);
});
