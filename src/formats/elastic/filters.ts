import type { Detection, Loss, Op, Scalar } from '../../model/index.js';
import { and, not, or, pred, unknown } from '../../model/index.js';
import { classifyPattern, groupedPredicates, patternParts } from './pattern.js';
import { str, table, tables } from './toml.js';
import type { Table } from './toml.js';

/**
 * Kibana filters ([[rule.filters]]): Elasticsearch query DSL clauses and-ed to the query. Supported:
 * exists, match_phrase, match, term, terms, wildcard (backslash escapes, case_insensitive), prefix,
 * range, bool (must/filter -> and, should -> or, must_not -> not). meta.negate wraps in `not`,
 * meta.disabled skips. Anything else is an unknown node quoting its JSON text, and a loss (the
 * loss has no offset: filters are not in the query text).
 */
export function lowerFilters(filters: unknown): { detection?: Detection; losses: Loss[] } {
  const out: Detection[] = [];
  const losses: Loss[] = [];
  for (const f of tables(filters)) {
    const meta = table(f.meta);
    if (meta?.disabled === true) continue;
    const body = table(f.query) ?? (f.exists ? { exists: f.exists } : undefined) ?? (f.bool ? { bool: f.bool } : undefined);
    if (!body) {
      const text = JSON.stringify(f);
      losses.push({ text, reason: 'unsupported-filter', detail: 'a Kibana filter without a query' });
      out.push(unknown(text, 'a Kibana filter without a query'));
      continue;
    }
    const d = dsl(body, losses);
    out.push(meta?.negate === true ? not(d) : d);
  }
  return { ...(out.length ? { detection: and(out) } : {}), losses };
}

function lost(v: unknown, losses: Loss[]): Detection {
  const text = JSON.stringify(v);
  const detail = 'a query DSL clause with no predicate form';
  losses.push({ text, reason: 'unsupported-filter', detail });
  return unknown(text, detail);
}

function scalar(v: unknown): Scalar | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

/** One DSL clause: {kind: {field: ...}}. */
function dsl(q: Table, losses: Loss[]): Detection {
  const parts: Detection[] = [];
  for (const [kind, arg] of Object.entries(q)) {
    const t = table(arg);
    if (kind === 'exists') {
      const field = str(t?.field);
      parts.push(field ? pred(field, 'exists', []) : lost(q, losses));
      continue;
    }
    if (kind === 'bool' && t) {
      const kids: Detection[] = [];
      const sub = (c: Table): Detection => dsl(c, losses);
      for (const key of ['must', 'filter']) kids.push(...clauses(t[key]).map(sub));
      const should = clauses(t.should).map(sub);
      if (should.length) kids.push(or(should));
      const mustNot = clauses(t.must_not).map(sub);
      if (mustNot.length) kids.push(not(or(mustNot)));
      // An empty bool query matches every document.
      parts.push(kids.length ? and(kids) : { kind: 'const', value: true });
      continue;
    }
    const entries = t ? Object.entries(t) : [];
    if (entries.length !== 1) {
      parts.push(lost({ [kind]: arg }, losses));
      continue;
    }
    const [field, spec] = entries[0];
    const st = table(spec);
    const d = fieldClause(kind, field, st, spec);
    parts.push(d ?? lost({ [kind]: arg }, losses));
  }
  return and(parts);
}

function clauses(v: unknown): Table[] {
  if (Array.isArray(v)) return tables(v);
  const t = table(v);
  return t ? [t] : [];
}

function fieldClause(kind: string, field: string, st: Table | undefined, spec: unknown): Detection | undefined {
  switch (kind) {
    case 'match_phrase':
    case 'match':
    case 'term': {
      const v = scalar(st ? (st.query ?? st.value) : spec);
      return v === undefined ? undefined : pred(field, 'eq', [v], typeof v === 'string' ? { cased: st?.case_insensitive !== true } : {});
    }
    case 'terms': {
      const vs = Array.isArray(spec) ? spec.map(scalar).filter((x): x is Scalar => x !== undefined) : [];
      return vs.length ? pred(field, 'eq', vs, { cased: true }) : undefined;
    }
    case 'wildcard':
    case 'prefix': {
      const v = str(st ? st.value ?? st.wildcard : spec);
      if (v === undefined) return undefined;
      const cased = st?.case_insensitive !== true;
      if (kind === 'prefix') return pred(field, 'starts_with', [v], { cased });
      return groupedPredicates(field, [classifyPattern(patternParts(v, '*?', true))], { cased });
    }
    case 'range': {
      if (!st) return undefined;
      const kids: Detection[] = [];
      for (const op of ['gt', 'gte', 'lt', 'lte'] as Op[]) {
        const v = scalar(st[op]);
        if (v !== undefined) kids.push(pred(field, op, [v]));
      }
      return kids.length ? and(kids) : undefined;
    }
    default:
      return undefined;
  }
}
