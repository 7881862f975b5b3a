/**
 * A Sigma correlation as one DuckDB query returning its alerts, with scan's semantics exactly
 * (engine/correlation.ts): the hits of the rules it reads (each rule's WHERE over the event
 * table, or the alerts of a correlation it names), grouped by the group-by values, ordered as scan
 * orders them (time, then the rule's position in `rules`, then file and record), and folded per
 * group with `list_reduce` through the same state machine as scan (sliding windows that start
 * over after firing, tumbling windows for upper bounds, per-hit percentiles, temporal rule sets,
 * ordered chains). One row per alert: see CORRELATION_COLUMNS.
 */
import type { Rule } from '../../model/index.js';
import { sqlString } from '../duckdb/literal.js';
import { DECIMAL_RE, JS_SPACE, RADIX_FORMS } from './number.js';
import { type BaseWhere, type CorrelationPlan, type HitSource, planCorrelation, satisfiedSql } from './plan.js';

export interface CorrelationSqlOptions {
  /** The event table (default `events`). */
  table?: string;
  /** Extra conditions on base hits (hunt's --since/--until). */
  timeWhere?: string[];
  /** Detections that do not print as SQL, with the reason (a correlation reading one is skipped). */
  unprintable?: ReadonlyMap<Rule, string>;
}

export type CorrelationSql = { sql: string } | { skip: string; message: string };

/** Most correlations a chain may nest (rules are untrusted). */
const MAX_CHAIN = 16;

const STATE = 'STRUCT(k INTEGER, ws INTEGER, "out" STRUCT(h INTEGER[], val DOUBLE)[], ls INTEGER[], st INTEGER[], ch INTEGER[][])';

class Printer {
  private readonly ctes: string[] = [];
  private readonly names = new Map<Rule, string>();
  private readonly active = new Set<Rule>();

  constructor(private readonly bases: BaseWhere[], private readonly correlations: Rule[], private readonly opts: CorrelationSqlOptions) {}

  /** The CTE holding this correlation's alerts (printing the correlations it reads first). */
  alerts(rule: Rule): string {
    const done = this.names.get(rule);
    if (done) return done;
    if (this.active.has(rule)) throw new Skip('correlation-cycle', `correlation '${rule.title}' is part of a cycle of correlations`);
    if (this.active.size >= MAX_CHAIN) throw new Skip('correlation-chain-too-deep', `correlations nested deeper than ${MAX_CHAIN}`);
    this.active.add(rule);
    const p = planCorrelation(rule, this.bases, this.correlations, this.opts.unprintable);
    if ('skip' in p) throw new Skip(p.skip, p.message);
    const hits = p.plan.sources.map((s) => this.hitsOf(s));
    this.active.delete(rule);
    const id = `c${this.ctes.length}`;
    this.names.set(rule, id);
    this.ctes.push(...correlationCtes(id, p.plan, hits));
    return id;
  }

  private hitsOf(s: HitSource): string {
    const head = `${s.pos} AS rp, [${s.positions.join(', ')}]::INTEGER[] AS rps, ${sqlString(s.rule.id)} AS rid`;
    if (s.kind === 'detection') {
      const table = this.opts.table ?? 'events';
      const where = ['ts IS NOT NULL', ...(this.opts.timeWhere ?? []), `(${s.where})`].join(' AND ');
      return `SELECT ${head}, file, seq, record_id, timestamp, computer, channel, event_id, epoch_ms(ts) AS t,
    {'a': 0, 'b': 0, 'c': file, 'd': seq, 'e': 0}::STRUCT(a BIGINT, b INTEGER, c VARCHAR, d BIGINT, e INTEGER) AS ok,
    [${s.groupFields.map(fieldValue).join(', ')}]::VARCHAR[] AS g, ${s.valueField === null ? 'NULL' : fieldValue(s.valueField)}::VARCHAR AS v
  FROM ${table} WHERE ${where}`;
    }
    // A chained correlation's hits are its alerts: time = the alert's last hit, fields = its group.
    const inner = this.alerts(s.rule);
    const groupBy = s.rule.correlation!.groupBy;
    const groupValue = (f: string): string => (groupBy.includes(f) ? `g[${groupBy.indexOf(f) + 1}]` : 'NULL');
    return `SELECT ${head}, file, 0::BIGINT AS seq, record_id, timestamp, computer, channel, event_id, CASE WHEN last_ms > 0 THEN last_ms ELSE 0 END AS t,
    {'a': o_t, 'b': o_rp, 'c': o_ok.c, 'd': o_ok.d, 'e': fi}::STRUCT(a BIGINT, b INTEGER, c VARCHAR, d BIGINT, e INTEGER) AS ok,
    [${s.groupFields.map(groupValue).join(', ')}]::VARCHAR[] AS g, ${s.valueField === null ? 'NULL' : groupValue(s.valueField)}::VARCHAR AS v
  FROM ${inner}_alerts`;
  }

