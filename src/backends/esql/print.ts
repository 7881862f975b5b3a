import type { Aggregation, ComputedTest, Detection, NamedValue, Predicate, Scalar, ValueExpr } from '../../model/index.js';
import { re2ToLuceneRegex } from '../../formats/elastic/lucene-regex.js';
import { printBoolean } from '../elastic/boolean-print.js';
import { fail } from '../elastic/print-error.js';
import { globParts, quoted } from '../elastic/strings.js';

/**
 * Writes a predicate tree on ECS fields as an ES|QL WHERE condition our ES|QL lowering reads back
 * to the same predicates: `==` / `in` / `!=`, `like` patterns (backslash escapes), `rlike` (whole
 * value), `is not null`, `cidr_match`, comparisons, field-to-field tests; case-insensitive tests go
 * through to_lower() (values without capitals) or to_upper() (values without small letters).
 */
export function printEsqlCondition(d: Detection, opts: { unknownText?: boolean } = {}): string {
  return printBoolean(d, { pred: (p) => `(${pred(p)})`, constant: String, unknownText: opts.unknownText, computed: (c) => `(${computedTest(c, opts)})` });
}

const INFIX = new Set(['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=']);

/**
 * A computed value as an ES|QL expression: functions and operators written out, conditions in
 * parentheses; a GROK/DISSECT capture or a STATS column by its name (the pipeline's command computes it).
 */
export function printEsqlValue(v: ValueExpr, opts: { unknownText?: boolean } = {}): string {
  switch (v.kind) {
    case 'field':
      return esqlField(v.field);
    case 'literal':
      return literal(v.value);
    case 'test':
      return `(${printEsqlCondition(v.detection, opts)})`;
    case 'extract':
      return esqlField(v.key);
    case 'column':
    case 'window':
      return esqlField(v.name);
    case 'call': {
      const args = v.args.map((a) => printEsqlValue(a, opts));
      if (INFIX.has(v.fn) && args.length === 2) return `(${args[0]} ${v.fn} ${args[1]})`;
      if (v.fn === '-' && args.length === 1) return `(-${args[0]})`;
      if (v.fn.startsWith('::') && args.length === 1) return `(${args[0]})${v.fn}`;
      if (!/^[a-z_][a-z0-9_]*$/.test(v.fn)) return fail('function', `no ES|QL form for the function ${v.fn}`);
      return v.fn === 'count' && args.length === 0 ? 'count(*)' : `${v.fn}(${args.join(', ')})`;
    }
  }
}

/** A test of a computed value: the value written in place (or by its name when a command computes it). */
function computedTest(c: ComputedTest, opts: { unknownText?: boolean }): string {
  if (c.flags.cased === false || c.flags.fieldref) return fail('computed', 'a case-insensitive or field-to-field test of a computed value');
  const byName = c.name !== null && (c.value.kind === 'extract' || c.value.kind === 'column' || c.value.kind === 'window');
  const left = byName ? esqlField(c.name!) : printEsqlValue(c.value, opts);
  // a condition computed in place (a != b, f(x) returning a boolean) is written bare
  if (c.op === 'eq' && c.values.length === 1 && c.values[0] === true && c.value.kind === 'call') return left;
  return opText(left, left, c.op, c.values, c.flags, false);
}

export function esqlField(f: string): string {
  return f.split('.').every((s) => /^[A-Za-z_@][A-Za-z0-9_@]*$/.test(s)) ? f : `\`${f.replace(/`/g, '``')}\``;
}

function literal(v: Scalar): string {
  if (v === null) return 'null';
  return typeof v === 'string' ? quoted(v) : String(v);
}

const likeEscape = (s: string): string => s.replace(/[\\*?]/g, (c) => `\\${c}`);

