/**
 * A Sigma correlation as one ClickHouse query returning its alerts, valid on 18.16 (no window
 * functions, no recursive queries, no array fold) and on current releases. The hits of each group
 * are one sorted array (groupArray + arraySort, as scan orders them); scan's state machine
 * (engine/correlation.ts) is then computed with array functions only:
 * - f(r): the hit at which the correlation first fires when its state was last reset before hit r
 *   (windows start at max(r, the first hit within the timespan); temporal counts the rules seen
 *   in that window; temporal_ordered keeps, per rule position, the latest-starting chain, which
 *   needs no state once thresholded at r);
 * - the hits at which scan resets are the chain 1, f(1)+1, f(f(1)+1)+1, ...: found by binary
 *   lifting (jump tables of 2^j steps), a fixed number of array passes instead of a loop;
 * - tumbling windows (upper bounds) are the chain of window starts the same way; percentiles
 *   need no state.
 * Cost is quadratic in the hits of one group (every start r is tried), bounded by MAX_GROUP_HITS.
 * value_count, value_percentile and temporal name whole arrays inside per-element lambdas (memory
 * past 18.16's limit on groups of a few thousand hits): a hunt runs them from their sorted hits
 * instead (correlationHitsClickhouse, streamsHits).
 * Differences with scan, all on equal timestamps or unusual input, are listed in README.md.
 */
import type { Rule } from '../../model/index.js';
import type { BaseWhere, CorrelationPlan, HitSource } from './plan.js';
import { planCorrelation, satisfiedSql } from './plan.js';
import type { CorrelationSql } from './duckdb.js';
import { DECIMAL_RE, RADIX_FORMS } from './number.js';

export interface ChCorrelationOptions {
  /** The event table (default `events`; a Distributed table works as is). */
  table?: string;
  /** Extra conditions on base hits (hunt's --since/--until). */
  timeWhere?: string[];
  unprintable?: ReadonlyMap<Rule, string>;
  /** A field's single value, Nullable(String), NULL when absent (default: the f_keys/f_values arrays). */
  fieldValue?: (field: string) => string;
  /** A list field's values, Array(String), [] when absent (default: the l_keys/l_values arrays). */
  listValues?: (field: string) => string;
  /** The event time in whole milliseconds since the epoch, Nullable(Int64) (default: from ts_us). */
  timeMs?: string;
  /**
   * The alert rows (this query's columns) of correlations this one reads, run before it (chained
   * correlations run in two steps: chained.ts); a chained correlation absent here is skipped.
   */
  chained?: ReadonlyMap<Rule, ReadonlyArray<Record<string, unknown>>>;
}

/** Jump-table levels: groups of up to 2^LEVELS - 1 hits. */
const LEVELS = 12;
export const MAX_GROUP_HITS = 2 ** LEVELS - 1;

/** A typed, empty hits table (no source). */
const EMPTY_HITS = `SELECT toInt64(0) AS t, toUInt32(0) AS rp, [toUInt32(0)] AS rps, '' AS file, toUInt64(0) AS seq, '' AS rid, [toNullable('')] AS g, toNullable('') AS v,
      toNullable(toInt64(0)) AS record_id, toNullable('') AS timestamp, toNullable('') AS computer, toNullable('') AS channel, toNullable(toInt64(0)) AS event_id,
      toUInt32(0) AS si
    FROM system.one WHERE 0`;

/** A ClickHouse string literal: backslash, quote and NUL escaped (a backslash escapes in ClickHouse). */
export function chLiteral(s: string): string {
  return `'${s.replace(/[\\'\0]/g, (c) => (c === '\0' ? '\\0' : '\\' + c))}'`;
}

const defaultField = (f: string): string => `f_values[indexOf(f_keys, ${chLiteral(f)})]`;
const defaultList = (f: string): string => `l_values[indexOf(l_keys, ${chLiteral(f)})]`;

export function correlationClickhouse(rule: Rule, bases: BaseWhere[], correlations: Rule[], opts: ChCorrelationOptions = {}): CorrelationSql {
  const p = resolve(rule, bases, correlations, opts);
  if ('skip' in p) return p;
  const { plan } = p;
  if (plan.mode === 'temporal' && plan.sources.some((s) => s.positions.length > 1)) {
    return { skip: 'not-convertible', message: 'a rule named twice in a temporal correlation (by id and by name) is not printed for ClickHouse' };
  }
  try {
    return { sql: print(plan, opts) };
  } catch (e) {
    return { skip: 'not-convertible', message: (e as Error).message };
  }
}

