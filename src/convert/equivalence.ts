/**
 * Are two (canonical) predicate trees the same test? Both are rewritten into one normal form and
 * compared. Each rewrite is an identity of the model's semantics (as the engines evaluate it), so
 * it cannot hide a change of what a rule matches:
 * - constants folded (`x and true` = x; model/fold.ts);
 * - and / or flattened (associative), children deduplicated (`x or x` = x) and sorted (commutative:
 *   no engine depends on their order), a single child is the child itself;
 * - `not not x` = x;
 * - a predicate's values are alternatives: `f op [a, b]` = `f op a or f op b` (values as a set);
 * - `in` is `eq` with several values; `ne` is `not eq` (engine/leaves.ts: `!eq`, also for a missing field);
 * - a wildcard glob of one literal with `*` at one or both ends is the prefix / suffix / infix test
 *   (`*x` = ends_with x), a glob with no wildcard is `eq`;
 * - `anySeparator` stands for its values with each path separator written both ways (separators.ts);
 * - a keyword (field-less) value is searched as text anywhere in a value: eq / prefix / suffix
 *   keywords are infixes, a keyword glob g is `*g*`, a number keyword its text (engine/leaves.ts keywordTest);
 * - `exists` with no value (EQL `!= null`, KQL `f: *`) is `exists true`; `exists false` is `not exists true`;
 * - a regex's case comes from its `i` flag (the engine ignores `cased` on regexes); flags as a set;
 *   flags set by a group at the very start of the pattern (`(?is)x`) are the pattern's flags (`x`, /is):
 *   such a group applies to the whole pattern in RE2;
 * - a regex that is an anchored glob (`^`, literals, `.*`, `.`, `$`, with the `s` flag so that `.`
 *   matches a line break as the glob's `*` and `?` do, and no `m`) is that glob, case-insensitive
 *   with `i`. Two departures are known and accepted: the glob's `?` is one UTF-16 code unit and the
 *   regex's `.` one code point (they differ only on characters outside the Basic Multilingual
 *   Plane), and RE2's case folding knows a few equivalences that lower-casing does not (the Kelvin
 *   sign and K, the long s and s);
 * - a case-insensitive string value is its lower-case form (engine/case-fold.ts foldString, as the
 *   engine compares it);
 * - range bounds are numbers (the engine compares Number(value)), so `cased` means nothing on an
 *   order comparison (also between two fields), nor on values that are not strings; `cased: false`
 *   is the default;
 * - provenance is not compared: authored field, authored values, encodings and placeholder names
 *   (the values are what is matched).
 */
import type { Detection, Predicate, Scalar } from '../model/index.js';
import { foldConstants } from '../model/fold.js';
import { expandSeparators } from '../taxonomy/separators.js';
import { globParts } from '../backends/elastic/strings.js';
import { foldString } from '../engine/case-fold.js';

export interface NormalFormOptions {
  /**
   * Compare in the data of a target where a field with no value is absent (Elasticsearch indexes
   * no null, Splunk has no null field): there "the field is present" and "the field has a value"
   * are one test, so `exists` is a glob of only `*` (`f : "*"`, `f != null`, `f=*`). In detectory's
   * own events they differ on a present field with no value (an empty EVTX value reads null).
   */
  nullIsAbsent?: boolean;
}

/** The normal form, as a JSON-able value (compare with JSON.stringify). */
export function normalForm(d: Detection, options: NormalFormOptions = {}): unknown {
  return shape(rewrite(foldConstants(d), options));
}

export function equivalent(a: Detection, b: Detection, options: NormalFormOptions = {}): boolean {
  return JSON.stringify(normalForm(a, options)) === JSON.stringify(normalForm(b, options));
}

type Leaf = { field: string | null; op: string; value: Scalar; cased: boolean; fieldref: boolean; regexFlags: string; timePart: string };
type Norm = { kind: 'leaf'; leaf: Leaf } | { kind: 'and' | 'or'; children: Norm[] } | { kind: 'not'; child: Norm } | { kind: 'const'; value: boolean } | { kind: 'unknown'; text: string } | { kind: 'computed'; key: string };

function rewrite(d: Detection, o: NormalFormOptions): Norm {
  switch (d.kind) {
    case 'pred':
      return predicate(d, o);
    case 'and':
    case 'or':
      return group(d.kind, d.children.map((c) => rewrite(c, o)));
    case 'not': {
      const c = rewrite(d.child, o);
      return c.kind === 'not' ? c.child : { kind: 'not', child: c };
    }
    case 'const':
      return d;
    case 'unknown':
      return { kind: 'unknown', text: d.text.replace(/\s+/g, ' ').trim() };
    // a computed value's test compares as its whole computation (the name is only a label)
    case 'computed':
      return { kind: 'computed', key: JSON.stringify([d.value, d.op, d.values, d.flags.cased ?? null, d.flags.regexFlags ?? '']) };
  }
}

function group(kind: 'and' | 'or', kids: Norm[]): Norm {
  const flat: Norm[] = [];
  for (const k of kids) {
    if (k.kind === kind) flat.push(...k.children);
    else flat.push(k);
  }
  const byKey = new Map<string, Norm>();
  for (const k of flat) byKey.set(JSON.stringify(shape(k)), k);
  const sorted = [...byKey.entries()].sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0)).map((e) => e[1]);
  return sorted.length === 1 ? sorted[0] : { kind, children: sorted };
}

