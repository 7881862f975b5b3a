/**
 * The matcher replays a field's previous scan when the next event of the bucket repeats its value
 * (and the keyword scan per position in the key list): a matcher that has seen a sequence of events
 * must give, for each, what a fresh matcher gives for that event alone.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Detection, pred, type Rule } from '../../src/model/index.js';
import { Matcher } from '../../src/engine/matcher.js';
import type { FlatEvent } from '../../src/events/normalize.js';

function rule(id: string, detection: Detection): Rule {
  return {
    id, title: id, vendor: 'sigma', path: `${id}.yml`, references: [], falsePositives: [], tags: [], techniques: [], tactics: [],
    logsource: { product: 'windows' }, type: 'x', language: 'x', fields: [], extra: {}, detection,
  };
}

const RULES: Rule[] = [
  rule('cmd', pred('CommandLine', 'contains', ['mimi'])),
  rule('user', pred('User', 'eq', ['admin'])),
  rule('keyword', pred(null, 'contains', ['secret'])),
  rule('image', { kind: 'and', children: [pred('Image', 'ends_with', ['\\evil.exe']), pred('CommandLine', 'contains', ['-x'])] }),
  rule('start', pred('Image', 'starts_with', ['c:\\tools'])),
];

/** A copy that is another string object (as a decoder gives for each record). */
const fresh = (s: string): string => (' ' + s).slice(1);

function event(fields: Array<[string, string | string[]]>): FlatEvent {
  const f = Object.create(null) as Record<string, string | string[]>;
  for (const [k, v] of fields) f[k] = typeof v === 'string' ? fresh(v) : v.map(fresh);
  return { fields: f, keys: fields.map(([k]) => fresh(k)), channel: 'Test', eventId: 1, computer: null, record: { file: 'e.json', event: {} } };
}

const SEQUENCE: Array<Array<[string, string | string[]]>> = [
  [['CommandLine', 'run mimikatz -x'], ['User', 'admin'], ['Image', 'C:\\Tools\\evil.exe'], ['Note', 'secret stuff']],
  // The same values again: replayed.
  [['CommandLine', 'run mimikatz -x'], ['User', 'admin'], ['Image', 'C:\\Tools\\evil.exe'], ['Note', 'secret stuff']],
  // Values changed, keys at the same places.
  [['CommandLine', 'notepad'], ['User', 'Admin'], ['Image', 'C:\\Tools\\good.exe'], ['Note', 'nothing here']],
  [['CommandLine', 'notepad'], ['User', 'guest'], ['Image', 'C:\\Tools\\good.exe'], ['Note', 'nothing here']],
  // The keyword moves to another key at the same place, and to a key the field automata cover.
  [['CommandLine', 'notepad'], ['User', 'guest'], ['Image', 'C:\\Tools\\good.exe'], ['Other', 'top secret']],
  [['CommandLine', 'a secret -x'], ['User', 'guest'], ['Other', 'top secret'], ['Image', 'D:\\evil.exe']],
  [['Note', 'secret'], ['CommandLine', 'a secret -x'], ['User', 'guest'], ['Image', 'D:\\evil.exe']],
  // A list value, then the same key holding a string again.
  [['Note', ['x', 'secret']], ['CommandLine', ['mimi', 'y']], ['User', 'guest'], ['Image', 'D:\\evil.exe']],
  [['Note', 'plain'], ['CommandLine', 'mimi'], ['User', 'admin'], ['Image', 'c:\\tools\\x']],
  [['Note', 'plain'], ['CommandLine', 'mimi'], ['User', 'admin'], ['Image', 'c:\\tools\\x']],
  // Fields missing.
  [['Note', 'plain']],
  [['Note', 'plain'], ['User', 'admin']],
];

const ids = (m: Matcher, ev: FlatEvent): string[] => m.match(ev).map((v) => v.rule.id);

test('a matcher that saw earlier events matches each event as a fresh matcher does', () => {
  const shared = new Matcher(RULES);
  assert.equal(shared.skipped.length, 0);
  const results: string[][] = [];
  for (const fields of SEQUENCE) {
    const got = ids(shared, event(fields));
    assert.deepEqual(got, ids(new Matcher(RULES), event(fields)), JSON.stringify(fields));
    results.push(got);
  }
  // The sequence exercises both outcomes of every rule.
  assert.deepEqual(results[0], ['cmd', 'user', 'keyword', 'image', 'start']);
  assert.deepEqual(results[1], results[0]);
  assert.deepEqual(results[2], ['user', 'start'], 'Sigma compares case-insensitively');
  assert.deepEqual(results[3], ['start']);
  assert.deepEqual(results[4], ['keyword', 'start']);
  assert.deepEqual(results[5], ['keyword', 'image']);
  assert.deepEqual(results[6], ['keyword', 'image']);
  assert.deepEqual(results[7], ['cmd', 'keyword']);
  assert.deepEqual(results[8], ['cmd', 'user', 'start']);
  assert.deepEqual(results[9], results[8]);
  assert.deepEqual(results[10], []);
  assert.deepEqual(results[11], ['user']);
});

test('the matcher restored from its plan gives the same results over the sequence', () => {
  const built = new Matcher(RULES);
  const restored = Matcher.fromPlan(RULES, built.toPlan());
  for (const fields of SEQUENCE) assert.deepEqual(ids(restored, event(fields)), ids(built, event(fields)));
});
