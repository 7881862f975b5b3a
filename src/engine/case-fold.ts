/**
 * Case folding of UTF-16 code units. The tables cover all 65,536 code units; they are built on first
 * use (a scan that restores its automata from the rule cache never needs UNFOLD).
 */
let fold: Uint16Array | undefined;
let unfold: { get(c: number): number[] | undefined } | undefined;

/** Code units lower-cased per toLowerCase call when the table is built (see buildFold). */
const FOLD_BLOCK = 256;
/** Greek capital sigma: toLowerCase gives final sigma before a non-letter, so it is folded on its own. */
const CAPITAL_SIGMA = 0x3a3;

/** FOLD()[c] is the lower-case form of c (c itself when that form has more than one code unit). */
export function FOLD(): Uint16Array {
  if (!fold) fold = buildFold();
  return fold;
}

/**
 * The table, one toLowerCase per block of 256 consecutive code units rather than one per code
 * unit (65,536 calls took 10-17 ms of a scan's start). toLowerCase maps each code unit on its own
 * except for expansions (U+0130 gives two units: the block's length changes and it is folded unit by
 * unit), final sigma (folded on its own) and surrogate pairs (consecutive code units pair only across
 * the block boundary at U+DBFF/U+DC00, never inside a block).
 */
function buildFold(): Uint16Array {
  const f = new Uint16Array(65536);
  // A plain array: spreading a typed array into fromCharCode goes through its iterator (~8 ms in all).
  const units = new Array<number>(FOLD_BLOCK).fill(0);
  for (let base = 0; base < 65536; base += FOLD_BLOCK) {
    for (let i = 0; i < FOLD_BLOCK; i++) units[i] = base + i;
    const lower = String.fromCharCode.apply(null, units).toLowerCase();
    if (lower.length === FOLD_BLOCK) for (let i = 0; i < FOLD_BLOCK; i++) f[base + i] = lower.charCodeAt(i);
    else for (let i = 0; i < FOLD_BLOCK; i++) f[base + i] = foldUnit(base + i);
  }
  f[CAPITAL_SIGMA] = foldUnit(CAPITAL_SIGMA);
  return f;
}

/** One code unit folded on its own (the definition the table follows). */
export function foldUnit(c: number): number {
  const lc = String.fromCharCode(c).toLowerCase();
  return lc.length === 1 ? lc.charCodeAt(0) : c;
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

/**
 * UNFOLD().get(c): every code unit whose folded form is c, ascending (undefined when none). Most
 * code units fold to themselves and nothing else folds to them: only the others (about 1,400: upper
 * case letters, the Kelvin sign...) are listed by what they fold to. A Map of 65,536 lists built one
 * push at a time took ~17 ms of a scan's start.
 */
export function UNFOLD(): { get(c: number): number[] | undefined } {
  if (!unfold) unfold = buildUnfold();
  return unfold;
}

function buildUnfold(): { get(c: number): number[] | undefined } {
  const f = FOLD();
  // Per folded form, the code units other than itself that fold to it (ascending: x increases).
  const others = new Map<number, number[]>();
  for (let x = 0; x < 65536; x++) {
    const c = f[x];
    if (c === x) continue;
    const l = others.get(c);
    if (l) l.push(x);
    else others.set(c, [x]);
  }
  const lists = new Map<number, number[]>();
  return {
    get(c: number): number[] | undefined {
      if (!(c >= 0 && c < 65536 && Number.isInteger(c))) return undefined;
      let l = lists.get(c);
      if (l) return l;
      const o = others.get(c);
      if (f[c] !== c) {
        // c itself folds to something else: only the others (if any) fold to it.
        if (!o) return undefined;
        l = o;
      } else l = o ? [c, ...o].sort((a, b) => a - b) : [c];
      lists.set(c, l);
      return l;
    },
  };
}
