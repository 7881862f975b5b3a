/**
 * Literals a regex cannot match without: for each top-level alternative, its longest run of plain
 * characters that is not optional, or, when that is longer, the literals of a group the alternative
 * cannot match without (`(C:\\Program Files\\|C:\\Windows\\)`: one of the group's own literals). Any
 * construct this reader is unsure of ends a run, so the result is conservative: if the regex
 * matches, at least one returned literal occurs in the text (compared case-insensitively). Returns
 * null when some alternative has no literal of 2+ chars.
 */
const CLASS_ESCAPES = new Set(['d', 'D', 'w', 'W', 's', 'S', 'b', 'B', 'A', 'z', 'Z', 'G', 'p', 'P', 'x', 'u', 'c', 'k', 'Q', 'E']);
const ARGUMENT_ESCAPES = new Set(['x', 'u', 'p', 'P', 'c', 'k', 'Q', 'E', 'N', 'o']);
const CONTROL: Record<string, string> = { n: '\n', t: '\t', r: '\r', f: '\f', v: '\v' };

export function requiredLiterals(src: string, depth = 0): string[] | null {
  const branches = splitTopLevel(src);
  if (!branches) return null;
  const out: string[] = [];
  for (const b of branches) {
    const r = longestRun(b, depth);
    if (r === null) return null;
    // The group's literals replace the run only when their shortest is longer (a better filter).
    if (r.group && shortest(r.group) > r.run.length) out.push(...r.group);
    else if (r.run.length >= 2) out.push(r.run);
    else return null;
  }
  return [...new Set(out)];
}

const shortest = (lits: string[]): number => Math.min(...lits.map((l) => l.length));

/** Groups read inside groups at most this deep (a hostile rule's nesting costs no more than this). */
const MAX_GROUP_DEPTH = 4;

/** Splits at top-level '|'; null if brackets don't balance. */
function splitTopLevel(src: string): string[] | null {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') i++;
    else if (c === '[') {
      const end = classEnd(src, i);
      if (end < 0) return null;
      i = end;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      out.push(src.slice(start, i));
      start = i + 1;
    }
    if (depth < 0) return null;
  }
  if (depth !== 0) return null;
  out.push(src.slice(start));
  return out;
}

/** Index of the ']' closing the class opened at i, or -1. */
function classEnd(src: string, i: number): number {
  let j = i + 1;
  if (src[j] === '^') j++;
  if (src[j] === ']') j++;
  for (; j < src.length; j++) {
    if (src[j] === '\\') j++;
    else if (src[j] === ']') return j;
  }
  return -1;
}

function groupEnd(src: string, i: number): number {
  let depth = 0;
  for (let j = i; j < src.length; j++) {
    const c = src[j];
    if (c === '\\') j++;
    else if (c === '[') {
      j = classEnd(src, j);
      if (j < 0) return -1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return j;
  }
  return -1;
}

/**
 * An alternative's longest required run of literal characters, and the best required group's
 * literals (a group that is not optional, plain or non-capturing, whose every alternative has a
 * literal); null when the alternative holds something this reader does not understand.
 */
function longestRun(b: string, depth: number): { run: string; group: string[] | null } | null {
  let group: string[] | null = null;
  let best = '';
  let run = '';
  const flush = (): void => {
    if (run.length > best.length) best = run;
    run = '';
  };
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let item: string | null = null; // a literal character, or null for a non-literal item
    let next = i + 1;
    let inner: string | undefined; // a plain or non-capturing group's content
    if (c === '\\') {
      const e = b[i + 1];
      if (e === undefined) return null;
      next = i + 2;
      // An escape with an argument (\x41, \x{41}, \u0041, \p{L}, \cA, \k<n>, \Q...\E): its argument is no
      // literal text, and reading it as one would demand characters the match does not contain.
      if (ARGUMENT_ESCAPES.has(e)) return null;
      if (CLASS_ESCAPES.has(e) || /[0-9]/.test(e)) item = null;
      else item = CONTROL[e] ?? e;
    } else if (c === '[') {
      const end = classEnd(b, i);
      if (end < 0) return null;
      next = end + 1;
    } else if (c === '(') {
      const end = groupEnd(b, i);
      if (end < 0) return null;
      next = end + 1;
      // Other `(?` forms (flags, names, look-arounds) are left unread: only their run-ending role counts.
      if (b[i + 1] !== '?') inner = b.slice(i + 1, end);
      else if (b[i + 2] === ':') inner = b.slice(i + 3, end);
    } else if (c === '.' || c === '^' || c === '$') {
      item = null;
    } else if (c === '*' || c === '+' || c === '?' || c === '{' || c === ')' || c === '|') {
      return null; // quantifier without an item, or unbalanced: not understood
    } else {
      item = c;
    }
    // Quantifier on this item?
    const q = b[next];
    let optional = false;
    let repeated = false;
    if (q === '*' || q === '?') {
      optional = true;
      next++;
    } else if (q === '+') {
      repeated = true;
      next++;
    } else if (q === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(b.slice(next));
      if (m) {
        optional = m[1] === '' || Number(m[1]) === 0;
        repeated = true;
        next += m[0].length;
      }
    }
    if (next > i + 1 && (b[next] === '?' || b[next] === '+') && (optional || repeated)) next++; // lazy / possessive
    if (inner !== undefined && !optional && depth < MAX_GROUP_DEPTH) {
      const lits = requiredLiterals(inner, depth + 1);
      if (lits && (!group || shortest(lits) > shortest(group))) group = lits;
    }
    if (item === null || optional) flush();
    else {
      run += item;
      if (repeated) flush();
    }
    i = next;
  }
  flush();
  return { run: best.toLowerCase(), group };
}

