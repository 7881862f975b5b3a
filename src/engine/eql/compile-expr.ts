/**
 * Analysis of one EQL expression: checks it against the Elasticsearch dialect (known functions,
 * arities, literal argument types, operators) and compiles it into a closure over a document.
 * Errors are AnalysisFailure with the span of the offending node (turned into values by analyze.ts).
 */
import type { Expr, Literal } from '../../formats/eql/ast.js';
import { cidrContains, parseCidr, parseIp } from '../../util/cidr.js';
import { compileRegex } from '../../util/regex.js';
import { requiredLiterals, requiresNonAscii } from '../regex-literals.js';
import { memoTest } from './regex-memo.js';
import { foldCached } from './fold-cache.js';
import { foldString } from '../case-fold.js';
import { compileGlob, globMatch } from '../glob.js';
import { AnalysisFailure } from './errors.js';
import { ENDGAME_ONLY_FUNCTIONS, FUNCTIONS, divideValues, moduloValues } from './functions.js';
import type { ArgType } from './functions.js';
import { constantTestKey, readsField, shared } from './shared-tests.js';
import { WildcardSet } from './wildcard-set.js';
import { EqualityTable } from './equality-table.js';
import type { Doc, Scalar, Value } from './values.js';
import { eqlPatternToGlob, equals, first, hasWildcard, order, sharedFieldReader, some, toNumber } from './values.js';

export type Eval = (doc: Doc) => Value;

export interface Dialect {
  /** `elasticsearch` (default) or `endgame` (Python EQL: `=`, and case-insensitive as below). */
  name: 'elasticsearch' | 'endgame';
  /**
   * true: strings compare case-insensitively everywhere (`==`, `!=`, `in`, ordering, every string
   * function as its `~` form), as Elasticsearch 7.10's `case_sensitive: false` request option did.
   * false: case-sensitive everywhere (Python EQL's case-sensitive mode). Unset: the dialect's rules
   * (Python EQL: `==`, `=`, `in` insensitive; Elasticsearch: only `:` and the `~` forms).
   */
  caseInsensitive?: boolean;
}

interface Node {
  ev: Eval;
  type: 'boolean' | 'string' | 'number' | 'null' | 'unknown';
  /** A number that is real (2.0, or computed from one): division stays real. */
  real?: boolean;
  literal?: { value: Literal };
}

export const truthy = (v: Value): boolean => (Array.isArray(v) ? v.includes(true) : v === true);

export function compileCondition(e: Expr, dialect: Dialect): (doc: Doc) => boolean {
  const n = new ExprCompiler(dialect).node(e);
  if (n.type === 'string' || n.type === 'number') throw new AnalysisFailure(e.span, `a condition must be a boolean test, found a ${n.type} expression`);
  const ev = n.ev;
  return (doc) => truthy(ev(doc));
}

/** A value expression (join keys): fields, functions, arithmetic. */
export function compileValue(e: Expr, dialect: Dialect): Eval {
  return new ExprCompiler(dialect).node(e).ev;
}

/** A character beyond ASCII (V8's own regex: a linear scan, no call into RE2). */
const NON_ASCII = /[^\x00-\x7f]/;

const literalType = (v: Literal): Node['type'] => (v === null ? 'null' : typeof v === 'boolean' ? 'boolean' : typeof v === 'number' ? 'number' : 'string');

class ExprCompiler {
  private readonly insensitive: boolean;

  constructor(private readonly dialect: Dialect) {
    this.insensitive = dialect.caseInsensitive === true;
  }

