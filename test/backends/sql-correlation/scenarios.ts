/**
 * Correlation timelines where the windows matter, shared by the DuckDB and ClickHouse tests: each
 * case calls `same(correlation, events, expected scan alerts?)`, which runs scan and the SQL form
 * and compares their alerts.
 */
import { CHAINED } from '../../helpers/correlation-rules.js';

/** Runs scan and the SQL form of `correlation` (with BASE) over `events`; returns scan's correlation alert count. */
export type Same = (correlation: string, events: string[], expectAlerts?: number, opts?: { minLevel?: string }, label?: string) => Promise<number>;

export { BASE } from '../../helpers/correlation-rules.js';

let record = 0;
export function ev(eid: number, ms: number, data: Record<string, unknown>): string {
  const t = new Date(Date.UTC(2026, 0, 1) + ms).toISOString();
  return JSON.stringify({ Event: { System: { EventID: eid, EventRecordID: ++record, Channel: 'Security', Computer: 'dc1', TimeCreated: { '#attributes': { SystemTime: t } } }, EventData: data } });
}
export const at = (eid: number, s: number, user: string | null, extra: Record<string, unknown> = {}): string =>
  ev(eid, s * 1000, user === null ? extra : { TargetUserName: user, ...extra });

export const corr = (type: string, body: string): string => `title: ${type} correlation\nid: 00000000-0000-4000-8000-0000000000c1\nlevel: high\ncorrelation:\n  type: ${type}\n${body}`;