function resolve(rule: Rule, bases: BaseWhere[], correlations: Rule[], opts: ChCorrelationOptions): { plan: CorrelationPlan } | { skip: string; message: string } {
  const p = planCorrelation(rule, bases, correlations, opts.unprintable);
  if ('skip' in p) return p;
  const chained = p.plan.sources.find((s) => s.kind === 'correlation' && !opts.chained?.has(s.rule));
  if (chained) return { skip: 'correlation-chain-not-in-clickhouse', message: `reads correlation '${chained.rule.title}': chained correlations run on DuckDB and in scan, not on ClickHouse yet` };
  return p;
}

/**
 * The correlation kinds whose array form (correlationClickhouse) names whole arrays inside
 * per-element lambdas, which ClickHouse copies per element: on 18.16 groups of a few thousand hits
 * pass its per-query memory. The hunt runs them from their hit stream instead (correlationHitsClickhouse).
 */
export function streamsHits(rule: Rule): boolean {
  const t = rule.correlation?.type;
  return t === 'value_count' || t === 'value_percentile' || t === 'temporal';
}

/** The columns of correlationHitsClickhouse's rows: `si` is the hit's source (plan.sources index). */
export const HIT_COLUMNS = ['g', 't', 'si', 'v', 'file', 'seq', 'record_id', 'timestamp', 'computer', 'channel', 'event_id'] as const;

/**
 * A correlation's hits as one ClickHouse query, one row per hit (HIT_COLUMNS), sorted by group and
 * then as scan sorts hits (time, the rule's position in `rules`, file, seq): the caller runs scan's
 * own state machine over each group's rows as they stream in (store/clickhouse/streamed-correlation.ts),
 * so its memory is one group's open window, and the server's a sort (external past a bound).
 * Valid on 18.16 and current releases: plain columns, UNION ALL, ORDER BY.
 */
export function correlationHitsClickhouse(rule: Rule, bases: BaseWhere[], correlations: Rule[], opts: ChCorrelationOptions = {}): { sql: string; plan: CorrelationPlan } | { skip: string; message: string } {
  const p = resolve(rule, bases, correlations, opts);
  if ('skip' in p) return p;
  const { plan } = p;
  return { plan, sql: `SELECT ${HIT_COLUMNS.join(', ')}\nFROM (\n    ${hitsSql(plan, opts)}\n)\nORDER BY g, t, rp, file, seq` };
}

/**
 * The hits of every detection source in one scan of the table (a UNION ALL of one scan per rule
 * passed 18.16's per-query memory on a freshly ingested store: a reader per rule and data part,
 * over a correlation of 100+ rules): each rule's WHERE is one element of an array, ARRAY JOIN turns
 * each hit into a row with its source (as the hunt's batch statement), and the source's values
 * (position, rule, group and value fields) are read by that index. `si`: the index in plan.sources.
 */
