/**
 * Matching of the model's canonical glob (`*`, `?`; `\*`, `\?`, `\\` literal) in linear-bounded
 * time: the classic two-pointer algorithm that backtracks only to the last `*` (O(n*m) worst case,
 * no exponential blow-up on hostile input).
 */
import { foldString } from './case-fold.js';

const STAR = -1;
const ONE = -2;

export interface Glob {
  /** Pattern as code units, STAR and ONE for wildcards. */
  units: Int32Array;
  cased: boolean;
  /** Literal pieces between wildcards (folded unless cased): the longest can prefilter. */
  pieces: string[];
}

export function compileGlob(pattern: string, cased: boolean): Glob {
  const units: number[] = [];
  const pieces: string[] = [];
  let piece = '';
  const text = cased ? pattern : foldString(pattern);
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && (text[i + 1] === '*' || text[i + 1] === '?' || text[i + 1] === '\\')) {
      units.push(text.charCodeAt(i + 1));
      piece += text[i + 1];
      i++;
    } else if (c === '*' || c === '?') {
      units.push(c === '*' ? STAR : ONE);
      if (piece) pieces.push(piece);
      piece = '';
    } else {
      units.push(text.charCodeAt(i));
      piece += c;
    }
  }
  if (piece) pieces.push(piece);
  return { units: Int32Array.from(units), cased, pieces };
}

export function globMatch(g: Glob, value: string): boolean {
  const s = g.cased ? value : foldString(value);
  const p = g.units;
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    if (pi < p.length && (p[pi] === ONE || p[pi] === s.charCodeAt(si))) {
      si++;
      pi++;
    } else if (pi < p.length && p[pi] === STAR) {
      starP = pi++;
      starS = si;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (pi < p.length && p[pi] === STAR) pi++;
  return pi === p.length;
}