  node(e: Expr): Node {
    switch (e.type) {
      case 'literal': {
        const v = e.value;
        return { ev: () => v, type: literalType(v), real: e.real === true, literal: { value: v } };
      }
      case 'field': {
        if (e.path.some((p) => p.startsWith('['))) throw new AnalysisFailure(e.span, `array indexing (${e.name}) is a Python EQL (Endgame) feature, not in the Elasticsearch dialect`);
        return { ev: sharedFieldReader(e.path), type: 'unknown' };
      }
      case 'and': {
        const ops = e.operands.map((o) => this.bool(o));
        // Loops, not every(): no closure per evaluation (the hot path of a scan with Elastic rules).
        return {
          ev: (d) => {
            for (const f of ops) if (!truthy(f(d))) return false;
            return true;
          },
          type: 'boolean',
        };
      }
      case 'or': {
        const ops = e.operands.map((o) => this.bool(o));
        return {
          ev: (d) => {
            for (const f of ops) if (truthy(f(d))) return true;
            return false;
          },
          type: 'boolean',
        };
      }
      case 'not': {
        const f = this.bool(e.operand);
        // Python EQL: not(null) stays null; Elasticsearch (a must_not query): true.
        if (this.dialect.name === 'endgame') return { ev: (d) => { const v = f(d); return v === null ? null : !truthy(v); }, type: 'boolean' };
        return { ev: (d) => !truthy(f(d)), type: 'boolean' };
      }
      case 'compare': {
        const key = constantTestKey(e.left, [e.right], `cmp${e.op}${this.mode}`);
        return key ? this.interned(key, () => this.compare(e)) : this.compare(e);
      }
      case 'match': {
        const key = constantTestKey(e.left, e.patterns, `match${e.op}${e.insensitive}${e.negated}${this.mode}`);
        return key ? this.interned(key, () => this.match(e)) : this.match(e);
      }
      case 'in': {
        const key = constantTestKey(e.left, e.values, `in${e.insensitive}${e.negated}${this.mode}`);
        return key ? this.interned(key, () => this.inList(e)) : this.inList(e);
      }
      case 'call':
        return this.call(e);
      case 'arith':
        return this.arith(e);
      case 'neg': {
        const n = this.numeric(e.operand, 'negate');
        return { ev: (d) => { const x = toNumber(first(n.ev(d))); return x === null ? null : -x; }, type: 'number', real: n.real };
      }
      case 'lineage':
        throw new AnalysisFailure(e.span, `'${e.relation} of' (process lineage) is a Python EQL (Endgame) feature, not in the Elasticsearch dialect`);
    }
  }

  /** Dialect flags that change a test's meaning (part of the interning key). */
  private get mode(): string {
    return `${this.dialect.name}/${String(this.dialect.caseInsensitive)}`;
  }

  /** A boolean test shared across queries (see `shared`); analysis errors still come from `build`. */
  private interned(key: string, build: () => Node): Node {
    let node: Node | undefined;
    const ev = shared(key, () => {
      node = build();
      return node.ev;
    });
    return { type: node?.type ?? 'boolean', ev };
  }

  private bool(e: Expr): Eval {
    const n = this.node(e);
    if (n.type === 'string' || n.type === 'number') throw new AnalysisFailure(e.span, `expected a boolean test, found a ${n.type} expression`);
    return n.ev;
  }

  private numeric(e: Expr, what: string): Node {
    const n = this.node(e);
    if (n.type === 'string' || n.type === 'boolean') throw new AnalysisFailure(e.span, `cannot ${what} a ${n.type}: a number is expected`);
    return n;
  }

  /** Elasticsearch compares fields with constants only (its parser rejects field-to-field tests). */
  private constantSide(left: Expr, right: Expr, whole: Expr): void {
    if (this.dialect.name === 'elasticsearch' && readsField(left) && readsField(right)) {
      throw new AnalysisFailure(whole.span, 'comparing a field with another field is not supported in the Elasticsearch dialect');
    }
  }

