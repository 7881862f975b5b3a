import { walkPredicates, type Detection } from '../../../src/model/index.js';
import { expandMacros, lowerPipeline, parsePipeline, type MacroTable } from '../../../src/formats/spl/index.js';

/** (field, op, values, negated, cased) tuples of a tree, in walk order. */
export type Tuple = [string | null, string, unknown[], boolean, boolean?];

export function tuples(d: Detection | undefined, withCase = false): Tuple[] {
  const out: Tuple[] = [];
  if (d) walkPredicates(d, (p, _path, neg) => out.push(withCase ? [p.field, p.op, p.values, neg, p.flags.cased] : [p.field, p.op, p.values, neg]));
  return out;
}

/** Parses and lowers one query (macros expanded first); throws on a parse error. */
export function lower(query: string, macros: MacroTable = new Map()): Detection | undefined {
  const exp = expandMacros(query, macros);
  const r = parsePipeline(exp.text);
  if (r.error) throw new Error(`${r.error.offset}: ${r.error.message}`);
  return lowerPipeline(r.pipeline!, (o) => exp.macroAt(o), exp.text).detection;
}

/** The compact shape of a tree: and(..)/or(..)/not(..) around field names. */
export function shape(d: Detection | undefined): string {
  if (!d) return '-';
  switch (d.kind) {
    case 'pred':
      return d.field ?? '_';
    case 'and':
    case 'or':
      return `${d.kind}(${d.children.map(shape).join(',')})`;
    case 'not':
      return `not(${shape(d.child)})`;
    case 'const':
      return String(d.value);
    case 'unknown':
    case 'computed':
      return '?';
  }
}
