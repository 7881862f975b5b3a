/**
 * The Sigma condition language: and/or/not, parentheses, `1 of x*`, `all of x*`, `any of them`
 * (and `N of`, a generalization). Precedence, loosest first: or, and, not, `x of`, parentheses.
 */
import { type Detection, and, not, or } from '../../model/index.js';
import { SigmaError } from './errors.js';
import { NestingGuard } from '../nesting.js';

interface Token {
  kind: 'word' | 'lparen' | 'rparen' | 'pipe';
  text: string;
  col: number;
}

function tokenize(cond: string): Token[] {
  const out: Token[] = [];
  const re = /\s*(?:(\()|(\))|(\|)|([^\s()|]+))/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(cond)) !== null && m[0] !== '') {
    const col = m.index + m[0].length - m[0].trimStart().length + 1;
    if (m[1]) out.push({ kind: 'lparen', text: '(', col });
    else if (m[2]) out.push({ kind: 'rparen', text: ')', col });
    else if (m[3]) out.push({ kind: 'pipe', text: '|', col });
    else out.push({ kind: 'word', text: m[4], col });
    last = re.lastIndex;
  }
  if (cond.slice(last).trim() !== '') throw new SigmaError('condition', `cannot read condition at column ${last + 1}`);
  return out;
}

/**
 * A Sigma 1 aggregation (`selection | count(x) by y > 5`, `a | near b`) after the boolean part.
 * Strict parsing rejects it; lenient parsing (the catalog) keeps the boolean part and the text.
 */
export function splitAggregation(cond: string): { boolean: string; aggregation?: string } {
  const i = cond.indexOf('|');
  return i < 0 ? { boolean: cond } : { boolean: cond.slice(0, i).trim(), aggregation: cond.slice(i + 1).trim() };
}

export function parseCondition(cond: string, ids: Map<string, Detection>): Detection {
  const tokens = tokenize(cond);
  let i = 0;
  const peek = (): Token | undefined => tokens[i];
  const fail = (msg: string, t?: Token): never => {
    const shown = cond.length > 120 ? `${cond.slice(0, 120)}…` : cond;
    throw new SigmaError('condition', `${msg} at column ${t?.col ?? cond.length + 1} of condition '${shown}'`);
  };
  const isWord = (t: Token | undefined, w: string): boolean => t?.kind === 'word' && t.text.toLowerCase() === w;
  const nesting = new NestingGuard();

  const parseOr = (): Detection => {
    const parts = [parseAnd()];
    while (isWord(peek(), 'or')) {
      i++;
      parts.push(parseAnd());
    }
    return or(parts);
  };
  const parseAnd = (): Detection => {
    const parts = [parseNot()];
    while (isWord(peek(), 'and')) {
      i++;
      parts.push(parseNot());
    }
    return and(parts);
  };
  // Every recursion (a parenthesis, a `not`) passes here: the guard bounds the depth.
  const parseNot = (): Detection => nesting.within((m) => fail(m, peek()), () => {
    if (isWord(peek(), 'not')) {
      i++;
      return not(parseNot());
    }
    return parsePrimary();
  });
  const parsePrimary = (): Detection => {
    const t = peek();
    if (!t) return fail('condition ends too early');
    if (t.kind === 'pipe') return fail('aggregation expressions (Sigma 1 "| count()") are not supported: use a correlation rule', t);
    if (t.kind === 'lparen') {
      i++;
      const inner = parseOr();
      if (peek()?.kind !== 'rparen') fail("missing ')'", peek());
      i++;
      return inner;
    }
    if (t.kind === 'rparen') return fail("unexpected ')'", t);
    const next = tokens[i + 1];
    if (isWord(next, 'of')) return parseQuantifier();
    const lower = t.text.toLowerCase();
    if (lower === 'and' || lower === 'or' || lower === 'of' || lower === 'them') return fail(`unexpected '${t.text}'`, t);
    i++;
    const d = ids.get(t.text);
    if (!d) return fail(`unknown search identifier '${t.text}'`, t);
    return d;
  };
  const parseQuantifier = (): Detection => {
    const q = tokens[i];
    const target = tokens[i + 2];
    i += 3;
    if (!target || target.kind !== 'word') return fail("missing a pattern or 'them' after 'of'", target);
    const quant = q.text.toLowerCase();
    let names: string[];
    if (target.text.toLowerCase() === 'them') {
      names = [...ids.keys()].filter((n) => !n.startsWith('_'));
    } else {
      const re = new RegExp('^' + target.text.split('*').map(escapeRegex).join('.*') + '$');
      names = [...ids.keys()].filter((n) => re.test(n));
    }
    if (names.length === 0) return fail(`'${target.text}' matches no search identifier`, target);
    const ds = names.map((n) => ids.get(n)!);
    if (quant === 'all') return and(ds);
    if (quant === 'any' || quant === '1') return or(ds);
    const n = Number(quant);
    if (!Number.isInteger(n) || n < 1) return fail(`'${q.text} of' needs 1, all, any or a positive number`, q);
    if (n > ds.length) return { kind: 'const', value: false };
    return atLeast(n, ds);
  };

  const result = parseOr();
  if (i < tokens.length) fail(`unexpected '${tokens[i].text}'`, tokens[i]);
  return result;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** At least n of ds: an OR over the n-combinations (bounded: conditions name few identifiers). */
function atLeast(n: number, ds: Detection[]): Detection {
  if (n === 1) return or(ds);
  if (n === ds.length) return and(ds);
  const combos: Detection[] = [];
  const pick = (start: number, chosen: Detection[]): void => {
    if (combos.length > 1000) throw new SigmaError('too-large', `'${n} of' over ${ds.length} identifiers is too large`);
    if (chosen.length === n) {
      combos.push(and(chosen));
      return;
    }
    for (let k = start; k < ds.length; k++) pick(k + 1, [...chosen, ds[k]]);
  };
  pick(0, []);
  return or(combos);
}
