import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lowerEsql, parse } from '../../../src/formats/esql/index.js';
import type { EsqlLowering } from '../../../src/formats/esql/index.js';
import { walkPredicates } from '../../../src/model/index.js';

function lower(text: string): EsqlLowering {
  const r = parse(text);
  if (!r.ok) assert.fail(`${r.error.message} at ${r.error.line}:${r.error.column}`);
  return lowerEsql(r.value);
}

function preds(text: string): unknown[] {
  const out: unknown[] = [];
  const d = lower(text).detection;
  if (d) walkPredicates(d, (p, _path, neg) => out.push([p.field, p.op, p.values, neg, p.flags.cased]));
  return out;
}

test('commands are split; FROM indices; WHEREs before stats are predicates', () => {
  const l = lower(`FROM logs-endpoint.events.process-*, logs-x METADATA _id
| // comment with a | pipe
  WHERE process.name == "a|b" and event.type != "end"
| EVAL x = to_lower(process.name)
| STATS n = COUNT(*) BY host.id
| WHERE n > 5`);
  assert.deepEqual(l.indices, ['logs-endpoint.events.process-*', 'logs-x']);
  assert.deepEqual(l.commands.map((c) => c.name), ['from', 'where', 'eval', 'stats', 'where']);
  assert.deepEqual(l.aggregateWhere, ['n > 5']);
  assert.deepEqual(preds('from x | where process.name == "a|b" and event.type != "end"'), [
    ['process.name', 'eq', ['a|b'], false, true],
    ['event.type', 'ne', ['end'], false, true],
  ]);
});

test('like / rlike / in / is null / to_lower / functions', () => {
  assert.deepEqual(
    preds(`from x | where to_lower(a) like "*\\\\\\\\temp\\\\\\\\*" and b like ("x*", "*y") and c rlike ".*z" and d not in ("1", "2")
      and e is not null and f is null and starts_with(g, "p") and cidr_match(ip, "10.0.0.0/8") and length(h) > 3 and k : "match"`),
    [
      ['a', 'contains', ['\\temp\\'], false, false],
      ['b', 'starts_with', ['x'], false, true],
      ['b', 'ends_with', ['y'], false, true],
      // RLIKE matches the whole value (Lucene syntax): anchored RE2, `.` crosses newlines.
      ['c', 'regex_match', ['^(?:.*z)$'], false, true],
      ['d', 'eq', ['1', '2'], true, true],
      ['e', 'exists', [], false, undefined],
      ['f', 'exists', [], true, undefined],
      ['g', 'starts_with', ['p'], false, true],
      ['ip', 'cidr', ['10.0.0.0/8'], false, undefined],
      // length(h) > 3 is an unknown node now (it was a fake predicate on a field named "length(h)").
      ['k', 'contains', ['match'], false, false],
    ],
  );
});

test('KQL(), conversions, full-text match and field-to-field functions', () => {
  assert.deepEqual(
    preds(`from x | where KQL("process.name:(a or b*)") and to_string(user.id) like "S-1-5-*" and TO_INTEGER(sev) <= 3
      and msg : "Hello" and match(name, "svc", { "fuzziness": 1 }) and ends_with(a, b) and mv_contains(codes, "x")`),
    [
      ['process.name', 'eq', ['a'], false, true],
      ['process.name', 'starts_with', ['b'], false, true],
      ['user.id', 'starts_with', ['S-1-5-'], false, true],
      ['sev', 'lte', [3], false, undefined],
      ['msg', 'contains', ['Hello'], false, false],
      ['name', 'contains', ['svc'], false, false],
      ['a', 'ends_with', ['b'], false, true],
      ['codes', 'eq', ['x'], false, true],
    ],
  );
});

test('a query filtering aggregated values only has no detection', () => {
  assert.equal(lower('from x | stats n = count() by h | where n > 1').detection, undefined);
});

test('errors carry line and column in the whole query', () => {
  const r = parse('from x\n| where a == and b');
  assert.ok(!r.ok);
  if (r.ok) return;
  assert.deepEqual([r.error.line, r.error.column], [2, 14]);
  assert.ok(!parse('from x | | where a').ok);
  assert.ok(!parse('from x | where a == "open').ok);
});