  private compare(e: Extract<Expr, { type: 'compare' }>): Node {
    this.constantSide(e.left, e.right, e);
    if (e.op === '=' && this.dialect.name !== 'endgame') throw new AnalysisFailure(e.span, "'=' is Python EQL's equality: use '==' (case-sensitive) or ':' (case-insensitive)");
    const l = this.node(e.left);
    const r = this.node(e.right);
    const L = l.ev;
    const R = r.ev;
    const insensitive = this.insensitive;
    if (e.op === '==' || e.op === '=' || e.op === '!=') {
      // Python EQL: `==` with a wildcard string is a wildcard match, and a null side makes the test null.
      if (this.dialect.name === 'endgame') return this.endgameEquality(e.op, l, r);
      const lit = r.literal?.value;
      const eq: (d: Doc) => boolean =
        typeof lit === 'string' && !insensitive
          ? // The common case (field == "text"): a string compares by identity, anything else the slow way.
            (d) => {
              const a = L(d);
              if (typeof a === 'string') return a === lit;
              return a !== null && some(a, (x) => equals(x, lit, false));
            }
          : (d) => {
              const a = L(d);
              const b = R(d);
              if (a === null || b === null) return a === b;
              return some(a, (x) => some(b, (y) => equals(x, y, insensitive)));
            };
      return { ev: e.op === '!=' ? (d) => !eq(d) : eq, type: 'boolean' };
    }
    if ((l.type === 'boolean' || r.type === 'boolean') && l.type !== r.type && l.type !== 'unknown' && r.type !== 'unknown') {
      throw new AnalysisFailure(e.span, `cannot order a ${l.type} against a ${r.type}`);
    }
    const fold = this.insensitive ? (x: Scalar): Scalar => (typeof x === 'string' ? foldString(x) : x) : (x: Scalar): Scalar => x;
    const test = { '<': (c: number) => c < 0, '<=': (c: number) => c <= 0, '>': (c: number) => c > 0, '>=': (c: number) => c >= 0 }[e.op];
    return {
      // A comparison with a null side is null (not false): `null : (x > 1)` holds where x is missing.
      ev: (d) => {
        const a = L(d);
        const b = R(d);
        if (a === null || b === null) return null;
        return some(a, (x) => some(b, (y) => { const c = order(fold(x), fold(y)); return c !== null && test(c); }));
      },
      type: 'boolean',
    };
  }

  private endgameEquality(op: '==' | '=' | '!=', l: Node, r: Node): Node {
    if (l.literal && l.literal.value === null) [l, r] = [r, l];
    const L = l.ev;
    const lit = r.literal?.value;
    const insensitive = this.dialect.caseInsensitive !== false;
    const glob = typeof lit === 'string' && lit.includes('*') ? compileGlob(eqlPatternToGlob(lit), !insensitive) : undefined;
    const R = r.ev;
    const eq = (d: Doc): boolean | null => {
      const a = L(d);
      const b = R(d);
      if (a === null || b === null) return r.literal && lit === null ? a === null : null;
      if (glob) return some(a, (x) => x !== null && globMatch(glob, String(x)));
      return some(a, (x) => some(b, (y) => equals(x, y, insensitive)));
    };
    if (op !== '!=') return { ev: eq, type: 'boolean' };
    return { ev: (d) => { const v = eq(d); return v === null ? null : !v; }, type: 'boolean' };
  }

  /** `:` (insensitive equality, wildcards, CIDR ranges), like / like~, regex / regex~. */
  private match(e: Extract<Expr, { type: 'match' }>): Node {
    for (const p of e.patterns) this.constantSide(e.left, p, p);
    const L = this.node(e.left).ev;
    // `:` against plain strings (no wildcard, no CIDR range): one set of folded values, the value folded once.
    // Its wildcard patterns: one WildcardSet (the value folded once for all of them).
    const plain = new Set<string>();
    const wild: string[] = [];
    const rest: Expr[] = [];
    for (const p of e.patterns) {
      const v = p.type === 'literal' ? p.value : undefined;
      if (e.op === ':' && typeof v === 'string' && hasWildcard(v)) wild.push(v);
      else if (e.op === ':' && typeof v === 'string' && !(v.includes('/') && parseCidr(v))) plain.add(foldString(v));
      else rest.push(p);
    }
    const wildcards = wild.length ? new WildcardSet(wild) : undefined;
    const tests = rest.map((p) => this.pattern(e.op, e.insensitive, p));
    const inPlain = (x: Scalar): boolean => typeof x === 'string' ? plain.has(foldCached(x)) : x !== null && plain.has(foldString(String(x)));
    const ev = (d: Doc): boolean => {
      const v = L(d);
      if (plain.size && v !== null && some(v, inPlain)) return true;
      if (wildcards?.test(v)) return true;
      for (const t of tests) if (t(v, d)) return true;
      return false;
    };
    return { ev: e.negated ? (d) => !ev(d) : ev, type: 'boolean' };
  }

