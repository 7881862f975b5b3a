/** Sigma correlation documents into the model's Correlation. */
import type { Correlation, CorrelationCondition, CorrelationType } from '../../model/index.js';
import { SigmaError } from './errors.js';

const TYPES: readonly CorrelationType[] = [
  'event_count', 'value_count', 'temporal', 'temporal_ordered', 'value_sum', 'value_avg', 'value_percentile',
];
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const CONDITION_KEYS = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'] as const;

export function parseTimespan(v: unknown): number {
  const m = /^(\d+)([smhdw])$/.exec(String(v ?? '').trim());
  if (!m) throw new SigmaError('invalid-correlation', `timespan '${String(v)}' must be a number and one of s, m, h, d, w`);
  return Number(m[1]) * UNIT_MS[m[2]];
}

export function parseCorrelation(c: unknown): Correlation {
  if (!c || typeof c !== 'object' || Array.isArray(c)) throw new SigmaError('invalid-correlation', "'correlation' must be a map");
  const o = c as Record<string, unknown>;
  const type = o.type as CorrelationType;
  if (!TYPES.includes(type)) throw new SigmaError('invalid-correlation', `unknown correlation type '${String(o.type)}'`);
  const rules = toStringList(o.rules, 'rules');
  if (rules.length === 0) throw new SigmaError('invalid-correlation', "'rules' is empty");
  const groupBy = o['group-by'] === undefined ? [] : toStringList(o['group-by'], 'group-by');
  const timespanMs = parseTimespan(o.timespan);
  let condition: CorrelationCondition | undefined;
  if (o.condition !== undefined) {
    if (!o.condition || typeof o.condition !== 'object') throw new SigmaError('invalid-correlation', "'condition' must be a map");
    const cond = o.condition as Record<string, unknown>;
    condition = {};
    for (const [k, v] of Object.entries(cond)) {
      if (k === 'field') condition.field = Array.isArray(v) ? v.map(String).join(',') : String(v);
      else if (k === 'percentile') condition.percentile = Number(v);
      else if ((CONDITION_KEYS as readonly string[]).includes(k)) {
        const n = Number(v);
        if (!Number.isFinite(n)) throw new SigmaError('invalid-correlation', `condition ${k}: '${String(v)}' is not a number`);
        condition[k as (typeof CONDITION_KEYS)[number]] = n;
      } else throw new SigmaError('invalid-correlation', `unknown condition key '${k}'`);
    }
  }
  const needsCondition = type !== 'temporal' && type !== 'temporal_ordered';
  if (needsCondition && !condition) throw new SigmaError('invalid-correlation', `${type} needs a condition`);
  if (type.startsWith('value_') && !condition?.field) throw new SigmaError('invalid-correlation', `${type} needs condition.field`);
  const aliases: Record<string, Record<string, string>> = {};
  if (o.aliases && typeof o.aliases === 'object') {
    for (const [alias, map] of Object.entries(o.aliases as Record<string, unknown>)) {
      if (!map || typeof map !== 'object') throw new SigmaError('invalid-correlation', `alias '${alias}' must map rule names to fields`);
      aliases[alias] = Object.fromEntries(Object.entries(map as Record<string, unknown>).map(([r, f]) => [r, String(f)]));
    }
  }
  return { type, rules, groupBy, timespanMs, condition, aliases, generate: o.generate === true };
}

function toStringList(v: unknown, what: string): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  throw new SigmaError('invalid-correlation', `'${what}' must be a string or a list of strings`);
}