function predicate(input: Predicate, o: NormalFormOptions): Norm {
  const p = input.flags.anySeparator ? expandSeparators(input) : input;
  const f = p.flags;
  let op: string = p.op === 'in' ? 'eq' : p.op;
  if (o.nullIsAbsent && p.field !== null && !f.fieldref && op === 'wildcard' && p.values.some((v) => typeof v === 'string' && /^\*+$/.test(v))) {
    return { kind: 'leaf', leaf: { field: p.field, op: 'exists', value: true, cased: false, fieldref: false, regexFlags: '', timePart: '' } };
  }
  let negate = false;
  if (op === 'ne') {
    op = 'eq';
    negate = true;
  }
  let values: Scalar[] = p.values;
  if (op === 'exists') {
    // no value means "present"
    if (values.length === 0 || values[0] === true) values = [true];
    else {
      values = [true];
      negate = !negate;
    }
  }
  const range = ['lt', 'lte', 'gt', 'gte'].includes(op);
  const leaves: Norm[] = values.map((v) => {
    let leafOp = op;
    let value: Scalar = v;
    let flags = f.regexFlags ?? '';
    let cased = f.cased === true;
    if (leafOp === 'regex_match' && typeof value === 'string' && !f.fieldref && p.field !== null) {
      const lead = /^\(\?([imsU]+)\)/.exec(value);
      if (lead) [value, flags] = [value.slice(lead[0].length), flags + lead[1]];
      const glob = flags.includes('s') && !flags.includes('m') && !flags.includes('U') ? anchoredGlob(value) : undefined;
      if (glob !== undefined) [leafOp, value, cased] = ['wildcard', glob, !flags.includes('i')];
    }
    if (range && typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) value = Number(v);
    // a keyword value is searched as text (String(value))
    if (p.field === null && (typeof v === 'number' || typeof v === 'boolean')) value = String(v);
    if (!f.fieldref && typeof value === 'string') {
      if (leafOp === 'wildcard') [leafOp, value] = simpleGlob(p.field === null ? `*${value}*` : value);
      if (p.field === null && (leafOp === 'eq' || leafOp === 'starts_with' || leafOp === 'ends_with')) leafOp = 'contains';
    }
    const regex = leafOp === 'regex_match';
    const caseMatters = !regex && !range && leafOp !== 'cidr' && typeof value === 'string';
    if (caseMatters && !cased && !f.fieldref) value = foldString(value as string);
    const leaf: Leaf = {
      field: p.field,
      op: leafOp,
      value,
      cased: caseMatters && cased,
      fieldref: f.fieldref === true,
      regexFlags: regex ? [...new Set(flags.split(''))].sort().join('') : '',
      timePart: f.timePart ?? '',
    };
    return { kind: 'leaf', leaf };
  });
  const any = leaves.length === 1 ? leaves[0] : group('or', leaves);
  return negate ? { kind: 'not', child: any } : any;
}

/**
 * A glob that is one literal with `*` at one or both ends (or none) as the plain test it is; runs of
 * `*` are one `*`.
 */
function simpleGlob(glob: string): [string, string] {
  const all = globParts(glob);
  const star = (x: (typeof all)[number] | undefined): boolean => x !== undefined && 'wild' in x && x.wild === '*';
  const parts = all.filter((x, i) => !(star(x) && star(all[i - 1])));
  const lead = star(parts[0]);
  const trail = parts.length > 1 && star(parts[parts.length - 1]);
  const inner = parts.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (parts.length === 0) return ['eq', ''];
  if (inner.length !== 1 || !('lit' in inner[0])) return ['wildcard', globText(parts)];
  const text = inner[0].lit;
  return [lead && trail ? 'contains' : lead ? 'ends_with' : trail ? 'starts_with' : 'eq', text];
}

function globText(parts: ReturnType<typeof globParts>): string {
  return parts.map((x) => ('wild' in x ? x.wild : x.lit.replace(/[\\*?]/g, (c) => `\\${c}`))).join('');
}

/**
 * The glob an anchored regex of literals, `.*` and `.` says (`^a.*b.$` is `a*b?`), else undefined.
 * A literal is a character that is no regex syntax, or a backslash before punctuation.
 */
function anchoredGlob(re: string): string | undefined {
  if (!re.startsWith('^') || !re.endsWith('$') || re.endsWith('\\$')) return undefined;
  const body = re.slice(1, -1);
  let glob = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c === '.') {
      if (body[i + 1] === '*') {
        glob += '*';
        i++;
      } else glob += '?';
    } else if (c === '\\') {
      const n = body[i + 1];
      if (n === undefined || /[0-9A-Za-z]/.test(n)) return undefined;
      glob += /[\\*?]/.test(n) ? `\\${n}` : n;
      i++;
    } else if ('[](){}|+*?^$'.includes(c)) return undefined;
    else glob += c;
  }
  return glob;
}

function shape(n: Norm): unknown {
  switch (n.kind) {
    case 'leaf': {
      const l = n.leaf;
      return [l.field, l.op, l.value, ...(l.cased ? ['cased'] : []), ...(l.fieldref ? ['fieldref'] : []), ...(l.regexFlags ? [`/${l.regexFlags}`] : []), ...(l.timePart ? [`@${l.timePart}`] : [])];
    }
    case 'and':
    case 'or':
      return [n.kind, ...n.children.map(shape)];
    case 'not':
      return ['not', shape(n.child)];
    case 'const':
      return n.value;
    case 'unknown':
      return ['unknown', n.text];
    case 'computed':
      return ['computed', n.key];
  }
}
