/**
 * Facts about expressions the compiler needs, and the interning of constant tests shared across
 * queries (many Elastic rules test the same field against the same constants).
 */
import type { Expr } from '../../formats/eql/ast.js';
import type { Eval } from './compile-expr.js';
import { lastDocMemo } from './values.js';

/**
 * Does the expression read a (required) field of the event? An optional `?field` may be absent from
 * the index, where Elasticsearch reads it as the constant null, so it does not count.
 */
export function readsField(e: Expr): boolean {
  switch (e.type) {
    case 'field':
      return !e.optional;
    case 'literal':
      return false;
    case 'and':
    case 'or':
      return e.operands.some(readsField);
    case 'not':
    case 'neg':
      return readsField(e.operand);
    case 'compare':
    case 'arith':
      return readsField(e.left) || readsField(e.right);
    case 'match':
      return readsField(e.left) || e.patterns.some(readsField);
    case 'in':
      return readsField(e.left) || e.values.some(readsField);
    case 'call':
      return e.args.some(readsField);
    case 'lineage':
      return true;
  }
}

/**
 * Tests of one field against constants recur across rules (`host.os.type == "windows"` opens most
 * Elastic rules): they are interned by their text and remember their answer for the last document,
 * so many rules on one event evaluate each such test once.
 */
const SHARED = new Map<string, Eval>();
const MAX_SHARED = 100_000;

export function shared(key: string, build: () => Eval): Eval {
  const hit = SHARED.get(key);
  if (hit) return hit;
  const memo: Eval = lastDocMemo(build());
  if (SHARED.size < MAX_SHARED) SHARED.set(key, memo);
  return memo;
}

/** The key of a test of a plain field against literals, or undefined when it is anything else. */
export function constantTestKey(left: Expr, right: Expr[], what: string): string | undefined {
  if (left.type !== 'field' || right.some((r) => r.type !== 'literal')) return undefined;
  return `${what}\u0000${left.path.join('\u0001')}\u0000${JSON.stringify(right.map((r) => (r.type === 'literal' ? [r.value, r.real === true] : null)))}`;
}