function pred(p: Predicate): string {
  if (p.field === null) return fail('keyword', 'ES|QL WHERE has no keyword search');
  if (p.flags.encodings?.length || p.flags.timePart || p.flags.anySeparator) return fail('flags', `ES|QL cannot express the flags ${JSON.stringify(p.flags)}`);
  const vs = p.values;
  const strings = vs.filter((v): v is string => typeof v === 'string');
  const folded = strings.length > 0 && p.flags.cased === false;
  // A case-insensitive test is a test of the folded field: to_lower when the values have no capitals, else to_upper.
  const letters = (p.op === 'regex_match' ? strings.map((v) => (re2ToLuceneRegex(v) ?? v).replace(/\\./g, '')) : strings);
  const fold = p.flags.fieldref || letters.every((v) => v === v.toLowerCase()) ? 'to_lower' : letters.every((v) => v === v.toUpperCase()) ? 'to_upper' : undefined;
  const lower = (x: string): string => (folded ? `${fold ?? fail('case', 'a case-insensitive test of values with both cases')}(${esqlField(x)})` : esqlField(x));
  if (p.flags.fieldref) {
    const f = lower(p.field);
    const g = lower(String(vs[0]));
    const ops: Record<string, string> = { eq: '==', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };
    if (ops[p.op]) return `${f} ${ops[p.op]} ${g}`;
    if (p.op === 'starts_with' || p.op === 'ends_with' || p.op === 'contains') return `${p.op}(${f}, ${g})`;
    return fail('fieldref', `a field comparison with ${p.op}`);
  }
  return opText(lower(p.field), esqlField(p.field), p.op, vs, p.flags, folded);
}

/** The test `op values` on the written left side `f` (`raw`: the left side without case folding). */
function opText(f: string, raw: string, op: Predicate['op'], vs: Scalar[], flags: Predicate['flags'], folded: boolean): string {
  const strings = vs.filter((v): v is string => typeof v === 'string');
  switch (op) {
    case 'eq':
    case 'in':
      return vs.length === 1 ? `${f} == ${literal(vs[0])}` : `${f} in (${vs.map(literal).join(', ')})`;
    case 'ne':
      return vs.length === 1 ? `${f} != ${literal(vs[0])}` : fail('ne', 'a != with several values');
    case 'starts_with':
    case 'ends_with':
    case 'contains': {
      const pats = strings.map((v) => quoted(op === 'starts_with' ? `${likeEscape(v)}*` : op === 'ends_with' ? `*${likeEscape(v)}` : `*${likeEscape(v)}*`));
      return pats.length === 1 ? `${f} like ${pats[0]}` : `${f} like (${pats.join(', ')})`;
    }
    case 'wildcard': {
      const pats = strings.map((v) => quoted(globParts(v).map((x) => ('wild' in x ? x.wild : likeEscape(x.lit))).join('')));
      return pats.length === 1 ? `${f} like ${pats[0]}` : `${f} like (${pats.join(', ')})`;
    }
    case 'regex_match': {
      const res = strings.map((v) => re2ToLuceneRegex(v) ?? fail('regex', `a regex ES|QL cannot say whole-value: ${v}`));
      if (folded !== (flags.regexFlags ?? '').includes('i')) return fail('regex', 'a regex whose case flag and case-sensitivity disagree');
      return res.length === 1 ? `${f} rlike ${quoted(res[0])}` : `${f} rlike (${res.map(quoted).join(', ')})`;
    }
    case 'exists':
      return vs[0] === false ? `${raw} is null` : `${raw} is not null`;
    case 'cidr':
      return `cidr_match(${raw}, ${vs.map(literal).join(', ')})`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const sym = op === 'lt' ? '<' : op === 'lte' ? '<=' : op === 'gt' ? '>' : '>=';
      return `${f} ${sym} ${literal(vs[0])}`;
    }
  }
}

/**
 * The GROK / DISSECT commands that compute the captures a tree reads, inner inputs first: a capture
 * of a field reads the field, of a computed value an EVAL'd column `_inputN`. Two different
 * captures with one name cannot be written in one pipeline.
 */
