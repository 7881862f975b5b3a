import type { Detection, Op, Scalar } from '../../model/index.js';
import { and, not, or, pred } from '../../model/index.js';
import { classifyPattern, groupedPredicates, patternParts } from './pattern.js';
import { str, table, tables } from './toml.js';
import type { Table } from './toml.js';

/**
 * Kibana filters ([[rule.filters]]): Elasticsearch query DSL clauses and-ed to the query. Supported:
 * exists, match_phrase, match, term, terms, wildcard (backslash escapes, case_insensitive), prefix,
 * range, bool (must/filter -> and, should -> or, must_not -> not). meta.negate wraps in `not`,
 * meta.disabled skips. Anything else becomes an opaque predicate named after its JSON text.
 */
export function lowerFilters(filters: unknown): Detection | undefined {
  const out: Detection[] = [];
  for (const f of tables(filters)) {
    const meta = table(f.meta);
    if (meta?.disabled === true) continue;
    const body = table(f.query) ?? (f.exists ? { exists: f.exists } : undefined) ?? (f.bool ? { bool: f.bool } : undefined);
    if (!body) continue;
    const d = dsl(body);
    out.push(meta?.negate === true ? not(d) : d);
  }
  return out.length ? and(out) : undefined;
}

function opaque(v: unknown): Detection {
  const t = JSON.stringify(v);
  return pred(t, 'eq', [true], {}, t);
}

function scalar(v: unknown): Scalar | undefined {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? v : undefined;
}

/** One DSL clause: {kind: {field: ...}}. */
function dsl(q: Table): Detection {
  const parts: Detection[] = [];
  for (const [kind, arg] of Object.entries(q)) {
    const t = table(arg);
    if (kind === 'exists') {
      const field = str(t?.field);
      parts.push(field ? pred(field, 'exists', []) : opaque(q));
      continue;
    }
    if (kind === 'bool' && t) {
      const kids: Detection[] = [];
      for (const key of ['must', 'filter']) kids.push(...clauses(t[key]).map(dsl));
      const should = clauses(t.should).map(dsl);
      if (should.length) kids.push(or(should));
      const mustNot = clauses(t.must_not).map(dsl);
      if (mustNot.length) kids.push(not(or(mustNot)));
      parts.push(kids.length ? and(kids) : { kind: 'const', value: true });
      continue;
    }
    const entries = t ? Object.entries(t) : [];
    if (entries.length !== 1) {
      parts.push(opaque({ [kind]: arg }));
      continue;
    }
    const [field, spec] = entries[0];
    const st = table(spec);
    const d = fieldClause(kind, field, st, spec);
    parts.push(d ?? opaque({ [kind]: arg }));
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