  private pattern(op: ':' | 'like' | 'regex', insensitive: boolean, p: Expr): (v: Value, d: Doc) => boolean {
    const n = this.node(p);
    if (!n.literal) {
      if (op !== ':') throw new AnalysisFailure(p.span, `the pattern of ${op} must be a string literal`);
      const P = n.ev;
      return (v, d) => {
        const pv = P(d);
        if (v === null || pv === null) return v === pv;
        return some(v, (x) => some(pv, (y) => equals(x, y, true)));
      };
    }
    const lit = n.literal.value;
    if (lit === null) {
      if (op !== ':') throw new AnalysisFailure(p.span, `the pattern of ${op} must be a string, found null`);
      return (v) => v === null;
    }
    if (op === 'regex') {
      if (typeof lit !== 'string') throw new AnalysisFailure(p.span, `a regex must be a string, found ${typeof lit} ${String(lit)}`);
      // Elasticsearch regexes (Lucene) match the whole value.
      const { re, error } = compileRegex(`^(?:${lit})$`, insensitive ? 'is' : 's');
      if (!re) throw new AnalysisFailure(p.span, `invalid regex ${JSON.stringify(lit)}: ${error}`);
      // A value without one of the regex's required literals cannot match: no call into RE2.
      const needles = requiredLiterals(lit)?.map(foldString);
      const test = memoTest(re);
      // A case-sensitive regex that needs a character beyond ASCII (modifier letters): an ASCII value cannot match.
      if (!needles && !insensitive && requiresNonAscii(lit)) return (v) => some(v, (x) => x !== null && typeof x === 'string' && NON_ASCII.test(x) && test(x));
      if (!needles) return (v) => some(v, (x) => x !== null && test(String(x)));
      return (v) => some(v, (x) => {
        if (x === null) return false;
        const s = String(x);
        const f = foldCached(s);
        for (const n of needles) if (f.includes(n)) return test(s);
        return false;
      });
    }
    if (op === 'like') {
      if (typeof lit !== 'string') throw new AnalysisFailure(p.span, `a like pattern must be a string, found ${typeof lit} ${String(lit)}`);
      const g = compileGlob(eqlPatternToGlob(lit), !insensitive);
      return (v) => some(v, (x) => x !== null && globMatch(g, String(x)));
    }
    if (typeof lit === 'string' && hasWildcard(lit)) {
      const g = compileGlob(eqlPatternToGlob(lit), false);
      return (v) => some(v, (x) => x !== null && typeof x !== 'boolean' && globMatch(g, String(x)));
    }
    const cidr = typeof lit === 'string' && lit.includes('/') ? parseCidr(lit) : undefined;
    if (cidr) {
      return (v) => some(v, (x) => {
        if (typeof x !== 'string') return false;
        const ip = parseIp(x);
        return ip ? cidrContains(cidr, ip) : equals(x, lit, true);
      });
    }
    return (v) => some(v, (x) => equals(x, lit, true));
  }

  private inList(e: Extract<Expr, { type: 'in' }>): Node {
    for (const v of e.values) this.constantSide(e.left, v, v);
    const L = this.node(e.left).ev;
    const nodes = e.values.map((v) => this.node(v));
    const values = nodes.map((n) => n.ev);
    const insensitive = e.insensitive || this.insensitive || (this.dialect.name === 'endgame' && this.dialect.caseInsensitive !== false);
    if (nodes.every((n) => n.literal)) {
      // A list of literals: one lookup per value (a null value meets a null in the list).
      const table = new EqualityTable(nodes.map((n) => n.literal!.value), insensitive);
      const inTable = (d: Doc): boolean => {
        const a = L(d);
        if (!Array.isArray(a)) return table.has(a);
        for (const x of a) if (x !== null && table.has(x)) return true;
        return false;
      };
      return { ev: e.negated ? (d) => !inTable(d) : inTable, type: 'boolean' };
    }
    const ev = (d: Doc): boolean => {
      const a = L(d);
      for (const V of values) {
        const b = V(d);
        if (a === null || b === null) {
          if (a === b) return true;
          continue;
        }
        if (some(a, (x) => some(b, (y) => equals(x, y, insensitive)))) return true;
      }
      return false;
    };
    return { ev: e.negated ? (d) => !ev(d) : ev, type: 'boolean' };
  }

