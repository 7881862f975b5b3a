/**
 * The SPL backend: a predicate tree -> an SPL search. The top-level AND is split by what each part
 * needs: the parts the search language can say form the leading search, the others one `| where`.
 * Fields are written as the rule's vendor fields by default (`authoredField`), or as `fieldName`
 * says. Unknown nodes (conditions that were never read) cannot be printed: SplPrintError.
 */
import type { Detection, Predicate, Rule } from '../../model/index.js';
import { authoredTree } from './authored.js';
import { SplPrintError } from './errors.js';
import { evalExpr } from './eval-expr.js';
import { searchExpr, type FieldName } from './search-expr.js';

export interface SplPrintOptions {
  /** Event-selector conditions (index, sourcetype...) printed first in the leading search. */
  selector?: Detection;
  /** The field name to print for a predicate (default: the authored field, else the canonical one). */
  fieldName?: FieldName;
}

const authored: FieldName = (p: Predicate) => p.authoredField ?? p.field;

export function printSpl(detection: Detection | undefined, opts: SplPrintOptions = {}): string {
  const name = opts.fieldName ?? authored;
  const parts = [...conjuncts(opts.selector), ...conjuncts(detection)];
  const search: string[] = [];
  const where: string[] = [];
  for (const d of parts) {
    if (d.kind === 'const' && d.value) continue;
    if (d.kind === 'const') throw new SplPrintError('false', 'a condition that never matches');
    const s = searchExpr(d, name);
    if (s !== undefined) search.push(s);
    else where.push(evalExpr(d, name));
  }
  const lead = search.length ? search.join(' ') : '*';
  return where.length ? `${lead} | where ${where.join(' AND ')}` : lead;
}

function conjuncts(d: Detection | undefined): Detection[] {
  if (!d) return [];
  return d.kind === 'and' ? d.children.flatMap(conjuncts) : [d];
}

/**
 * A rule's conditions as an SPL search on its own vendor fields: a canonicalized Splunk rule prints
 * its authored fields, operators and values again; its event selector (extra.selector) leads.
 */
export function printRuleSpl(rule: Rule): string {
  const selector = rule.extra.selector as Detection | undefined;
  return printSpl(rule.detection && authoredTree(rule.detection, rule.vendor), { selector });
}
