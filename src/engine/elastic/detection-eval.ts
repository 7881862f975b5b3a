/**
 * Evaluation of a model Detection (a KQL or Lucene rule's lowered tree, fields as ECS names) over an
 * ECS document, compiled once into closures. Trees with an `unknown` node, time parts or other
 * constructs this evaluator cannot honour exactly are refused with a reason (the rule is skipped).
 */
import type { Detection, Predicate, Scalar } from '../../model/index.js';
import { cidrContains, parseCidr, parseIp } from '../../util/cidr.js';
import { compileRegex } from '../../util/regex.js';
import { memoTest } from '../eql/regex-memo.js';
import { foldString } from '../case-fold.js';
import { foldCached } from '../eql/fold-cache.js';
import { EqualityTable } from '../eql/equality-table.js';
import { compileGlob, globMatch } from '../glob.js';
import type { Doc, Value } from '../eql/values.js';
import { equals, fieldReader, order, sharedFieldReader, some } from '../eql/values.js';

export type DocTest = (doc: Doc) => boolean;

export class Unsupported extends Error {}

export function compileDetection(d: Detection): DocTest {
  switch (d.kind) {
    case 'and': {
      const cs = d.children.map(compileDetection);
      // Loops, not every() / some(): no closure per evaluation.
      return (doc) => {
        for (const c of cs) if (!c(doc)) return false;
        return true;
      };
    }
    case 'or': {
      const cs = d.children.map(compileDetection);
      return (doc) => {
        for (const c of cs) if (c(doc)) return true;
        return false;
      };
    }
    case 'not': {
      const c = compileDetection(d.child);
      return (doc) => !c(doc);
    }
    case 'const':
      return () => d.value;
    case 'unknown':
      throw new Unsupported(`a condition the lowering could not read (${d.reason}): ${d.text}`);
    case 'computed':
      throw new Unsupported(`a test of a computed value (${d.name ?? 'an expression'}): not evaluated on documents`);
    case 'pred':
      return compilePredicate(d);
  }
}

const text = (s: Scalar): string | null => (s === null ? null : typeof s === 'string' ? s : String(s));

function compilePredicate(p: Predicate): DocTest {
  if (p.flags.timePart) throw new Unsupported(`time-part comparison on ${p.field}`);
  if (p.flags.encodings?.length) throw new Unsupported(`encoded values on ${p.field}`);
  if (p.field === null) {
    const needles = p.values.map((v) => foldString(String(v)));
    return (doc) => anyString(doc, (s) => needles.some((n) => foldString(s).includes(n)));
  }
  const read = sharedFieldReader(p.field.replace(/^\?/, '').split('.'));
  const cased = p.flags.cased === true;
  if (p.flags.fieldref) {
    const others = p.values.map((v) => fieldReader(String(v).split('.')));
    const test = stringTest(p.op, cased);
    if (!test && p.op !== 'eq' && p.op !== 'ne') throw new Unsupported(`field reference with ${p.op}`);
    return (doc) => {
      const a = read(doc);
      const hit = others.some((o) => {
        const b = o(doc);
        if (a === null || b === null) return false;
        return some(a, (x) => some(b, (y) => (test ? x !== null && y !== null && test(String(x), String(y)) : equals(x, y, !cased))));
      });
      return p.op === 'ne' ? !hit : hit;
    };
  }
  switch (p.op) {
    case 'eq':
    case 'in':
    case 'ne': {
      const hasNull = p.values.includes(null);
      // The non-null values as hash sets (has(x): some value equals x, as values.ts equals says).
      const table = new EqualityTable(p.values.filter((v) => v !== null), !cased);
      const eq = (v: Value): boolean => {
        if (v === null) return hasNull;
        if (!Array.isArray(v)) return table.has(v);
        for (const x of v) if (table.has(x)) return true;
        return false;
      };
      return p.op === 'ne' ? (doc) => !eq(read(doc)) : (doc) => eq(read(doc));
    }
    case 'contains':
    case 'starts_with':
    case 'ends_with': {
      // Needles folded once, the value once per event (foldCached: the same value recurs across rules).
      const needles = p.values.map((v) => text(v)).filter((v): v is string => v !== null).map((n) => (cased ? n : foldString(n)));
      const op = p.op;
      const one = (x: Scalar): boolean => {
        if (x === null) return false;
        const s = cased ? String(x) : foldCached(String(x));
        for (const n of needles) if (op === 'contains' ? s.includes(n) : op === 'starts_with' ? s.startsWith(n) : s.endsWith(n)) return true;
        return false;
      };
      return (doc) => some(read(doc), one);
    }
    case 'wildcard': {
      // Uncased: the pattern folded at compile time and the value once (globMatch would fold it per glob).
      const globs = p.values.map((v) => compileGlob(cased ? String(v) : foldString(String(v)), true));
      const one = (x: Scalar): boolean => {
        if (x === null) return false;
        const s = cased ? String(x) : foldCached(String(x));
        for (const g of globs) if (globMatch(g, s)) return true;
        return false;
      };
      return (doc) => some(read(doc), one);
    }
    case 'regex_match': {
      const res = p.values.map((v) => {
        const { re, error } = compileRegex(String(v), p.flags.regexFlags ?? (cased ? '' : 'i'));
        if (!re) throw new Unsupported(`invalid regex ${JSON.stringify(v)}: ${error}`);
        return memoTest(re);
      });
      return (doc) => some(read(doc), (x) => x !== null && res.some((test) => test(String(x))));
    }
    case 'cidr': {
      const ranges = p.values.map((v) => parseCidr(String(v)));
      if (ranges.some((r) => !r)) throw new Unsupported(`invalid CIDR range in ${JSON.stringify(p.values)}`);
      return (doc) => some(read(doc), (x) => {
        const ip = typeof x === 'string' ? parseIp(x) : undefined;
        return !!ip && ranges.some((r) => r && cidrContains(r, ip));
      });
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const ok = { lt: (c: number) => c < 0, lte: (c: number) => c <= 0, gt: (c: number) => c > 0, gte: (c: number) => c >= 0 }[p.op];
      return (doc) => some(read(doc), (x) => p.values.some((y) => { const c = order(x, y); return c !== null && ok(c); }));
    }
    case 'exists':
      // no value or true: the field has a value; false: it has none
      return p.values[0] === false ? (doc) => read(doc) === null : (doc) => read(doc) !== null;
  }
}

function stringTest(op: string, cased: boolean): ((a: string, b: string) => boolean) | undefined {
  const f = (s: string): string => (cased ? s : foldString(s));
  if (op === 'contains') return (a, b) => f(a).includes(f(b));
  if (op === 'starts_with') return (a, b) => f(a).startsWith(f(b));
  if (op === 'ends_with') return (a, b) => f(a).endsWith(f(b));
  return undefined;
}

/** Does some string leaf of the document pass the test (keyword search over the whole event)? */
function anyString(node: unknown, test: (s: string) => boolean, depth = 0): boolean {
  if (depth > 32) return false;
  if (typeof node === 'string') return test(node);
  if (Array.isArray(node)) return node.some((x) => anyString(x, test, depth + 1));
  if (node && typeof node === 'object') return Object.values(node).some((x) => anyString(x, test, depth + 1));
  return false;
}
