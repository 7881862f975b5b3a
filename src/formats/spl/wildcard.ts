/**
 * Pattern values -> the model's simplest operator. SPL search values have one wildcard, `*`
 * (a `?` is literal); `like()` patterns have `%` (any run) and `_` (one character). Pure
 * literal, prefix, suffix and infix patterns become eq / starts_with / ends_with / contains of the
 * literal; anything else becomes op 'wildcard' in the canonical glob form of predicate.ts
 * (`*`, `?` wildcards; `\*`, `\?`, `\\` literal).
 */
import type { Op } from '../../model/index.js';

export type Part = { t: 'lit'; s: string } | { t: 'any' } | { t: 'one' };

function push(parts: Part[], p: Part): void {
  const last = parts[parts.length - 1];
  if (p.t === 'lit') {
    if (!p.s) return;
    if (last?.t === 'lit') {
      last.s += p.s;
      return;
    }
  } else if (p.t === 'any' && last?.t === 'any') return;
  parts.push(p);
}

/** SPL search value: `*` is the only wildcard. */
export function splParts(text: string): Part[] {
  const parts: Part[] = [];
  for (const c of text) push(parts, c === '*' ? { t: 'any' } : { t: 'lit', s: c });
  return parts;
}

/** eval like() pattern: `%` any run, `_` one character. */
export function likeParts(text: string): Part[] {
  const parts: Part[] = [];
  for (const c of text) push(parts, c === '%' ? { t: 'any' } : c === '_' ? { t: 'one' } : { t: 'lit', s: c });
  return parts;
}

export function toGlob(parts: Part[]): string {
  return parts.map((p) => (p.t === 'any' ? '*' : p.t === 'one' ? '?' : p.s.replace(/[\\*?]/g, (m) => `\\${m}`))).join('');
}

export function hasWildcard(parts: Part[]): boolean {
  return parts.some((p) => p.t !== 'lit');
}

/** Match-everything pattern (`*`, `%`, empty run of `*`). */
export function isMatchAll(parts: Part[]): boolean {
  return parts.length === 1 && parts[0].t === 'any';
}

/** The simplest operator and value for a pattern. */
export function classify(parts: Part[]): { op: Op; value: string } {
  if (!parts.length) return { op: 'eq', value: '' };
  const lead = parts[0].t === 'any';
  const trail = parts.length > 1 && parts[parts.length - 1].t === 'any';
  const inner = parts.slice(lead ? 1 : 0, trail ? -1 : undefined);
  if (inner.length === 1 && inner[0].t === 'lit') {
    const s = inner[0].s;
    if (lead && trail) return { op: 'contains', value: s };
    if (lead) return { op: 'ends_with', value: s };
    if (trail) return { op: 'starts_with', value: s };
    return { op: 'eq', value: s };
  }
  return { op: 'wildcard', value: toGlob(parts) };
}
