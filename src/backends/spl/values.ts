/**
 * Model values -> SPL value text. Search values have one wildcard, `*`, and no way to write a
 * literal `*` or a one-character wildcard; like() patterns have `%` and `_` and no literal forms of
 * them. Each function returns undefined when the value cannot be written in that syntax.
 */
import type { Op, Scalar } from '../../model/index.js';
import { splString } from './quote.js';

/** The canonical glob (predicate.ts) as parts: literal text and `*` / `?` wildcards. */
type GlobPart = { t: 'lit'; s: string } | { t: 'any' } | { t: 'one' };

export function globParts(glob: string): GlobPart[] {
  const out: GlobPart[] = [];
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length && '\\*?'.includes(glob[i + 1])) {
      lit(out, glob[++i]);
      continue;
    }
    if (c === '*') out.push({ t: 'any' });
    else if (c === '?') out.push({ t: 'one' });
    else lit(out, c);
  }
  return out;
}

function lit(out: GlobPart[], c: string): void {
  const last = out[out.length - 1];
  if (last?.t === 'lit') last.s += c;
  else out.push({ t: 'lit', s: c });
}

/** The parts of a string-matching predicate value (eq, contains, starts_with, ends_with, wildcard). */
export function patternParts(op: Op, v: string): GlobPart[] {
  const l: GlobPart = { t: 'lit', s: v };
  switch (op) {
    case 'contains':
      return [{ t: 'any' }, l, { t: 'any' }];
    case 'starts_with':
      return [l, { t: 'any' }];
    case 'ends_with':
      return [{ t: 'any' }, l];
    case 'wildcard':
      return globParts(v);
    default:
      return [l];
  }
}

/** A search-language value: quoted, `*` wildcards; undefined for a literal `*` or a `?` wildcard. */
export function searchValue(parts: GlobPart[]): string | undefined {
  let s = '';
  for (const p of parts) {
    if (p.t === 'one') return undefined;
    if (p.t === 'any') s += '*';
    else if (p.s.includes('*')) return undefined;
    else s += p.s;
  }
  return splString(s);
}

/** A like() pattern; undefined when a literal holds `%` or `_`. */
export function likePattern(parts: GlobPart[], lower: boolean): string | undefined {
  let s = '';
  for (const p of parts) {
    if (p.t === 'lit' && /[%_]/.test(p.s)) return undefined;
    s += p.t === 'any' ? '%' : p.t === 'one' ? '_' : lower ? p.s.toLowerCase() : p.s;
  }
  return splString(s);
}

/** An anchored regex for parts (the last resort for patterns neither search nor like() can write). */
export function regexOf(parts: GlobPart[]): string {
  return `^${parts.map((p) => (p.t === 'any' ? '.*' : p.t === 'one' ? '.' : p.s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('')}$`;
}

/** An eval literal: strings quoted, numbers as written, true()/false(). */
export function evalLiteral(v: Scalar, lower = false): string | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : undefined;
  if (typeof v === 'boolean') return v ? 'true()' : 'false()';
  if (v === null) return undefined;
  return splString(lower ? v.toLowerCase() : v);
}
