/**
 * A few substrings ("needles") that cover a set of literals: every literal contains at least one
 * needle, so a value that contains one of the literals contains one of the needles. A keyword
 * rule's literals (backends/duckdb/prefilter.ts, already case-folded as all_values is) become a
 * cheaper first filter: ClickHouse 18.16 has no multiSearchAny, and one RE2 alternation over
 * all_values costs several position() scans (measured on one shard of the 32-host store, 6.07M
 * rows: the 20 Mimikatz keywords by RE2 7.2 s of CPU, '::', 'kiwi', 'mimi' by position() 4.4 s,
 * reading the column alone 1.8 s). The cover is a necessary condition only: the exact test still
 * decides, on the rows that pass.
 * Chosen greedily: the needle covering the most literals not yet covered, then the longest (rarer
 * in logs), then the first in code-unit order (the same cover on every run). Short needles pass
 * most events and save nothing: a needle is a whole literal, or MIN_NEEDLE+ characters, or made of
 * RARE characters alone ('::', not ':\' nor '.e', which every path holds).
 */

/** Needles per cover at most: each is one scan of the column; past this the RE2 alternation is cheaper. */
export const MAX_NEEDLES = 4;
/** A needle with a letter, digit or common separator is at least this long (or a whole literal). */
export const MIN_NEEDLE = 4;
/** Characters rare in event values: a pair of them alone is a needle ('::'). */
const RARE = new Set('!#$%&*+:;<=>?@^|~');
/** Longest needle tried besides whole literals, and literals looked at (bounded work per batch). */
const MAX_PIECE = 32;
const MAX_LITERALS = 256;

const rare = (s: string): boolean => s.length >= 2 && [...s].every((c) => RARE.has(c));

/** The cover of `literals`, or null when none has at most MAX_NEEDLES needles (or is no smaller than the literals). */
export function literalCover(literals: readonly string[]): string[] | null {
  const lits = [...new Set(literals)];
  if (!lits.length || lits.length > MAX_LITERALS || lits.some((l) => !l.length)) return null;
  // Each allowed needle and the literals holding it.
  const holders = new Map<string, Set<number>>();
  const add = (piece: string, i: number): void => {
    let set = holders.get(piece);
    if (!set) holders.set(piece, (set = new Set()));
    set.add(i);
  };
  lits.forEach((l, i) => {
    add(l, i);
    for (let len = 2; len <= Math.min(MAX_PIECE, l.length); len++) {
      for (let at = 0; at + len <= l.length; at++) {
        const piece = l.slice(at, at + len);
        if (len >= MIN_NEEDLE || rare(piece)) add(piece, i);
      }
    }
  });
  // Every piece up to MAX_PIECE was listed with each literal holding it; a longer whole literal may be inside another.
  for (const l of lits) if (l.length > MAX_PIECE) { const set = holders.get(l)!; lits.forEach((m, i) => { if (m.includes(l)) set.add(i); }); }
  const left = new Set(lits.map((_, i) => i));
  const out: string[] = [];
  while (left.size) {
    if (out.length === MAX_NEEDLES) return null;
    let best: string | undefined;
    let gain = 0;
    for (const [piece, set] of holders) {
      let g = 0;
      for (const i of set) if (left.has(i)) g++;
      if (g > gain || (g === gain && g > 0 && best !== undefined && (piece.length > best.length || (piece.length === best.length && piece < best)))) {
        best = piece;
        gain = g;
      }
    }
    if (best === undefined) return null;
    out.push(best);
    for (const i of holders.get(best)!) left.delete(i);
  }
  return out.length < lits.length ? out.sort() : null;
}