function detectionHits(sources: ReadonlyArray<{ s: HitSource & { kind: 'detection' }; si: number }>, opts: ChCorrelationOptions): string {
  const field = opts.fieldValue ?? defaultField;
  const list = opts.listValues ?? defaultList;
  const valueOf = (f: string): string => `coalesce(${field(f)}, if(length(${list(f)}) > 0, arrayStringConcat(${list(f)}, ','), NULL))`;
  const t = opts.timeMs ?? 'intDiv(ts_us, 1000)';
  const where = [`(${t}) IS NOT NULL`, ...(opts.timeWhere ?? [])].join(' AND ');
  // One expression when every source agrees (the usual case), else the source's own by index.
  const pick = (xs: string[]): string => (xs.every((x) => x === xs[0]) ? xs[0] : `[${xs.join(', ')}][corr_k + 1]`);
  // A leading typed element makes the group array Array(Nullable(String)) even with no group-by.
  const g = pick(sources.map(({ s }) => `arrayPopFront([toNullable(''), ${s.groupFields.map(valueOf).join(', ')}])`.replace(', ])', '])')));
  const v = pick(sources.map(({ s }) => `toNullable(${s.valueField === null ? "''" : valueOf(s.valueField)})`));
  // The rules' WHEREs are evaluated in their own subquery: ClickHouse expands a SELECT's aliases (t,
  // g, v, ...) inside its expressions, where a printed lambda's parameter of the same name would read them.
  return `SELECT toInt64(assumeNotNull(${t})) AS t, ${pick(sources.map(({ s }) => `toUInt32(${s.pos})`))} AS rp,
      ${pick(sources.map(({ s }) => `[${s.positions.map((x) => `toUInt32(${x})`).join(', ')}]`))} AS rps,
      file, toUInt64(seq) AS seq, ${pick(sources.map(({ s }) => chLiteral(s.rule.id)))} AS rid, ${g} AS g, ${v} AS v,
      toNullable(toInt64(record_id)) AS record_id, toNullable(toString(timestamp)) AS timestamp, toNullable(toString(computer)) AS computer,
      toNullable(toString(channel)) AS channel, toNullable(toInt64(event_id)) AS event_id, ${pick(sources.map(({ si }) => `toUInt32(${si})`))} AS si
    FROM (
      SELECT *, arrayJoin(arrayFilter((i, h) -> h = 1, range(${sources.length}), corr_hits)) AS corr_k
      FROM (SELECT *, [${sources.map(({ s }) => `ifNull((${s.where}), 0)`).join(',\n        ')}] AS corr_hits FROM ${opts.table ?? 'events'} WHERE ${where})
    )`;
}

/** Every source's hits (HitSource order is kept in `si`): one scan for the detections, then each chained correlation's rows. */
function hitsSql(plan: CorrelationPlan, opts: ChCorrelationOptions): string {
  const detections = plan.sources.flatMap((s, si) => (s.kind === 'detection' ? [{ s, si }] : []));
  const parts = detections.length ? [detectionHits(detections, opts)] : [];
  plan.sources.forEach((s, si) => {
    if (s.kind === 'correlation') parts.push(chainedSelect(s, si, opts.chained!.get(s.rule)!));
  });
  return parts.length ? parts.join('\n    UNION ALL\n    ') : EMPTY_HITS;
}

const nullableText = (x: unknown): string => (x === null || x === undefined ? 'CAST(NULL AS Nullable(String))' : `toNullable(${chLiteral(String(x))})`);
const nullableInt = (x: unknown): string => (x === null || x === undefined || !Number.isFinite(Number(x)) ? 'CAST(NULL AS Nullable(Int64))' : `toNullable(toInt64(${Math.trunc(Number(x))}))`);

/**
 * A chained correlation's hits: its alert rows (already run), as scan reads them: time = the
 * alert's last hit, fields = its group (a field it does not group by is absent); ties in time are
 * ordered by the file and seq of that last hit. One array literal per column, read by index.
 */
function chainedSelect(s: HitSource, si: number, rows: ReadonlyArray<Record<string, unknown>>): string {
  const groupBy = s.rule.correlation!.groupBy;
  const at = (row: Record<string, unknown>, f: string): unknown => (groupBy.includes(f) ? ((row.g as unknown[] | null) ?? [])[groupBy.indexOf(f)] : null);
  const col = (f: (row: Record<string, unknown>) => string): string => `[${rows.map(f).join(', ')}]`;
  const t = (row: Record<string, unknown>): number => (Number(row.last_ms) > 0 ? Math.trunc(Number(row.last_ms)) : 0);
  if (!rows.length) return EMPTY_HITS;
  return `SELECT toInt64(${col((r) => String(t(r)))}[i]) AS t, toUInt32(${s.pos}) AS rp, [${s.positions.map((x) => `toUInt32(${x})`).join(', ')}] AS rps,
      ${col((r) => chLiteral(String(r.file ?? '')))}[i] AS file, toUInt64(${col((r) => String(Math.max(0, Math.trunc(Number(r.seq) || 0))))}[i]) AS seq, ${chLiteral(s.rule.id)} AS rid,
      ${col((r) => `arrayPopFront([toNullable(''), ${s.groupFields.map((f) => nullableText(at(r, f))).join(', ')}])`.replace(', ])', '])'))}[i] AS g,
      ${col((r) => nullableText(s.valueField === null ? '' : at(r, s.valueField)))}[i] AS v,
      ${col((r) => nullableInt(r.record_id))}[i] AS record_id, ${col((r) => nullableText(r.timestamp))}[i] AS timestamp,
      ${col((r) => nullableText(r.computer))}[i] AS computer, ${col((r) => nullableText(r.channel))}[i] AS channel, ${col((r) => nullableInt(r.event_id))}[i] AS event_id,
      toUInt32(${si}) AS si
    FROM (SELECT arrayJoin(range(${rows.length})) + 1 AS i FROM system.one)`;
}