export const CASES: Array<{ title: string; run: (same: Same) => Promise<void> }> = [
  { title: 'event_count: the edge of the timespan is inside; the window starts over after firing', run: async (same) => {
  const c = corr('event_count', '  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gte: 3}\n');
  // bob: 0, 30, 60 (exactly one minute: inside) fires; then 61, 62, 121 (one minute after 61) fire again.
  await same(c, [at(4625, 0, 'bob'), at(4625, 30, 'bob'), at(4625, 60, 'bob'), at(4625, 61, 'bob'), at(4625, 62, 'bob'), at(4625, 121, 'bob')], 2);
  // 61, 62, 122: 61 is out at 122, and 62, 122, 123 do not fit either.
  await same(c, [at(4625, 0, 'bob'), at(4625, 30, 'bob'), at(4625, 60, 'bob'), at(4625, 61, 'bob'), at(4625, 62, 'bob'), at(4625, 122, 'bob'), at(4625, 123, 'bob')], 1);
  // 0, 30, 60.001: the first is out.
  await same(c, [ev(4625, 0, { TargetUserName: 'x' }), ev(4625, 30000, { TargetUserName: 'x' }), ev(4625, 60001, { TargetUserName: 'x' })], 0);
  } },

  { title: 'event_count: group-by with a missing field groups the events without it together', run: async (same) => {
  const c = corr('event_count', '  rules: [failed]\n  group-by: [TargetUserName, IpAddress]\n  timespan: 5m\n  condition: {gte: 2}\n');
  await same(c, [at(4625, 0, null), at(4625, 1, null, { IpAddress: '1.2.3.4' }), at(4625, 2, null), at(4625, 3, 'amy', { IpAddress: '1.2.3.4' }), at(4625, 4, 'amy', { IpAddress: '1.2.3.4' }), at(4625, 5, null, { IpAddress: '1.2.3.4' })], 3);
  } },

  { title: 'event_count with two rules and equal timestamps: ties in the order of `rules`', run: async (same) => {
  const c = corr('event_count', '  rules: [success, failed]\n  group-by: [TargetUserName]\n  timespan: 10s\n  condition: {gte: 2}\n  generate: true\n');
  await same(c, [at(4625, 0, 'a'), at(4624, 0, 'a'), at(4625, 0, 'a'), at(4624, 5, 'a'), at(4625, 5, 'a')]);
  } },

  { title: 'event_count with an upper bound: tumbling windows judged when they close', run: async (same) => {
  const c = corr('event_count', '  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {lt: 3}\n');
  await same(c, [at(4625, 0, 'a'), at(4625, 20, 'a'), at(4625, 60, 'a'), at(4625, 61, 'a'), at(4625, 62, 'a'), at(4625, 200, 'a'), at(4625, 0, 'b')], 3);
  const range = corr('event_count', '  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gt: 1, lte: 2}\n');
  await same(range, [at(4625, 0, 'a'), at(4625, 20, 'a'), at(4625, 100, 'a'), at(4625, 101, 'a'), at(4625, 102, 'a')], 1);
  } },

  { title: 'value_count counts distinct values; absent values are not counted', run: async (same) => {
  const c = corr('value_count', '  rules: [failed]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: {field: TargetUserName, gte: 3}\n');
  await same(c, [at(4625, 0, 'a', { IpAddress: 'h' }), at(4625, 1, 'a', { IpAddress: 'h' }), at(4625, 2, null, { IpAddress: 'h' }), at(4625, 3, 'A', { IpAddress: 'h' }),
    at(4625, 4, 'b', { IpAddress: 'h' }), at(4625, 5, 'c', { IpAddress: 'h' }), at(4625, 400, 'd', { IpAddress: 'h' })], 1);
  const upper = corr('value_count', '  rules: [failed]\n  group-by: [IpAddress]\n  timespan: 5m\n  condition: {field: TargetUserName, eq: 1}\n');
  await same(upper, [at(4625, 0, 'a', { IpAddress: 'h' }), at(4625, 1, 'a', { IpAddress: 'h' }), at(4625, 400, 'a', { IpAddress: 'h' }), at(4625, 401, 'b', { IpAddress: 'h' })], 1);
  } },

  { title: 'value_sum and value_avg: numbers as JavaScript reads them (blank and absent are 0, text is left out)', run: async (same) => {
  const evs = [at(4625, 0, 'a', { Bytes: '60' }), at(4625, 10, 'a', { Bytes: ' 50 ' }), at(4625, 11, 'a', { Bytes: 'many' }), at(4625, 12, 'a'), at(4625, 13, 'a', { Bytes: '1e2' }),
    at(4625, 20, 'b', { Bytes: '70.5' }), at(4625, 21, 'b', { Bytes: '' }), at(4625, 22, 'c', { Bytes: '1_0' }),
    at(4625, 23, 'c', { Bytes: ' 0x1A ' }), at(4625, 24, 'c', { Bytes: '0o7' }), at(4625, 25, 'c', { Bytes: '0B11' }), at(4625, 26, 'c', { Bytes: '-0x10' }), at(4625, 27, 'c', { Bytes: '0x' })];
  await same(corr('value_sum', '  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1h\n  condition: {field: Bytes, gt: 100}\n'), evs, 1);
  await same(corr('value_avg', '  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1h\n  condition: {field: Bytes, gte: 35}\n'), evs);
  await same(corr('value_avg', '  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1h\n  condition: {field: Bytes, lt: 40}\n'), evs);
  } },

  { title: 'value_percentile judges every hit against its window', run: async (same) => {
  const evs = Array.from({ length: 12 }, (_, i) => at(4625, i, 'common', { IpAddress: 'h' }));
  evs.push(at(4625, 20, 'rare', { IpAddress: 'h' }), at(4625, 21, null, { IpAddress: 'h' }), at(4625, 22, null, { IpAddress: 'h' }), at(4625, 5000, 'rare', { IpAddress: 'h' }));
  await same(corr('value_percentile', '  rules: [failed]\n  group-by: [IpAddress]\n  timespan: 1h\n  condition: {field: TargetUserName, lte: 20}\n'), evs, 3);
  } },

  { title: 'temporal: all rules within the timespan in any order, entries older than the timespan dropped', run: async (same) => {
  const c = corr('temporal', '  rules: [failed, success, logoff]\n  group-by: [TargetUserName]\n  timespan: 1m\n');
  await same(c, [
    at(4624, 0, 'ann'), at(4625, 10, 'ann'), at(4634, 60, 'ann'), // all three, the first exactly at the edge
    at(4625, 100, 'ben'), at(4624, 110, 'ben'), at(4634, 161, 'ben'), at(4625, 170, 'ben'), // ben's 4625 at 100 is dropped at 161; the one at 170 completes
    at(4625, 300, 'cat'), at(4624, 300, 'cat'), at(4625, 300, 'cat'), at(4634, 300, 'cat'), // equal times: the window's order
  ], 3);
  const two = corr('temporal', '  rules: [failed, success, logoff]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gte: 2}\n');
  await same(two, [at(4624, 0, 'ann'), at(4625, 10, 'ann'), at(4634, 20, 'ann'), at(4624, 30, 'ann')], 2);
  } },

  { title: 'temporal_ordered: only in the order of `rules`, the chain starting latest', run: async (same) => {
  const c = corr('temporal_ordered', '  rules: [failed, success, logoff]\n  group-by: [TargetUserName]\n  timespan: 1m\n');
  await same(c, [
    at(4624, 0, 'ann'), at(4625, 10, 'ann'), at(4634, 20, 'ann'), // wrong order
    at(4625, 100, 'ben'), at(4625, 130, 'ben'), at(4624, 140, 'ben'), at(4634, 189, 'ben'), // the chain from 130 completes at 189 (within 1m of 130)
    at(4625, 300, 'cat'), at(4624, 330, 'cat'), at(4634, 361, 'cat'), // 61 s after the start: too late
    at(4625, 400, 'dan'), at(4624, 400, 'dan'), at(4634, 400, 'dan'), at(4624, 401, 'dan'), at(4634, 402, 'dan'),
  ], 2);
  } },

  { title: 'aliases and a chained correlation (a correlation over a correlation)', run: async (same) => {
  const alias = corr('temporal_ordered', '  rules: [failed, success]\n  group-by: [ip]\n  aliases:\n    ip:\n      failed: IpAddress\n      success: WorkstationIp\n  timespan: 1m\n');
  await same(alias, [at(4625, 0, 'u1', { IpAddress: '10.0.0.5' }), at(4624, 5, 'u2', { WorkstationIp: '10.0.0.5' }), at(4624, 6, 'u2', { IpAddress: '10.0.0.5' })], 1);
  await same(CHAINED, [at(4625, 0, 'eve'), at(4625, 10, 'eve'), at(4624, 20, 'eve'), at(4625, 30, 'joe'), at(4624, 40, 'joe'), at(4625, 50, 'joe'), at(4624, 60, 'joe')], 4);
  } },

  { title: 'generate: true keeps the base alerts; --min-level applies to correlation alerts', run: async (same) => {
  const c = corr('event_count', '  rules: [failed]\n  group-by: [TargetUserName]\n  timespan: 1m\n  condition: {gte: 2}\n  generate: true\n');
  const evs = [at(4625, 0, 'a'), at(4625, 1, 'a'), at(4624, 2, 'a')];
  await same(c, evs, 1);
  await same(c, evs, 1, { minLevel: 'high' });
  await same(c.replace('level: high', 'level: low'), evs, 0, { minLevel: 'medium' });
  } },

];

