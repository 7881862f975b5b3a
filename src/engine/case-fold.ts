/** Case folding of UTF-16 code units, computed once: FOLD[c] is the lower-case form of c. */
export const FOLD: Uint16Array = (() => {
  const t = new Uint16Array(65536);
  for (let c = 0; c < 65536; c++) {
    const lc = String.fromCharCode(c).toLowerCase();
    t[c] = lc.length === 1 ? lc.charCodeAt(0) : c;
  }
  return t;
})();

export function foldString(s: string): string {
  // toLowerCase is fast and agrees with FOLD except where it changes the length (rare).
  const l = s.toLowerCase();
  if (l.length === s.length) return l;
  let out = '';
  for (let i = 0; i < s.length; i++) out += String.fromCharCode(FOLD[s.charCodeAt(i)]);
  return out;
}

/** UNFOLD.get(c): every code unit whose folded form is c. */
export const UNFOLD: Map<number, number[]> = (() => {
  const m = new Map<number, number[]>();
  for (let c = 0; c < 65536; c++) {
    const f = FOLD[c];
    const l = m.get(f);
    if (l) l.push(c);
    else m.set(f, [c]);
  }
  return m;
})();