function print(plan: CorrelationPlan, opts: ChCorrelationOptions): string {
  const { c } = plan;
  const span = Math.max(0, Math.floor(c.timespanMs));
  const n = c.rules.length;
  const hits = hitsSql(plan, opts);
  // H: (t, rp, file, seq, rid, v, record_id, timestamp, computer, channel, event_id, rps) sorted as scan sorts hits.
  // Each layer is one subquery over the one before: ClickHouse expands an alias in place wherever it
  // is named, a subquery's column it does not (tables naming the one before twice would grow as 2^k).
  const layers: string[][] = [[
    'arrayMap(h -> h.1, H) AS T',
    // Inner lambdas name only numeric arrays: ClickHouse copies every array a lambda names once per element.
    'arrayMap((v, d) -> if(isNull(v), toUInt32(0), toUInt32(d)), arrayMap(h -> h.6, H), arrayEnumerateDense(arrayMap(h -> h.6, H))) AS VID',
    `arrayMap(h -> ${numberOf('h.6')}, H) AS X`,
    'arrayMap(h -> h.2, H) AS RPA',
    'arrayMap(h -> h.12, H) AS RPS',
    'arrayEnumerate(H) AS I',
    'length(H) AS n',
  ], [`arrayMap(lim -> toUInt32(arrayCount(u -> u < lim, T) + 1), arrayMap(x -> x - ${span}, T)) AS LO`]];
  const layer = (...exprs: string[]): void => {
    layers.push(exprs);
  };
  const cond = (val: string, fallback: number): string => satisfiedSql(c.condition, val, fallback).replace(/<>/g, '!=');
  const agg = aggregate(plan);
  const chain = (): void => {
    for (const l of chainFromOne()) layer(l);
  };
  let fires: string; // Array of (window hit indices, value)
  switch (plan.mode) {
    case 'percentile':
      fires = `arrayFilter(w -> length(w.1) > 1 AND ${cond('w.2', 1)}, arrayMap(k -> (arrayMap(q -> toUInt32(q + LO[k]), range(toUInt32(k - LO[k] + 1))),
        100 * arrayCount(z -> z = VID[k], arraySlice(VID, LO[k], k - LO[k] + 1)) / (k - LO[k] + 1)), I))`;
      break;
    case 'tumbling':
      layer(`arrayMap(lim -> toUInt32(arrayCount(u -> u <= lim, T)), arrayMap(x -> x + ${span}, T)) AS HI`);
      layer('arrayPushBack(arrayMap(s -> toUInt32(HI[s] + 1), I), toUInt32(n + 1)) AS NX');
      chain();
      fires = `arrayFilter(w -> ${cond('w.2', 1)}, arrayMap(s -> (arrayMap(q -> toUInt32(q + s), range(toUInt32(HI[s] - s + 1))), ${agg('s', 'HI[s]')}), R))`;
      break;
    case 'sliding':
    case 'temporal': {
      const fallback = plan.mode === 'temporal' ? n : 1;
      // event_count reads LO as a parallel array: a lambda that names an array copies it per element (cubic memory).
      layer(c.type === 'event_count'
        ? `arrayMap(r -> toUInt32(arrayFirstIndex((e, lo) -> e >= r AND ${cond('toFloat64(e - greatest(r, lo) + 1)', fallback)}, I, LO)), I) AS F`
        : `arrayMap(r -> toUInt32(arrayFirstIndex(e -> e >= r AND ${cond(agg('greatest(r, LO[e])', 'e'), fallback)}, I)), I) AS F`);
      layer('arrayPushBack(arrayMap(r -> toUInt32(if(F[r] = 0, n + 1, F[r] + 1)), I), toUInt32(n + 1)) AS NX');
      chain();
      if (plan.mode === 'temporal') layer("arrayMap(q -> toUInt32(arrayReduce('max', arrayFilter(z -> z < q AND RPA[z] = RPA[q], I))), I) AS PV");
      // scan's lastSeen is a Map: a rule's entry keeps its place until the entry is dropped (reset,
      // or older than the timespan at some hit), and the window is sorted by time, then that place.
      const place = (j: string): string => `arrayReduce('max', arrayFilter(q -> q <= ${j} AND q >= r AND RPA[q] = RPA[${j}]
        AND (PV[q] < r OR (q - 1 > PV[q] AND T[q - 1] - T[PV[q]] > ${span})), I))`;
      const win = (s: string, e: string): string => plan.mode === 'temporal'
        // The latest hit of each rule in the window, in time order.
        ? `arraySort(j -> (T[j], ${place('j')}), arrayFilter(j -> arrayCount(q -> RPA[q] = RPA[j], arraySlice(I, j + 1, ${e} - j)) = 0, arraySlice(I, ${s}, ${e} - ${s} + 1)))`
        : `arrayMap(q -> toUInt32(q + ${s}), range(toUInt32(${e} - ${s} + 1)))`;
      fires = `arrayMap(r -> (${win('greatest(r, LO[F[r]])', 'F[r]')}, ${agg('greatest(r, LO[F[r]])', 'F[r]')}), arrayFilter(r -> F[r] > 0, R))`;
      break;
    }
    case 'ordered': {
      // Per rule position i: E_i[p] the start of the chain of rules 0..i that hit p completes (0: none);
      // LP_i[m] the last hit <= m that completed one, S_i[m] its start (the latest start so far).
      for (let i = 0; i < n; i++) {
        layer(i === 0 ? 'arrayMap(p -> if(has(RPS[p], toUInt32(0)), p, 0), I) AS E0'
          : `arrayMap(p -> if(has(RPS[p], toUInt32(${i})) AND p > 1 AND S${i - 1}[p - 1] > 0 AND T[p] - T[S${i - 1}[p - 1]] <= ${span}, S${i - 1}[p - 1], 0), I) AS E${i}`);
        layer(`arrayCumSum(arrayMap(x -> x > 0, E${i})) AS CNT${i}`, `arrayFilter(p -> E${i}[p] > 0, I) AS NZ${i}`);
        layer(`arrayMap(m -> toUInt32(if(CNT${i}[m] > 0, NZ${i}[CNT${i}[m]], 0)), I) AS LP${i}`);
        layer(`arrayMap(m -> toUInt32(if(LP${i}[m] > 0, E${i}[LP${i}[m]], 0)), I) AS S${i}`);
      }
      layer(`arrayMap(r -> toUInt32(arrayFirstIndex(x -> x >= r, E${n - 1})), I) AS F`);
      layer('arrayPushBack(arrayMap(r -> toUInt32(if(F[r] = 0, n + 1, F[r] + 1)), I), toUInt32(n + 1)) AS NX');
      chain();
      // The chain's hits: the last is the firing hit, each earlier one the last completion before it.
      const members: string[] = ['F[r]'];
      for (let i = n - 2; i >= 0; i--) members.unshift(`LP${i}[${members[0]} - 1]`);
      fires = `arrayMap(r -> ([${members.map((m) => `toUInt32(${m})`).join(', ')}], ${n}), arrayFilter(r -> F[r] > 0, R))`;
      break;
    }
  }
  layer(`arrayMap(w -> (w.1, toFloat64(w.2)), ${fires}) AS FIRES`);
  let from = `SELECT g, arraySort(h -> (h.1, h.2, h.3, h.4), groupArray((t, rp, file, seq, rid, v, record_id, timestamp, computer, channel, event_id, rps))) AS H
    FROM (
    ${hits}
    )
    GROUP BY g
    HAVING throwIf(length(H) > ${MAX_GROUP_HITS}) = 0`;
  // 18.16 drops a subquery's column that is named only inside a lambda (`Unknown identifier`):
  // each expression also names, outside any lambda, the columns it reads.
  const known = ['g', 'H'];
  for (const l of layers) {
    const exprs = l.map((x) => {
      const m = /^([\s\S]*) AS (\w+)$/.exec(x)!;
      const reads = known.filter((k) => new RegExp(`\\b${k}\\b`).test(m[1]));
      return `tupleElement((${m[1]}, ${reads.join(', ')}), 1) AS ${m[2]}`;
    });
    from = `SELECT *, ${exprs.join(', ')}\n  FROM (${from})`;
    for (const x of l) known.push(/ AS (\w+)$/.exec(x)![1]);
  }
  return `SELECT g, val AS value, length(W) AS count, T[W[1]] AS first_ms, T[W[-1]] AS last_ms,
  arrayFilter((x, i) -> indexOf(arrayMap(j -> H[j].5, W), x) = i, arrayMap(j -> H[j].5, W), arrayEnumerate(W)) AS rules,
  H[W[-1]].3 AS file, H[W[-1]].4 AS seq, H[W[-1]].7 AS record_id, H[W[-1]].8 AS timestamp, H[W[-1]].9 AS computer, H[W[-1]].10 AS channel, H[W[-1]].11 AS event_id
FROM (
  SELECT g, H, T, arrayJoin(FIRES) AS f, tupleElement(f, 1) AS W, tupleElement(f, 2) AS val
  FROM (${from})
)
ORDER BY last_ms, first_ms`;
}