/** A small seeded generator (mulberry32): the same timelines on every run. */
function rng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function randomTimelines(same: Same): Promise<number> {
  const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)];
  const types = [
    ['event_count', '{gte: 3}'], ['event_count', '{lte: 2}'], ['value_count', '{field: IpAddress, gte: 2}'], ['value_count', '{field: IpAddress, neq: 2}'],
    ['value_sum', '{field: Bytes, gt: 10}'], ['value_avg', '{field: Bytes, gte: 4}'], ['value_avg', '{field: Bytes, lt: 3}'], ['value_percentile', '{field: IpAddress, lte: 40}'],
    ['temporal', ''], ['temporal', '{gte: 2}'], ['temporal_ordered', ''],
  ];
  let total = 0;
  for (let seed = 1; seed <= 3; seed++) {
    const r = rng(seed);
    const evs: string[] = [];
    let ms = 0;
    for (let i = 0; i < 150; i++) {
      ms += pick(r, [0, 0, 500, 1000, 3000, 10000, 30000]);
      const data: Record<string, unknown> = {};
      if (r() < 0.9) data.TargetUserName = pick(r, ['a', 'b', 'c']);
      if (r() < 0.8) data.IpAddress = pick(r, ['1', '2', '3', '4']);
      if (r() < 0.9) data.Bytes = pick(r, ['1', '2', '5', '10', 'x', '']);
      evs.push(ev(pick(r, [4624, 4625, 4625, 4634]), ms, data));
    }
    for (const [type, cond] of types) {
      const rules = type.startsWith('temporal') ? '[failed, success, logoff]' : pick(r, ['[failed]', '[failed, success]', '[logoff, failed]']);
      const c = corr(type, `  rules: ${rules}\n  group-by: [TargetUserName]\n  timespan: ${pick(r, ['10s', '30s', '1m'])}\n${cond ? `  condition: ${cond}\n` : ''}`);
      total += await same(c, evs, undefined, {}, `seed ${seed}, ${type} ${cond}`);
    }
  }
  return total;
}
