/**
 * Case folding of UTF-16 code units. The tables cover all 65,536 code units; they are built on first
 * use (a scan that restores its automata from the rule cache never needs UNFOLD).
 */
let fold: Uint16Array | undefined;
let unfold: Map<number, number[]> | undefined;

/** FOLD()[c] is the lower-case form of c. */
export function FOLD(): Uint16Array {
  if (!fold) {
    fold = new Uint16Array(65536);
    for (let c = 0; c < 65536; c++) {
      const lc = String.fromCharCode(c).toLowerCase();
      fold[c] = lc.length === 1 ? lc.charCodeAt(0) : c;
    }
  }
  return fold;
}

export function foldString(s: string): string {
  // toLowerCase is fast and agrees with FOLD except where it changes the length (rare).
  const l = s.toLowerCase();
  if (l.length === s.length) return l;
  const f = FOLD();
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(f[s.charCodeAt(i)]);
  return out;
}

/** UNFOLD().get(c): every code unit whose folded form is c. */
export function UNFOLD(): Map<number, number[]> {
  if (!unfold) {
    const f = FOLD();
    unfold = new Map();
    for (let c = 0; c < 65536; c++) {
      const l = unfold.get(f[c]);
      if (l) l.push(c);
      else unfold.set(f[c], [c]);
    }
  }
  return unfold;
}