/**
 * R: the hits (1-based) reached from hit 1 by NX (NX[x] > x; n + 1 ends), by binary lifting:
 * U_j jumps 2^j steps; C_j[x] is the furthest chain member <= x using jumps up to 2^j. One layer each.
 */
function chainFromOne(): string[] {
  const out = ['NX AS U0'];
  for (let j = 1; j < LEVELS; j++) out.push(`arrayMap(i -> U${j - 1}[U${j - 1}[i]], arrayEnumerate(NX)) AS U${j}`);
  for (let j = LEVELS - 1; j >= 0; j--) {
    const at = (x: string): string => (j === LEVELS - 1 ? 'toUInt32(1)' : `C${j + 1}[${x}]`);
    out.push(`arrayMap(x -> if(U${j}[${at('x')}] <= x, U${j}[${at('x')}], ${at('x')}), arrayEnumerate(NX)) AS C${j}`);
  }
  out.push('arrayFilter(x -> C0[x] = x AND x <= n, arrayEnumerate(NX)) AS R');
  return out;
}

/** The aggregate of hits s..e (1-based, inclusive), as Float64. */
function aggregate(plan: CorrelationPlan): (s: string, e: string) => string {
  const slice = (arr: string, s: string, e: string): string => `arraySlice(${arr}, ${s}, ${e} - ${s} + 1)`;
  const nums = (s: string, e: string): string => `arrayFilter(z -> isFinite(z), ${slice('X', s, e)})`;
  switch (plan.c.type) {
    case 'event_count':
      return (s, e) => `toFloat64(${e} - ${s} + 1)`;
    case 'value_count':
      return (s, e) => `toFloat64(arrayUniq(arrayFilter(z -> z > 0, ${slice('VID', s, e)})))`;
    case 'value_sum':
      return (s, e) => `toFloat64(arraySum(${nums(s, e)}))`;
    case 'value_avg':
      return (s, e) => `if(length(${nums(s, e)}) > 0, arraySum(${nums(s, e)}) / length(${nums(s, e)}), toFloat64(0))`;
    case 'temporal':
      return (s, e) => `toFloat64(arrayUniq(${slice('RPA', s, e)}))`;
    default:
      return () => 'toFloat64(0)';
  }
}