  sql(rule: Rule): string {
    const id = this.alerts(rule);
    return `WITH ${this.ctes.join(',\n')}
SELECT g, value, count, first_ms, last_ms, rules, file, record_id, timestamp, computer, channel, event_id
FROM ${id}_alerts ORDER BY last_ms, o_t, o_rp, o_ok, fi`;
  }
}

class Skip extends Error {
  constructor(readonly reason: string, message: string) {
    super(message);
  }
}

/** A correlation rule printed as one DuckDB query over the event table, or why it cannot be. */
export function correlationDuckdb(rule: Rule, bases: BaseWhere[], correlations: Rule[], opts: CorrelationSqlOptions = {}): CorrelationSql {
  try {
    return { sql: new Printer(bases, correlations, opts).sql(rule) };
  } catch (e) {
    if (e instanceof Skip) return { skip: e.reason, message: e.message };
    return { skip: 'not-convertible', message: (e as Error).message };
  }
}

/** scan's valueOf: a single value, or a list joined by ','; NULL when absent or empty. */
function fieldValue(f: string): string {
  const k = sqlString(f);
  return `coalesce(fields[${k}], array_to_string(lists[${k}], ','))`;
}

/** `list_transform([e], lambda n: body)[1]`: names a value used more than once. */
function bind(e: string, name: string, body: string): string {
  return `list_transform([${e}], lambda ${name}: ${body})[1]`;
}

/** JS Number(value) for value_sum / value_avg: absent and blank count as 0; NULL when not finite. */
function numberOf(v: string): string {
  const s = `regexp_replace(${v}, ${sqlString(`^${JS_SPACE}+|${JS_SPACE}+$`)}, '', 'g')`;
  const n = `TRY_CAST(${s} AS DOUBLE)`;
  const radix = RADIX_FORMS.map(({ re, base }) => `WHEN regexp_full_match(${s}, ${sqlString(re)}) THEN ${bind(
    `list_reduce(list_transform(string_split(lower(${s}[3:]), ''), lambda ch: (strpos('0123456789abcdef', ch) - 1)::DOUBLE), lambda acc, d: acc * ${base} + d)`,
    'rx', 'CASE WHEN isfinite(rx) THEN rx END')}`).join(' ');
  return `CASE WHEN ${v} IS NULL OR ${s} = '' THEN 0::DOUBLE ${radix} WHEN regexp_full_match(${s}, ${sqlString(DECIMAL_RE)}) AND isfinite(${n}) THEN ${n} END`;
}