export function printEsqlExtractions(d: Detection | undefined, values: ValueExpr[] = []): string[] {
  const out: string[] = [];
  const done = new Map<string, string>();
  const inputs = new Map<string, string>();
  const visitValue = (v: ValueExpr): void => {
    if (v.kind === 'call') v.args.forEach(visitValue);
    else if (v.kind === 'test') visit(v.detection);
    else if (v.kind === 'window') {
      [v.value, ...v.by].forEach(visitValue);
      if (v.where) visit(v.where);
    }
    else if (v.kind === 'extract') {
      visitValue(v.input);
      const sig = JSON.stringify([v.command, v.input, v.pattern]);
      const prev = done.get(v.key);
      if (prev !== undefined && prev !== sig) fail('extract', `two captures named ${v.key}`);
      if (prev !== undefined) return;
      done.set(v.key, sig);
      const inSig = JSON.stringify([v.command, v.input, v.pattern]);
      if (inputs.has(inSig)) return;
      let input: string;
      if (v.input.kind === 'field') input = esqlField(v.input.field);
      else if (v.input.kind === 'extract') input = esqlField(v.input.key);
      else {
        input = `_input${inputs.size}`;
        out.push(`eval ${input} = ${printEsqlValue(v.input)}`);
      }
      inputs.set(inSig, input);
      if (v.pattern.includes('"""')) fail('extract', 'a pattern holding """');
      out.push(`${v.command} ${input} """${v.pattern}"""`);
    }
  };
  const visit = (x: Detection): void => {
    if (x.kind === 'and' || x.kind === 'or') x.children.forEach(visit);
    else if (x.kind === 'not') visit(x.child);
    else if (x.kind === 'computed') visitValue(x.value);
  };
  if (d) visit(d);
  values.forEach(visitValue);
  return out;
}

/** The values a stage reads from the rows before it (keys, aggregate arguments, aggregate filters). */
export function stageInputs(a: Aggregation): ValueExpr[] {
  return [...a.by, ...a.columns].flatMap((n) => [n.value, ...(n.where ? [{ kind: 'test' as const, detection: n.where }] : [])]);
}

/**
 * An aggregation stage as ES|QL: `stats col = agg(...) [where cond], ... by key, ...` and, when the
 * stage has a group condition, `where ...` after it (commands of one pipeline, without the `|`).
 */
export function printEsqlAggregation(a: Aggregation, opts: { unknownText?: boolean } = {}): string[] {
  const named = (n: NamedValue): string => {
    if (n.value.kind === 'field' && n.value.field === n.name) return esqlField(n.name);
    return `${esqlField(n.name)} = ${printEsqlValue(n.value)}${n.where ? ` where ${printEsqlCondition(n.where)}` : ''}`;
  };
  if (a.columns.length === 0 && a.by.length === 0) return fail('stats', 'a STATS stage with no column');
  const by = a.by.length ? ` by ${a.by.map(named).join(', ')}` : '';
  const out = [a.columns.length ? `stats ${a.columns.map(named).join(', ')}${by}` : `stats${by}`];
  if (a.having) out.push(`where ${printEsqlCondition(a.having, opts)}`);
  return out;
}

/** The INLINE STATS aggregates a tree reads (by name, first seen first). */
export function windowsOf(d: Detection): Array<Extract<ValueExpr, { kind: 'window' }>> {
  const out = new Map<string, Extract<ValueExpr, { kind: 'window' }>>();
  const visitValue = (v: ValueExpr): void => {
    if (v.kind === 'call') v.args.forEach(visitValue);
    else if (v.kind === 'test') visit(v.detection);
    else if (v.kind === 'extract') visitValue(v.input);
    else if (v.kind === 'window' && !out.has(v.name)) out.set(v.name, v);
  };
  const visit = (x: Detection): void => {
    if (x.kind === 'and' || x.kind === 'or') x.children.forEach(visit);
    else if (x.kind === 'not') visit(x.child);
    else if (x.kind === 'computed') visitValue(x.value);
  };
  visit(d);
  return [...out.values()];
}

/** One INLINE STATS command computing these aggregates (they must share keys and scope). */
export function printEsqlInlineStats(ws: Array<Extract<ValueExpr, { kind: 'window' }>>): string {
  const by = JSON.stringify(ws[0].by);
  if (ws.some((w) => JSON.stringify(w.by) !== by)) fail('inline stats', 'INLINE STATS aggregates with different keys');
  const cols = ws.map((w) => `${esqlField(w.name)} = ${printEsqlValue(w.value)}${w.where ? ` where ${printEsqlCondition(w.where)}` : ''}`);
  return `inline stats ${cols.join(', ')}${ws[0].by.length ? ` by ${ws[0].by.map((b) => printEsqlValue(b)).join(', ')}` : ''}`;
}