test('computed values and EVAL fields are computed tests; what is not modelled is unknown with a loss', () => {
  const q = 'from x | eval n = length(cmd), `b c` = 1 | completion r = n | where length(h) > 3 and n > 2 and a rlike "x&y" and z == "1" and r == "yes"';
  const l = lower(q);
  // statistics see only the event field z
  assert.deepEqual(preds(q), [['z', 'eq', ['1'], false, true]]);
  const d = l.detection;
  assert.ok(d && d.kind === 'and');
  if (d?.kind !== 'and') return;
  assert.deepEqual(d.children.map((c) => c.kind), ['computed', 'computed', 'unknown', 'pred', 'unknown']);
  assert.deepEqual(d.children.slice(0, 2), [
    { kind: 'computed', name: null, value: { kind: 'call', fn: 'length', args: [{ kind: 'field', field: 'h' }] }, op: 'gt', values: [3], flags: {} },
    { kind: 'computed', name: 'n', value: { kind: 'call', fn: 'length', args: [{ kind: 'field', field: 'cmd' }] }, op: 'gt', values: [2], flags: {} },
  ]);
  // a COMPLETION answer (a language model's) is no computation the model can say
  assert.deepEqual(l.losses.map((x) => [x.text, x.reason, x.offset]), [
    ['a rlike "x&y"', 'regex-syntax', q.indexOf('a rlike')],
    ['r == "yes"', 'llm-completion', q.indexOf('r == "yes"')],
  ]);
  // named by what computes them, through EVAL, DISSECT and INLINE STATS
  const o = lower('from x | completion a = p | dissect a "v=%{v}" | eval w = to_upper(v) | inline stats n = count(*) by h | eval m = n + 1 | where w == "TP" and m > 2 and k == 1');
  assert.deepEqual(o.losses.map((x) => [x.text, x.reason]), [['w == "TP"', 'llm-completion']]);
  // an INLINE STATS over filters that lost a condition is not a value the model can say
  const u = lower('from x | where length(a) > 1 and b rlike "x&y" | inline stats n = count(*) by h | where n > 2');
  assert.deepEqual(u.losses.map((x) => [x.text, x.reason]), [['b rlike "x&y"', 'regex-syntax'], ['n > 2', 'inline-aggregate']]);
});

test('RENAME: the new name reads the old field or value', () => {
  const l = lower('from x | eval v = length(a) | rename b as c, v as w | where c == "1" and w > 2');
  assert.deepEqual(l.losses, []);
  assert.deepEqual(l.detection, {
    kind: 'and',
    children: [
      { kind: 'pred', field: 'b', authoredField: 'b', op: 'eq', values: ['1'], flags: { cased: true } },
      { kind: 'computed', name: 'w', value: { kind: 'call', fn: 'length', args: [{ kind: 'field', field: 'a' }] }, op: 'gt', values: [2], flags: {} },
    ],
  });
});

test('STATS c = COUNT(*) BY f | WHERE c > 5: an aggregation stage with its group condition, exact', () => {
  const l = lower('from x | where a == "1" | eval k = to_lower(host.name) | stats c = count(*), d = count_distinct(user.name) where b == "2" by host.id, k | eval r = d / c | where c > 5 and r >= 0.5');
  assert.deepEqual(l.losses, []);
  assert.deepEqual(l.aggregations, [{
    by: [
      { name: 'host.id', value: { kind: 'field', field: 'host.id' } },
      { name: 'k', value: { kind: 'call', fn: 'to_lower', args: [{ kind: 'field', field: 'host.name' }] } },
    ],
    columns: [
      { name: 'c', value: { kind: 'call', fn: 'count', args: [] } },
      { name: 'd', value: { kind: 'call', fn: 'count_distinct', args: [{ kind: 'field', field: 'user.name' }] }, where: { kind: 'pred', field: 'b', authoredField: 'b', op: 'eq', values: ['2'], flags: { cased: true } } },
    ],
    having: {
      kind: 'and',
      children: [
        { kind: 'computed', name: 'c', value: { kind: 'column', name: 'c' }, op: 'gt', values: [5], flags: {} },
        { kind: 'computed', name: 'r', value: { kind: 'call', fn: '/', args: [{ kind: 'column', name: 'd' }, { kind: 'column', name: 'c' }] }, op: 'gte', values: [0.5], flags: {} },
      ],
    },
  }]);
  // after STATS only the stage's columns exist: an event field is no longer there
  const after = lower('from x | stats c = count(*) by h | where user.name == "x"');
  assert.deepEqual(after.losses.map((x) => x.reason), ['computed-expression']);
});