function correlationCtes(id: string, plan: CorrelationPlan, hits: string[]): string[] {
  const { c } = plan;
  const span = Math.max(0, Math.floor(c.timespanMs));
  const hitsSql = hits.length ? hits.join('\n  UNION ALL\n  ')
    : `SELECT 0 AS rp, []::INTEGER[] AS rps, '' AS rid, '' AS file, 0::BIGINT AS seq, NULL::BIGINT AS record_id, NULL::VARCHAR AS timestamp, NULL::VARCHAR AS computer,
    NULL::VARCHAR AS channel, NULL::BIGINT AS event_id, 0::BIGINT AS t, {'a': 0, 'b': 0, 'c': '', 'd': 0, 'e': 0}::STRUCT(a BIGINT, b INTEGER, c VARCHAR, d BIGINT, e INTEGER) AS ok,
    []::VARCHAR[] AS g, NULL::VARCHAR AS v WHERE FALSE`;
  const n = c.rules.length;
  const zeros = `[${new Array(n).fill('0').join(', ')}]::INTEGER[]`;
  const empties = `[${new Array(n).fill('[]').join(', ')}]::INTEGER[][]`;
  const init = `{'k': 0, 'ws': ${plan.mode === 'sliding' ? 1 : 0}, 'out': []::STRUCT(h INTEGER[], val DOUBLE)[], 'ls': ${zeros}, 'st': ${zeros}, 'ch': ${empties}}::${STATE}`;
  const elems = `list_transform(range(1, m + 2), lambda i: {'k': i, 'ws': 0, 'out': []::STRUCT(h INTEGER[], val DOUBLE)[], 'ls': []::INTEGER[], 'st': []::INTEGER[], 'ch': []::INTEGER[][]}::${STATE})`;
  return [
    `${id}_hits AS (
  ${hitsSql}
)`,
    `${id}_groups AS (
  SELECT g, list({'t': t, 'lo': lo::INTEGER, 'rp': rp, 'rps': rps, 'rid': rid, 'v': v, 'x': ${numberOf('v')}, 'ok': ok,
      'file': file, 'record_id': record_id, 'timestamp': timestamp, 'computer': computer, 'channel': channel, 'event_id': event_id} ORDER BY k) AS H
  FROM (SELECT *, min(k) OVER (PARTITION BY g ORDER BY t RANGE BETWEEN ${span} PRECEDING AND CURRENT ROW) AS lo
    FROM (SELECT *, row_number() OVER (PARTITION BY g ORDER BY t, rp, ok) AS k FROM ${id}_hits))
  GROUP BY g
)`,
    `${id}_fires AS (
  SELECT g, H, unnest("out") AS f, unnest(range(1, len("out") + 1)) AS fi
  FROM (SELECT g, H, list_reduce(${elems}, lambda a, x: CASE WHEN x.k > len(H) + 1 THEN a ELSE ${step(plan, span)} END, ${init})."out" AS "out"
    FROM (SELECT *, max(len(H)) OVER () AS m FROM ${id}_groups))
)`,
    `${id}_alerts AS (
  SELECT g, f.val AS value, len(f.h) AS count, H[f.h[1]].t AS first_ms, H[f.h[-1]].t AS last_ms,
    ${bind('list_transform(f.h, lambda j: H[j].rid)', 'rids', 'list_filter(rids, lambda r1, i: list_position(rids, r1) = i)')} AS rules,
    H[f.h[-1]].file AS file, H[f.h[-1]].record_id AS record_id, H[f.h[-1]].timestamp AS timestamp, H[f.h[-1]].computer AS computer,
    H[f.h[-1]].channel AS channel, H[f.h[-1]].event_id AS event_id, H[1].t AS o_t, H[1].rp AS o_rp, H[1].ok AS o_ok, fi
  FROM ${id}_fires
)`,
  ];
}

/** The aggregate of hits s..e (1-based, inclusive) of the group's list H. */
function aggregate(plan: CorrelationPlan, s: string, e: string): string {
  const win = `H[${s}:${e}]`;
  switch (plan.c.type) {
    case 'event_count':
      return `(${e} - ${s} + 1)::DOUBLE`;
    case 'value_count':
      return `len(list_distinct(list_transform(${win}, lambda y: y.v)))::DOUBLE`;
    case 'value_sum':
      return `coalesce(list_sum(list_transform(${win}, lambda y: y.x)), 0)::DOUBLE`;
    case 'value_avg':
      return bind(`list_filter(list_transform(${win}, lambda y: y.x), lambda z: z IS NOT NULL)`, 'xs', 'CASE WHEN len(xs) > 0 THEN list_sum(xs)::DOUBLE / len(xs) ELSE 0::DOUBLE END');
    default:
      throw new Error(`no aggregate for ${plan.c.type}`);
  }
}