  private call(e: Extract<Expr, { type: 'call' }>): Node {
    const key = e.name.toLowerCase();
    const spec = FUNCTIONS[key];
    if (!spec) {
      if (ENDGAME_ONLY_FUNCTIONS.has(key)) throw new AnalysisFailure(e.span, `function ${e.name} is a Python EQL (Endgame) function, not in the Elasticsearch dialect`);
      throw new AnalysisFailure(e.span, `unknown function ${e.name}`);
    }
    if (e.insensitive && !spec.insensitiveForm) throw new AnalysisFailure(e.span, `function ${spec.name} has no case-insensitive form ${spec.name}~`);
    if (e.args.length < spec.minArgs || e.args.length > spec.maxArgs) {
      const want = spec.maxArgs === Infinity ? `at least ${spec.minArgs}` : spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
      throw new AnalysisFailure(e.span, `function ${spec.name} takes ${want} argument${want === '1' ? '' : 's'}, found ${e.args.length}`);
    }
    const args = e.args.map((a, i) => {
      const n = this.node(a);
      const want: ArgType = spec.args[Math.min(i, spec.args.length - 1)];
      if (spec.literalFrom !== undefined && i >= spec.literalFrom) {
        if (!n.literal || typeof n.literal.value !== 'string') throw new AnalysisFailure(a.span, `argument ${i + 1} of ${spec.name} must be a string literal`);
        if (spec.name === 'cidrMatch' && !parseCidr(n.literal.value)) throw new AnalysisFailure(a.span, `invalid CIDR range ${JSON.stringify(n.literal.value)}`);
      }
      if (want !== 'any' && n.type !== 'unknown' && n.type !== 'null' && !(spec.name === 'between' && i === 3)) {
        const ok = want === 'string' ? n.type === 'string' || (spec.name === 'number' && n.type === 'number' && i === 0) : n.type === 'number';
        if (!ok) throw new AnalysisFailure(a.span, `argument ${i + 1} of ${spec.name} must be a ${want}, found a ${n.type}`);
      }
      if (spec.name === 'between' && i === 3 && n.type !== 'boolean' && n.type !== 'unknown') throw new AnalysisFailure(a.span, `argument 4 of between (greedy) must be a boolean, found a ${n.type}`);
      return n;
    });
    const evs = args.map((a) => a.ev);
    const insensitive = e.insensitive || (this.insensitive && spec.insensitiveForm);
    const real = args.some((a) => a.real);
    if (spec.regexFrom !== undefined) {
      const res = e.args.slice(spec.regexFrom).map((a) => {
        const text = String((a as Extract<Expr, { type: 'literal' }>).value);
        const { re, error } = compileRegex(`^(?:${text})$`, insensitive ? 'is' : 's');
        if (!re) throw new AnalysisFailure(a.span, `invalid regex ${JSON.stringify(text)}: ${error}`);
        return memoTest(re);
      });
      const src = evs[0];
      return { ev: (d) => { const v = first(src(d)); return v === null ? null : res.some((test) => test(String(v))); }, type: 'boolean' };
    }
    if (spec.name === 'divide') {
      return { ev: (d) => { const a = toNumber(first(evs[0](d))); const b = toNumber(first(evs[1](d))); return a === null || b === null ? null : divideValues(a, b, real); }, type: 'number', real };
    }
    return {
      ev: (d) => {
        const vals: Scalar[] = new Array(evs.length);
        for (let i = 0; i < evs.length; i++) vals[i] = first(evs[i](d));
        return spec.call(vals, insensitive);
      },
      type: spec.returns,
      real: spec.returns === 'number' ? real : undefined,
    };
  }

  private arith(e: Extract<Expr, { type: 'arith' }>): Node {
    const verbs = { '+': 'add', '-': 'subtract', '*': 'multiply', '/': 'divide', '%': 'take the modulo of' } as const;
    const l = this.numeric(e.left, verbs[e.op]);
    const r = this.numeric(e.right, verbs[e.op]);
    const real = Boolean(l.real || r.real);
    const L = l.ev;
    const R = r.ev;
    const f: (a: number, b: number) => number | null =
      e.op === '+' ? (a, b) => a + b
      : e.op === '-' ? (a, b) => a - b
      : e.op === '*' ? (a, b) => a * b
      : e.op === '/' ? (a, b) => divideValues(a, b, real)
      : moduloValues;
    return {
      ev: (d) => {
        const a = toNumber(first(L(d)));
        const b = toNumber(first(R(d)));
        if (a === null || b === null) return null;
        const x = f(a, b);
        return x === null || !Number.isFinite(x) ? null : x;
      },
      type: 'number',
      real,
    };
  }
}
