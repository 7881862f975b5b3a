/**
 * Model -> SPL eval-language text (`| where`). Case-sensitive comparisons are `field="v"`;
 * case-insensitive ones compare lower(field) with the lower-cased value; patterns are like();
 * regexes match(); CIDR cidrmatch(); field-to-field comparisons name the other field. A test the
 * search language says better (a case-insensitive pattern) is embedded as searchmatch("...").
 */
import type { Detection, Predicate } from '../../model/index.js';
import { SplPrintError } from './errors.js';
import { evalField, splString } from './quote.js';
import { searchExpr, wrap, type FieldName } from './search-expr.js';
import { evalLiteral, likePattern, patternParts, regexOf } from './values.js';

const CMP: Readonly<Record<string, string>> = { eq: '=', ne: '!=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

export function evalExpr(d: Detection, name: FieldName): string {
  switch (d.kind) {
    case 'pred':
      return evalPred(d, name);
    case 'and':
    case 'or':
      return `(${d.children.map((c) => evalExpr(c, name)).join(d.kind === 'and' ? ' AND ' : ' OR ')})`;
    case 'not':
      return `NOT ${wrap(evalExpr(d.child, name))}`;
    case 'const':
      return d.value ? 'true()' : 'false()';
    case 'unknown':
      throw new SplPrintError(d.text, `a condition that was not read (${d.reason})`);
    case 'computed':
      throw new SplPrintError(d.name ?? d.op, 'a test of a computed value has no SPL form here');
  }
}

function evalPred(p: Predicate, name: FieldName): string {
  const f = p.flags;
  const field = name(p);
  const shown = `${field ?? '(keyword)'} ${p.op} ${JSON.stringify(p.values)}`;
  const fail = (why: string): never => {
    throw new SplPrintError(shown, why);
  };
  if (f.timePart || (f.encodings?.length ?? 0) > 0) fail('time parts and encodings have no SPL form');
  const cased = f.cased === true;
  // a case-insensitive string test reads best (and exactly) in the search language
  if (!cased && !f.fieldref && p.op !== 'regex_match' && p.op !== 'cidr') {
    const s = searchExpr(p, name);
    if (s !== undefined) return `searchmatch(${splString(s)})`;
  }
  if (field === null) return fail('a keyword search with values the search language cannot write');
  const ef = evalField(field) ?? fail('a field name SPL cannot write');
  const lhs = cased ? ef : `lower(${ef})`;
  const any = (xs: string[]): string => (xs.length === 1 ? xs[0] : `(${xs.join(' OR ')})`);
  if (f.fieldref) {
    const op = CMP[p.op] ?? fail(`field-to-field ${p.op} has no SPL form`);
    const others = p.values.map((v) => (typeof v === 'string' ? evalField(v) : undefined) ?? fail('the other field cannot be written'));
    return any(others.map((o) => `${lhs}${op}${o}`));
  }
  switch (p.op) {
    case 'exists':
      return p.values[0] === false ? `isnull(${ef})` : `isnotnull(${ef})`;
    case 'regex_match': {
      const flags = (f.regexFlags ?? '').split('').filter((c) => 'ims'.includes(c)).sort().join('');
      return any(p.values.map((v) => `match(${ef}, ${splString(`${flags ? `(?${flags})` : ''}${String(v)}`)})`));
    }
    case 'cidr':
      return any(p.values.map((v) => `cidrmatch(${splString(String(v))}, ${ef})`));
    case 'eq':
    case 'in':
    case 'ne':
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const lits = p.values.map((v) => evalLiteral(v, !cased) ?? fail(`the value ${JSON.stringify(v)} has no eval form`));
      const op = p.op === 'in' ? '=' : CMP[p.op];
      if (p.op === 'ne') return lits.length === 1 ? `${lhs}!=${lits[0]}` : `(${lits.map((l) => `${lhs}!=${l}`).join(' AND ')})`;
      if (op === '=' && lits.length > 1) return `${lhs} IN (${lits.join(', ')})`;
      return any(lits.map((l) => `${lhs}${op}${l}`));
    }
    default: {
      // contains, starts_with, ends_with, wildcard: like(), else an anchored regex
      return any(p.values.map((v) => {
        const parts = patternParts(p.op, String(v));
        const like = likePattern(parts, !cased);
        if (like !== undefined) return `like(${lhs}, ${like})`;
        // (?s): the glob's * and ? match a line break too (a command line can hold one)
        return `match(${ef}, ${splString(`${cased ? '(?s)' : '(?is)'}${regexOf(parts)}`)})`;
      }));
    }
  }
}