test('to_lower against a value with capitals never matches: unknown, not a case-insensitive test', () => {
  const l = lower('from x | where to_lower(a) == "Abc" and to_lower(b) rlike "(.*)365(.*)"');
  assert.deepEqual(l.losses.map((x) => x.reason), ['case-folded-mismatch']);
  const out: unknown[] = [];
  walkPredicates(l.detection!, (p) => out.push([p.field, p.values, p.flags]));
  assert.deepEqual(out, [['b', ['^(?:(?:.*)365(?:.*))$'], { cased: false, regexFlags: 'is' }]]);
});

test('field-to-field comparisons are fieldrefs', () => {
  const l = lower('from x | where process.parent.name != process.name');
  assert.ok(l.detection?.kind === 'pred');
  if (l.detection?.kind !== 'pred') return;
  assert.deepEqual([l.detection.field, l.detection.op, l.detection.values, l.detection.flags], ['process.parent.name', 'ne', ['process.name'], { fieldref: true, cased: true }]);
});

test('to_lower on both sides: a case-insensitive fieldref', () => {
  const l = lower('from x | where to_lower(a) != to_lower(b)');
  assert.ok(l.detection?.kind === 'pred');
  if (l.detection?.kind !== 'pred') return;
  assert.deepEqual([l.detection.field, l.detection.op, l.detection.values, l.detection.flags], ['a', 'ne', ['b'], { fieldref: true, cased: false }]);
});

test('after INLINE STATS rows are still events: event-field tests are predicates, aggregate columns window values', () => {
  const l = lower('from x | where a == "1" | inline stats n = count(*), v = values(b) by h | where c == "2" and n > 3 | stats m = count() by h | where m > 1');
  const out: unknown[] = [];
  walkPredicates(l.detection!, (p) => out.push([p.field, p.op, p.values]));
  assert.deepEqual(out, [['a', 'eq', ['1']], ['c', 'eq', ['2']]]);
  assert.deepEqual(l.losses, []);
  // n: count(*) over the events meeting the filters before INLINE STATS that share this event's h
  const d = l.detection;
  assert.ok(d?.kind === 'and' && d.children[1].kind === 'and');
  if (d?.kind !== 'and' || d.children[1].kind !== 'and') return;
  assert.deepEqual(d.children[1].children[1], {
    kind: 'computed', name: 'n', op: 'gt', values: [3], flags: {},
    value: { kind: 'window', name: 'n', value: { kind: 'call', fn: 'count', args: [] }, by: [{ kind: 'field', field: 'h' }], over: { kind: 'pred', field: 'a', authoredField: 'a', op: 'eq', values: ['1'], flags: { cased: true } } },
  });
  assert.deepEqual(l.aggregateWhere, ['m > 1']);
});

test('EVAL aliases: a renamed or case-folded field is tested through its source field', () => {
  const q = 'from x | eval n = to_lower(process.name), u = TO_UPPER(message), m = length(a) // a comment with "quotes\n| where n == "cmd.exe" and u rlike ".*SELECT.*" and m > 3';
  assert.deepEqual(preds(q), [
    ['process.name', 'eq', ['cmd.exe'], false, false],
    ['message', 'regex_match', ['^(?:.*SELECT.*)$'], false, false],
  ]);
  assert.deepEqual(lower(q).losses, []);
  const d = lower(q).detection;
  assert.ok(d?.kind === 'and');
  if (d?.kind !== 'and') return;
  assert.deepEqual(d.children[2], { kind: 'computed', name: 'm', value: { kind: 'call', fn: 'length', args: [{ kind: 'field', field: 'a' }] }, op: 'gt', values: [3], flags: {} });
});