/** One step of scan's state machine: state `a`, element `x` (x.k: the hit's index in H; len(H) + 1 closes). */
function step(plan: CorrelationPlan, span: number): string {
  const { c } = plan;
  const n = c.rules.length;
  const k = 'x.k';
  const h = `H[${k}]`;
  const fire = (win: string, val: string): string => `list_append(a."out", {'h': ${win}, 'val': ${val}})`;
  const state = (ws: string, out: string, ls = 'a.ls', st = 'a.st', ch = 'a.ch'): string => `{'k': ${k}, 'ws': ${ws}, 'out': ${out}, 'ls': ${ls}, 'st': ${st}, 'ch': ${ch}}::${STATE}`;
  const closing = `${k} > len(H)`;
  switch (plan.mode) {
    case 'sliding':
      return `CASE WHEN ${closing} THEN a ELSE ${bind(`greatest(a.ws, ${h}.lo)`, 'w0', bind(aggregate(plan, 'w0', k), 'val', bind(satisfiedSql(c.condition, 'val', 1), 'fired',
        state(`CASE WHEN fired THEN ${k} + 1 ELSE w0 END`, `CASE WHEN fired THEN ${fire(`range(w0, ${k} + 1)::INTEGER[]`, 'val')} ELSE a."out" END`))))} END`;
    case 'tumbling':
      return bind(`a.ws > 0 AND (${closing} OR ${h}.t - H[a.ws].t > ${span})`, 'cl', bind(`CASE WHEN cl THEN ${aggregate(plan, 'a.ws', `(${k} - 1)`)} END`, 'val',
        state(`CASE WHEN a.ws = 0 OR cl THEN ${k} ELSE a.ws END`, `CASE WHEN cl AND ${satisfiedSql(c.condition, 'val', 1)} THEN ${fire(`range(a.ws, ${k})::INTEGER[]`, 'val')} ELSE a."out" END`)));
    case 'percentile':
      return `CASE WHEN ${closing} THEN a ELSE ${bind(`${h}.lo`, 'w0', bind(`(100 * len(list_filter(H[w0:${k}], lambda y: y.v IS NOT DISTINCT FROM ${h}.v)))::DOUBLE / (${k} - w0 + 1)`, 'val',
        state('0', `CASE WHEN ${k} - w0 + 1 > 1 AND ${satisfiedSql(c.condition, 'val', 1)} THEN ${fire(`range(w0, ${k} + 1)::INTEGER[]`, 'val')} ELSE a."out" END`)))} END`;
    case 'temporal': {
      const is = `range(1, ${n + 1})`;
      const mine = (i: string): string => `list_contains(${h}.rps, ${i} - 1)`;
      const ls1 = `list_transform(${is}, lambda i: CASE WHEN ${mine('i')} THEN ${k} ELSE a.ls[i] END)`;
      // Map insertion order (scan's lastSeen): a rule seen again keeps its place, a new or evicted one goes last.
      const st1 = `list_transform(${is}, lambda i: CASE WHEN ${mine('i')} AND a.ls[i] = 0 THEN ${k} * ${n + 1} + i ELSE a.st[i] END)`;
      const win = `list_sort(list_transform(list_filter(${is}, lambda i: ls2[i] > 0), lambda i: {'t': H[ls2[i]].t, 's': st1[i], 'h': ls2[i]}))`;
      const distinct = bind(win, 'ents', `list_transform(list_filter(ents, lambda e, j: NOT list_contains(list_transform(ents[1:j - 1], lambda y: y.h), e.h)), lambda e: e.h)`);
      return `CASE WHEN ${closing} THEN a ELSE ${bind(ls1, 'ls1', bind(st1, 'st1', bind(`list_transform(${is}, lambda i: CASE WHEN ls1[i] > 0 AND ${h}.t - H[ls1[i]].t > ${span} THEN 0 ELSE ls1[i] END)`, 'ls2',
        bind(`len(list_filter(ls2, lambda z: z > 0))::DOUBLE`, 'val', bind(satisfiedSql(c.condition, 'val', n), 'fired',
          state('0', `CASE WHEN fired THEN ${fire(distinct, 'val')} ELSE a."out" END`, `CASE WHEN fired THEN ${zeros(n)} ELSE ls2 END`, `CASE WHEN fired THEN ${zeros(n)} ELSE st1 END`))))))} END`;
    }
    case 'ordered': {
      const is = `range(1, ${n + 1})`;
      const ch1 = `list_transform(${is}, lambda i: CASE WHEN NOT list_contains(${h}.rps, i - 1) THEN a.ch[i] WHEN i = 1 THEN [${k}]
        WHEN len(a.ch[i - 1]) > 0 AND ${h}.t - H[a.ch[i - 1][1]].t <= ${span} THEN list_append(a.ch[i - 1], ${k}) ELSE a.ch[i] END)`;
      return `CASE WHEN ${closing} THEN a ELSE ${bind(ch1, 'ch1', bind(`len(ch1[${n}]) > 0`, 'fired',
        state('0', `CASE WHEN fired THEN ${fire(`ch1[${n}]`, `${n}::DOUBLE`)} ELSE a."out" END`, 'a.ls', 'a.st', `CASE WHEN fired THEN [${new Array(n).fill('[]').join(', ')}]::INTEGER[][] ELSE ch1 END`)))} END`;
    }
  }
}

function zeros(n: number): string {
  return `[${new Array(n).fill('0').join(', ')}]::INTEGER[]`;
}