/**
 * Can the regex match only a text holding a character beyond ASCII? True when every top-level
 * alternative has, outside any group and not optional, a non-ASCII literal character or a class
 * whose every member is one (`.*[ʰ-˿ᴬ-ᶻ]+.*`: modifier letters). Then a text of ASCII only never
 * matches, and the regex need not run on it. Conservative: an escape, a negated class, a range with
 * an ASCII end or anything unread gives false. Case-sensitive regexes only: case folding maps some
 * characters beyond ASCII to ASCII ones (the Kelvin sign to k).
 */
export function requiresNonAscii(src: string): boolean {
  // Inline flags (`(?i)`, `(?i:...)`) may turn on case folding: only plain `(?:` groups are read past.
  if (/\(\?(?!:)/.test(src)) return false;
  const branches = splitTopLevel(src);
  if (!branches) return false;
  return branches.every(branchRequiresNonAscii);
}

function branchRequiresNonAscii(b: string): boolean {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    let next = i + 1;
    let nonAscii = false;
    if (c === '\\') {
      // An escape with an argument cannot be skipped without reading it: not understood.
      if (b[i + 1] === undefined || ARGUMENT_ESCAPES.has(b[i + 1])) return false;
      next = i + 2;
    } else if (c === '[') {
      const end = classEnd(b, i);
      if (end < 0) return false;
      nonAscii = classIsNonAscii(b.slice(i + 1, end));
      next = end + 1;
    } else if (c === '(') {
      const end = groupEnd(b, i);
      if (end < 0) return false;
      next = end + 1;
    } else if (c === '*' || c === '+' || c === '?' || c === '{' || c === ')' || c === '|') {
      return false;
    } else {
      const u = c.charCodeAt(0);
      nonAscii = u > 0x7f;
      // A character beyond the BMP is two code units: one item (a quantifier after it applies to both).
      if (u >= 0xd800 && u <= 0xdbff && next < b.length) next++;
    }
    const q = b[next];
    let optional = false;
    if (q === '*' || q === '?') {
      optional = true;
      next++;
    } else if (q === '+') next++;
    else if (q === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(b.slice(next));
      if (!m) return false;
      optional = m[1] === '' || Number(m[1]) === 0;
      next += m[0].length;
    }
    if (b[next] === '?' || b[next] === '+') {
      if (next === i + 1) return false;
      next++; // lazy / possessive
    }
    if (nonAscii && !optional) return true;
    i = next;
  }
  return false;
}

/** Is every member of a class body (between its brackets) beyond ASCII: plain characters and ranges of them, nothing else? */
function classIsNonAscii(body: string): boolean {
  if (body.length === 0) return false;
  for (let j = 0; j < body.length; j++) {
    const c = body.charCodeAt(j);
    if (c > 0x7f) continue;
    // A dash between two characters beyond ASCII is a range of them; anywhere else, or any other ASCII, is not.
    if (c === 45 && j > 0 && j < body.length - 1 && body.charCodeAt(j - 1) > 0x7f && body.charCodeAt(j + 1) > 0x7f) continue;
    return false;
  }
  return true;
}
