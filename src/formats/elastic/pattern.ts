import type { Detection, Op, PredicateFlags, Scalar } from '../../model/index.js';
import { or, pred } from '../../model/index.js';

/**
 * Wildcard patterns of the Elastic query languages, reduced to one shape before lowering:
 * a list of literal runs and wildcards. From it we pick the model operator: a pattern with no
 * wildcard is `eq`, `lit*` is `starts_with`, `*lit` is `ends_with`, `*lit*` is `contains`, `*` alone is
 * `exists`, anything else is `wildcard` in the model's canonical glob form (`*`, `?` wildcards;
 * `\*`, `\?`, `\\` literal).
 */
export type PatternPart = { lit: string } | { wild: '*' | '?' };

/**
 * Splits already-decoded text into parts. `wildcards` lists the characters that are wildcards
 * (e.g. "*" or "*?"). With `backslashEscapes`, `\x` is the literal x (a trailing `\` is literal).
 */
export function patternParts(text: string, wildcards: string, backslashEscapes: boolean): PatternPart[] {
  const parts: PatternPart[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (backslashEscapes && c === '\\' && i + 1 < text.length) {
      lit += text[++i];
    } else if (wildcards.includes(c)) {
      if (lit) parts.push({ lit });
      lit = '';
      parts.push({ wild: c as '*' | '?' });
    } else {
      lit += c;
    }
  }
  if (lit) parts.push({ lit });
  return normalizeParts(parts);
}

/** Merges adjacent literals and collapses runs of `*`. */
export function normalizeParts(parts: PatternPart[]): PatternPart[] {
  const out: PatternPart[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if ('lit' in p) {
      if (!p.lit) continue;
      if (last && 'lit' in last) last.lit += p.lit;
      else out.push({ lit: p.lit });
    } else if (!(last && 'wild' in last && last.wild === '*' && p.wild === '*')) {
      out.push({ wild: p.wild });
    }
  }
  return out;
}

export function hasWildcard(parts: PatternPart[]): boolean {
  return parts.some((p) => 'wild' in p);
}

/** The model's canonical glob text for parts. */
export function canonicalGlob(parts: PatternPart[]): string {
  return parts.map((p) => ('wild' in p ? p.wild : p.lit.replace(/[\\*?]/g, (c) => `\\${c}`))).join('');
}

export function literalText(parts: PatternPart[]): string {
  return parts.map((p) => ('lit' in p ? p.lit : p.wild)).join('');
}

export interface OpValue {
  op: Op;
  value: Scalar;
}

/** Chooses the operator for one pattern (see the file comment). */
export function classifyPattern(parts: PatternPart[]): OpValue {
  const ps = normalizeParts(parts);
  if (!hasWildcard(ps)) return { op: 'eq', value: literalText(ps) };
  const star = (p: PatternPart | undefined): boolean => !!p && 'wild' in p && p.wild === '*';
  const lit = (p: PatternPart | undefined): p is { lit: string } => !!p && 'lit' in p;
  if (ps.length === 1 && star(ps[0])) return { op: 'exists', value: null };
  if (ps.length === 2 && lit(ps[0]) && star(ps[1])) return { op: 'starts_with', value: ps[0].lit };
  if (ps.length === 2 && star(ps[0]) && lit(ps[1])) return { op: 'ends_with', value: ps[1].lit };
  if (ps.length === 3 && star(ps[0]) && lit(ps[1]) && star(ps[2])) return { op: 'contains', value: ps[1].lit };
  return { op: 'wildcard', value: canonicalGlob(ps) };
}

/**
 * One predicate per operator over the same field (values grouped, first-seen order), or-ed together.
 * `exists` swallows the group: `f: ("*", "x")` is just `exists f`.
 */
export function groupedPredicates(field: string, items: OpValue[], flags: PredicateFlags): Detection {
  if (items.some((i) => i.op === 'exists')) return pred(field, 'exists', [], {});
  const byOp = new Map<Op, Scalar[]>();
  for (const it of items) {
    const vs = byOp.get(it.op) ?? [];
    if (!vs.includes(it.value)) vs.push(it.value);
    byOp.set(it.op, vs);
  }
  return or([...byOp].map(([op, values]) => pred(field, op, values, flagsFor(op, values, flags))));
}

/** The case flag only matters for string values; numbers and booleans carry no flags. */
export function flagsFor(op: Op, values: Scalar[], flags: PredicateFlags): PredicateFlags {
  if (op === 'exists' || op === 'cidr') return {};
  if (values.every((v) => typeof v !== 'string')) return {};
  return { ...flags };
}
