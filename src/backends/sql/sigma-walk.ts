/**
 * A Detection tree as a boolean SQL condition, whatever the dialect: the walk over the tree and the
 * Sigma engine's leaf cases (src/engine/leaves.ts directTest, case by case) are decided here once;
 * each SQL printer (backends/duckdb/print.ts, backends/clickhouse/print.ts) supplies its expressions
 * for reading fields and testing values. Elastic rules go leaf by leaf through elastic-leaf.ts.
 * Throws SqlPrintError for what has no exact SQL form.
 */
import type { Detection, Predicate } from '../../model/index.js';
import { expandSeparators } from '../../taxonomy/separators.js';
import { fail } from '../duckdb/errors.js';
import { elasticLeaf, type ElasticEmitter, type ElasticLeafOptions, type ValueTest } from './elastic-leaf.js';
import { LITERAL_OPS, MAX_DEPTH } from './shared.js';

export interface WalkOptions {
  /** Fields that may hold several values in the store; 'all' when unknown. */
  listFields?: ReadonlySet<string> | 'all';
  /** Print with the Elastic leaf semantics (elastic-leaf.ts); default: the Sigma engine's. */
  elastic?: ElasticLeafOptions;
}

export abstract class SigmaSqlWalker {
  /** Lambda argument names printed so far (each lambda gets its own). */
  protected lambdas = 0;
  protected abstract readonly elasticEmitter: ElasticEmitter;

  constructor(private readonly walk: WalkOptions) {}

  /** The dialect's boolean literal. */
  protected abstract bool(b: boolean): string;
  /** Negation of a condition (definite: a NULL inside reads as false). */
  protected abstract not(c: string): string;
  /** The field has a value (single or several). */
  protected abstract present(field: string): string;
  /** Some value of the field passes the test. */
  protected abstract anyOf(field: string, t: ValueTest): string;
  /** Some value of any field passes the test (keyword search value by value). */
  protected abstract anyValue(t: ValueTest): string;
  /** Case-insensitive search of the literals in all values (the engine's literal automata). */
  protected abstract keywordContains(values: string[]): string;
  /** The test a predicate's op and values make of one value. */
  protected abstract valueTest(p: Predicate): ValueTest;
  /** Sigma fieldref: some value of one field equals some value of the other. */
  protected abstract fieldEquals(a: string, b: string, cased: boolean): string;
  /** A time part (minute, hour, day, ...) of a value read as a date. */
  protected abstract timePart(x: string, part: string): string;
  /** `null` in a value list: the field has no value, or an empty one (an empty EVTX value reads NULL). */
  protected abstract isNullValue(field: string): string;
  /** `''` in a value list: the field is there with an empty value. */
  protected abstract isEmptyValue(field: string): string;

  /** `positive`: the node counts for a match as it is (false under an odd number of `not`). */
  tree(d: Detection, depth: number, positive = true): string {
    if (depth > MAX_DEPTH) fail('depth', `condition nested deeper than ${MAX_DEPTH}`);
    switch (d.kind) {
      case 'and':
        return d.children.length ? `(${d.children.map((c) => this.tree(c, depth + 1, positive)).join(' AND ')})` : this.bool(true);
      case 'or':
        return d.children.length ? `(${d.children.map((c) => this.tree(c, depth + 1, positive)).join(' OR ')})` : this.bool(false);
      case 'not':
        return this.not(this.tree(d.child, depth + 1, !positive));
      case 'const':
        return this.bool(d.value);
      case 'unknown':
        if (this.walk.elastic) return this.bool(positive);
        return fail('unknown', `an unknown condition: ${d.reason}: ${d.text}`);
      case 'computed':
        return fail('computed', `a test of a computed value${d.name ? ` (${d.name})` : ''}: no SQL form`);
      case 'pred':
        if (this.walk.elastic) return elasticLeaf(this.elasticEmitter, d, this.walk.elastic, positive);
        return this.pred(d.flags.anySeparator ? expandSeparators(d) : d);
    }
  }

  protected isList(field: string): boolean {
    const l = this.walk.listFields ?? 'all';
    return l === 'all' || l.has(field);
  }

  private pred(p: Predicate): string {
    const shared = LITERAL_OPS.has(p.op) && !p.flags.cased && !p.flags.fieldref && !p.flags.timePart
      && p.values.length > 0 && p.values.every((v) => v !== null && String(v) !== '');
    // The engine's literal automata: a keyword is found anywhere in any value, whatever its op.
    if (shared && p.field === null) return this.keywordContains(p.values.map((v) => String(v)));
    if (shared) return this.anyOf(p.field!, this.valueTest(p));
    return this.direct(p);
  }

  /** leaves.ts directTest, case by case. */
  private direct(p: Predicate): string {
    const field = p.field;
    const no = this.bool(false);
    if (p.op === 'exists') {
      if (field === null) return no;
      // no value is "present", as in leaves.ts; presence is never NULL
      return p.values[0] !== false ? this.present(field) : `(NOT ${this.present(field)})`;
    }
    if (p.flags.fieldref) {
      if (field === null) return no;
      const eq = this.fieldEquals(field, String(p.values[0]), !!p.flags.cased);
      return p.op === 'ne' ? this.not(eq) : eq;
    }
    if ((p.op === 'eq' || p.op === 'in') && p.flags.timePart) {
      if (field === null) return no;
      const part = p.flags.timePart;
      const nums = p.values.map(Number).filter((n) => Number.isFinite(n));
      if (!nums.length) return no;
      return this.anyOf(field, (x) => `${this.timePart(x, part)} IN (${nums.join(', ')})`);
    }
    if (p.op === 'ne') return this.not(this.direct({ ...p, op: 'eq' }));
    if ((p.op === 'eq' || p.op === 'in') && p.values.some((v) => v === null || v === '')) {
      if (field === null) return no;
      const rest = p.values.filter((v) => v !== null && v !== '');
      const parts: string[] = [];
      if (p.values.includes(null)) parts.push(this.isNullValue(field));
      if (p.values.includes('')) parts.push(this.isEmptyValue(field));
      if (rest.length) parts.push(this.direct({ ...p, values: rest }));
      return `(${parts.join(' OR ')})`;
    }
    if (field === null) {
      const kw: Predicate = p.op === 'eq' || p.op === 'starts_with' || p.op === 'ends_with' ? { ...p, op: 'contains' }
        : p.op === 'wildcard' ? { ...p, values: p.values.map((v) => `*${String(v)}*`) } : p;
      return this.anyValue(this.valueTest(kw));
    }
    return this.anyOf(field, this.valueTest(p));
  }
}
