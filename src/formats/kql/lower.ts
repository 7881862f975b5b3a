import type { Detection, Scalar } from '../../model/index.js';
import { and, not, or, pred } from '../../model/index.js';
import type { LossLog } from '../elastic/losses.js';
import { classifyPattern, groupedPredicates, literalText } from '../elastic/pattern.js';
import type { OpValue } from '../elastic/pattern.js';
import type { KqlNode, KqlValue, KqlValueExpr } from './ast.js';

/**
 * Lowers KQL to the model.
 * - `field: value` is case-sensitive (flags.cased: true): kuery builds term/wildcard queries on
 *   ECS keyword fields. Quoted values are literal phrases (eq); unquoted ones may be patterns
 *   (`*` only): prefix/suffix/infix become starts_with/ends_with/contains, `field: *` is exists.
 * - `field: (a or b or c*)` becomes one predicate per operator with several values (eq any-of).
 *   `and` / `not` inside a value list keep their shape, each on the same field.
 * - Values stay strings as written (KQL has no types; `event.code: 4688` tests "4688");
 *   range bounds are numbers when numeric.
 * - Bare values (no field) become predicates with field null (a free-text search).
 * - `field: { nested }` lowers the nested query with field names prefixed by the nested path; the
 *   "same nested object" constraint is lost (recorded in `log`).
 * - A field name with a `*` (a test over every matching field) has no predicate form: unknown.
 */
export function lowerKql(n: KqlNode, log?: LossLog, prefix = ''): Detection {
  switch (n.type) {
    case 'and':
      return and(n.children.map((c) => lowerKql(c, log, prefix)));
    case 'or':
      return or(n.children.map((c) => lowerKql(c, log, prefix)));
    case 'not':
      return not(lowerKql(n.child, log, prefix));
    case 'nested':
      log?.note(n.span.offset, n.span.end, 'approximation', 'a nested query: its conditions need not hold on the same nested object here');
      return lowerKql(n.query, log, `${prefix}${fieldName(n.field)}.`);
    default:
      break;
  }
  if ((n.type === 'range' || n.type === 'match') && !n.field.quoted && n.field.parts.some((p) => 'wild' in p)) {
    const detail = 'a field name with a wildcard (the test applies to every matching field)';
    return log ? log.unknownAt(n.span.offset, n.span.end, 'field-wildcard', detail) : { kind: 'unknown', text: n.field.text, reason: detail };
  }
  switch (n.type) {
    case 'range': {
      const v = numeric(n.value.text);
      const op = n.op === '<' ? 'lt' : n.op === '<=' ? 'lte' : n.op === '>' ? 'gt' : 'gte';
      return pred(prefix + fieldName(n.field), op, [v], typeof v === 'string' ? { cased: true } : {});
    }
    case 'free':
      return valuePredicates(null, { type: 'value', value: n.value });
    case 'match':
      return valuePredicates(prefix + fieldName(n.field), n.value);
  }
}

function fieldName(v: KqlValue): string {
  return v.quoted ? v.text : literalText(v.parts);
}

function numeric(text: string): Scalar {
  return /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text;
}

function classify(v: KqlValue): OpValue {
  return v.quoted ? { op: 'eq', value: v.text } : classifyPattern(v.parts);
}

function valuePredicates(field: string | null, e: KqlValueExpr): Detection {
  if (e.type === 'value') return groupFor(field, [classify(e.value)]);
  if (e.type === 'or' && e.children.every((c) => c.type === 'value')) {
    return groupFor(field, e.children.map((c) => classify((c as { value: KqlValue }).value)));
  }
  if (e.type === 'not') return not(valuePredicates(field, e.child));
  const kids = e.children.map((c) => valuePredicates(field, c));
  return e.type === 'or' ? or(kids) : and(kids);
}

function groupFor(field: string | null, items: OpValue[]): Detection {
  if (field !== null) return groupedPredicates(field, items, { cased: true });
  // Free text: one predicate per value, op as classified (exists has no meaning without a field).
  return or(items.map((i) => (i.op === 'exists' ? { kind: 'const', value: true } : pred(null, i.op, [i.value], { cased: false }))));
}
