/**
 * A Sigma correlation rule resolved for printing as SQL, whatever the dialect: the rules it reads
 * (detections with their SQL WHERE, or other correlations), each source's position in `rules`,
 * the field each group-by name and the condition's field read for that source (aliases), and how
 * the correlation judges its windows. The meaning is scan's (engine/correlation.ts), step for step.
 */
import type { Correlation, CorrelationCondition, Rule } from '../../model/index.js';
import { ruleKeys } from '../../engine/correlation.js';

/** A detection the correlation reads, printed as a WHERE over the event table. */
export interface BaseWhere {
  rule: Rule;
  where: string;
}

/** One source of hits: a detection (its WHERE) or a correlation named by this one (chained). */
export type HitSource =
  | { kind: 'detection'; rule: Rule; where: string; pos: number; positions: number[]; groupFields: string[]; valueField: string | null }
  | { kind: 'correlation'; rule: Rule; pos: number; positions: number[]; groupFields: string[]; valueField: string | null };

/**
 * How windows are judged (engine/correlation.ts): `sliding` fires as soon as a lower-bound
 * condition holds, then starts over; `tumbling` judges windows of `timespan` from their first hit
 * when they close (upper bounds); `percentile` judges every hit; `temporal` / `ordered` track the
 * rules seen.
 */
export type WindowMode = 'sliding' | 'tumbling' | 'percentile' | 'temporal' | 'ordered';

export interface CorrelationPlan {
  rule: Rule;
  c: Correlation;
  mode: WindowMode;
  sources: HitSource[];
}

export type PlanResult = { plan: CorrelationPlan } | { skip: string; message: string };

export function windowMode(c: Correlation): WindowMode {
  if (c.type === 'temporal') return 'temporal';
  if (c.type === 'temporal_ordered') return 'ordered';
  if (c.type === 'value_percentile') return 'percentile';
  const k = c.condition;
  const upper = k && (k.lt !== undefined || k.lte !== undefined || k.eq !== undefined || k.neq !== undefined);
  return upper ? 'tumbling' : 'sliding';
}

/** The field a name reads in the hits of one source (aliases name rules by `name` first, then id). */
export function fieldFor(c: Correlation, name: string, rule: Rule): string {
  const alias = c.aliases[name];
  if (!alias) return name;
  return alias[String(rule.extra.name ?? '')] ?? alias[rule.id] ?? name;
}

/**
 * Resolves what a correlation reads. `bases` are the detections that print as SQL; a referenced
 * detection that does not is a reason to skip (its hits would be missing). Correlations named by
 * this one become chained sources.
 */
export function planCorrelation(rule: Rule, bases: BaseWhere[], correlations: Rule[], unprintable: ReadonlyMap<Rule, string> = new Map()): PlanResult {
  const c = rule.correlation!;
  const sources: HitSource[] = [];
  const consider = (r: Rule, kind: 'detection' | 'correlation', where?: string): HitSource | undefined => {
    const keys = ruleKeys(r);
    const positions = c.rules.map((k, i) => (keys.includes(k) ? i : -1)).filter((i) => i >= 0);
    if (!positions.length) return undefined;
    const groupFields = c.groupBy.map((g) => fieldFor(c, g, r));
    const valueField = c.condition?.field ? fieldFor(c, c.condition.field, r) : null;
    const common = { rule: r, pos: positions[0], positions, groupFields, valueField };
    return kind === 'detection' ? { kind, where: where!, ...common } : { kind, ...common };
  };
  for (const [r, reason] of unprintable) {
    if (consider(r, 'detection', '')) return { skip: 'correlation-base-not-sql', message: `rule '${r.title}' (${r.id}) that the correlation reads does not print as SQL: ${reason}` };
  }
  for (const b of bases) {
    const s = consider(b.rule, 'detection', b.where);
    if (s) sources.push(s);
  }
  for (const r of correlations) {
    if (r === rule) continue;
    const s = consider(r, 'correlation');
    if (s) sources.push(s);
  }
  // Hits of equal time keep scan's order: by the first position naming their rule.
  sources.sort((a, b) => a.pos - b.pos);
  return { plan: { rule, c, mode: windowMode(c), sources } };
}

/** Whether the condition holds for `n` (no bound given: n >= fallback), as SQL over the expression `n`. */
export function satisfiedSql(cond: CorrelationCondition | undefined, n: string, fallback: number): string {
  const ops: Array<[keyof CorrelationCondition, string]> = [['gt', '>'], ['gte', '>='], ['lt', '<'], ['lte', '<='], ['eq', '='], ['neq', '<>']];
  const parts: string[] = [];
  for (const [k, op] of ops) {
    const limit = cond?.[k];
    if (typeof limit !== 'number') continue;
    parts.push(`${n} ${op} ${numberLiteral(limit)}`);
  }
  return parts.length ? `(${parts.join(' AND ')})` : `(${n} >= ${fallback})`;
}

/** A JS number as SQL text (rule values are untrusted: only finite numbers print). */
export function numberLiteral(x: number): string {
  if (!Number.isFinite(x)) throw new Error(`not a finite number: ${x}`);
  return Number.isInteger(x) ? String(x) : x.toExponential();
}
