import type { Detection, Predicate, Scalar } from '../../model/index.js';
import { printBoolean } from '../elastic/boolean-print.js';
import { fail } from '../elastic/print-error.js';
import { globParts } from '../elastic/strings.js';

/**
 * Writes a predicate tree on ECS fields as KQL (kuery), in forms our KQL lowering reads back to the
 * same predicates. KQL compares case-sensitively and only knows `*` wildcards: quoted values are
 * phrases (eq), unquoted ones patterns (`v*`, `*v`, `*v*`, globs with `*`), `f: *` is exists,
 * `f < v` ranges, a field-less value a keyword search. Several values of one predicate are a
 * value list `f: ("a" or "b")`. Throws PrintError for the rest (case-insensitive tests, regexes,
 * CIDR, `!=`, `?` wildcards, field comparisons); unknown nodes print their source text when
 * `unknownText` (a round trip of a KQL rule).
 */
export interface KqlPrintOptions {
  unknownText?: boolean;
}

export function printKql(d: Detection, opts: KqlPrintOptions = {}): string {
  const constant = (v: boolean): string => (v ? '*' : fail('const', 'KQL has no literal false'));
  return printBoolean(d, { pred, constant, unknownText: opts.unknownText });
}

/** A quoted KQL phrase. */
function phrase(v: string): string {
  return `"${v.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** An unquoted literal run (special characters and keywords escaped). */
function bare(v: string): string {
  return v
    .replace(/[\\():<>"*{}]/g, (c) => `\\${c}`)
    .replace(/\t/g, '\\t').replace(/\r/g, '\\r').replace(/\n/g, '\\n')
    .replace(/(^|\s)(or|and|not)(?=\s|$)/gi, (_m, sp: string, kw: string) => `${sp}\\${kw}`);
}

/** An unquoted value cannot start or end with a space (KQL trims it). */
function edge(token: string): string {
  return token === '' || /^\s|\s$/.test(token) ? fail('value', 'a pattern with leading or trailing spaces') : token;
}

export function kqlField(f: string): string {
  return /^[A-Za-z0-9_@.\-$]+$/.test(f) ? f : phrase(f);
}

function valueText(op: Predicate['op'], v: Scalar): string {
  if (typeof v !== 'string') return fail('value', `KQL values are text (${String(v)})`);
  switch (op) {
    case 'eq':
    case 'in':
      return phrase(v);
    case 'starts_with':
      return edge(`${bare(v)}*`);
    case 'ends_with':
      return edge(`*${bare(v)}`);
    case 'contains':
      return edge(`*${bare(v)}*`);
    case 'wildcard': {
      const parts = globParts(v);
      if (parts.some((x) => 'wild' in x && x.wild === '?')) return fail('wildcard', 'KQL has no ? wildcard');
      return edge(parts.map((x) => ('wild' in x ? '*' : bare(x.lit))).join(''));
    }
    default:
      return fail('op', `KQL cannot say ${op}`);
  }
}

function pred(p: Predicate): string {
  if (p.flags.fieldref || p.flags.encodings?.length || p.flags.timePart || p.flags.anySeparator) return fail('flags', `KQL cannot express the flags ${JSON.stringify(p.flags)}`);
  const vs = p.values;
  if (p.field === null) {
    if (p.flags.cased === true || vs.length !== 1) return fail('keyword', 'a case-sensitive or multi-valued keyword search');
    return valueText(p.op, vs[0]);
  }
  const f = kqlField(p.field);
  if (p.op === 'exists') return p.values[0] === false ? `not ${f}: *` : `${f}: *`;
  if (['lt', 'lte', 'gt', 'gte'].includes(p.op)) {
    if (vs.length !== 1) return fail('range', 'a range with several values');
    const v = vs[0];
    const op = p.op === 'lt' ? '<' : p.op === 'lte' ? '<=' : p.op === 'gt' ? '>' : '>=';
    if (typeof v === 'number') return `${f} ${op} ${v}`;
    if (typeof v !== 'string' || /^-?\d+(\.\d+)?$/.test(v.trim())) return fail('range', 'a text bound that reads as a number');
    return `${f} ${op} ${phrase(v)}`;
  }
  if (vs.some((v) => typeof v === 'string') && p.flags.cased !== true) return fail('case', 'KQL compares case-sensitively');
  const texts = vs.map((v) => valueText(p.op, v));
  return texts.length === 1 ? `${f}: ${texts[0]}` : `${f}: (${texts.join(' or ')})`;
}