/** JS Number() of a value as scan reads it for value_sum / value_avg (number.ts); NaN: left out. */
function numberOf(v: string): string {
  const s = `replaceRegexpAll(ifNull(${v}, ''), '^[ \\t\\n\\r\\v\\f]+|[ \\t\\n\\r\\v\\f]+$', '')`;
  const n = `ifNull(toFloat64OrNull(replaceRegexpOne(${s}, '^\\+', '')), toFloat64('nan'))`;
  // Powers of two are exact doubles: the digit sum is exact up to 2^53, as JavaScript's value.
  // multiIf computes every branch: the digits are listed only when the form matches.
  const radix = (re: string, base: number): string => `arraySum(arrayMap(i -> (position('0123456789abcdef', substring(lower(${s}), i + 3, 1)) - 1) * pow(${base}, length(${s}) - 3 - i),
    range(toUInt64(if(match(${s}, ${chLiteral(re)}), length(${s}) - 2, 0)))))`;
  const forms = RADIX_FORMS.map(({ re, base }) => `match(${s}, ${chLiteral(re)}), ${radix(re, base)}`).join(', ');
  return `multiIf(isNull(${v}) OR ${s} = '', toFloat64(0), ${forms}, match(${s}, ${chLiteral(DECIMAL_RE)}), ${n}, toFloat64('nan'))`;
}
