/**
 * Lucene regular expressions (EQL `regex`, ES|QL `RLIKE`, query_string `/.../`) into RE2, the
 * engine's dialect, and back. Lucene regexes match the WHOLE value, have no anchors (`^` and `$`
 * are ordinary characters), `.` matches any character (newlines too), `"..."` is a literal string,
 * `\d \w \s` (and upper-case negations) are shorthand classes, and with Elasticsearch's default
 * flags (ALL) `@` is "any string", `#` the empty language, `<n-m>` a number interval, `&` an
 * intersection and `~` a complement.
 *
 * The RE2 form is anchored: `^(?:...)$` with flag `s` when a `.` occurs (so `.` crosses newlines),
 * `i` for case-insensitive matching. Constructs RE2 cannot express (`&`, `~`, `<n-m>`, `#`) and
 * forms whose reading is unsure (an empty alternative, a quantifier with nothing before it) are
 * refused with a reason: the caller records an unknown condition.
 */

export type RegexTranslation = { ok: true; pattern: string; flags: string } | { ok: false; reason: string };

const RE2_META = new Set([...'\\.+*?()|[]{}^$']);
/** Characters Lucene reserves (always, or with the optional operators of the ALL flags). */
const LUCENE_RESERVED = new Set([...'.?+*|{}[]()"\\#@&<>~']);

const CONTROL: Record<string, string> = { n: '\n', r: '\r', t: '\t', f: '\f', v: '\v' };
/** Control characters are written as RE2 escapes (the same text both ways). */
const CONTROL_ESCAPE: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\f': '\\f', '\v': '\\v' };

const SHORTHAND: Record<string, string> = {
  d: '0-9',
  w: '0-9A-Za-z_',
  s: ' \\t\\n\\v\\f\\r',
};

class Unsupported extends Error {}

/** Lucene regex -> anchored RE2 pattern and flags. */
export function luceneRegexToRe2(src: string, insensitive: boolean): RegexTranslation {
  const t = new Translator(src);
  try {
    const body = t.union();
    if (t.i < src.length) throw new Unsupported(`unexpected '${src[t.i]}' at ${t.i}`);
    const flags = (insensitive ? 'i' : '') + (t.dot ? 's' : '');
    return { ok: true, pattern: `^(?:${body})$`, flags };
  } catch (e) {
    if (e instanceof Unsupported) return { ok: false, reason: e.message };
    if (e instanceof RangeError) return { ok: false, reason: 'regex nested too deeply' };
    throw e;
  }
}

const escRe2 = (c: string): string => (RE2_META.has(c) ? `\\${c}` : CONTROL_ESCAPE[c] ?? c);
const escClass = (c: string): string => ('\\]-[^'.includes(c) ? `\\${c}` : CONTROL_ESCAPE[c] ?? c);

class Translator {
  i = 0;
  dot = false;

  constructor(private readonly s: string) {}

  private peek(): string | undefined {
    return this.s[this.i];
  }

  union(): string {
    const branches = [this.concat()];
    while (this.peek() === '|') {
      this.i++;
      if (this.peek() === '|' || this.peek() === ')' || this.peek() === undefined) throw new Unsupported('an empty alternative (Lucene reads the next `|` as a character)');
      branches.push(this.concat());
    }
    return branches.join('|');
  }

  private concat(): string {
    let out = '';
    if (this.peek() === undefined || this.peek() === '|' || this.peek() === ')') {
      if (this.i === 0 || this.s[this.i - 1] === '(') return '';
    }
    while (this.i < this.s.length && this.peek() !== '|' && this.peek() !== ')') out += this.repeat();
    return out;
  }

  private repeat(): string {
    let atom = this.simple();
    let quantified = false;
    for (;;) {
      const c = this.peek();
      let q: string | undefined;
      if (c === '*' || c === '+' || c === '?') {
        q = c;
        this.i++;
      } else if (c === '{') {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
        if (!m) throw new Unsupported(`a '{' that is not a repeat count at ${this.i}`);
        if (m[3] && Number(m[3]) < Number(m[1])) throw new Unsupported(`repeat {${m[1]},${m[3]}} with max < min`);
        if (Number(m[1]) > 1000 || Number(m[3] || 0) > 1000) throw new Unsupported('repeat count above 1000 (RE2 limit)');
        q = m[0];
        this.i += m[0].length;
      } else break;
      // Lucene stacks quantifiers (`a*?` = `(a*)?`); RE2 would read `*?` as a lazy star.
      atom = quantified ? `(?:${atom})${q}` : `${atom}${q}`;
      quantified = true;
    }
    return atom;
  }

  private simple(): string {
    const c = this.peek();
    if (c === undefined) throw new Unsupported('unexpected end of regex');
    if ('*+?{'.includes(c)) throw new Unsupported(`a quantifier '${c}' with nothing before it at ${this.i}`);
    if (c === '&' || c === '~') throw new Unsupported(`Lucene ${c === '&' ? 'intersection `&`' : 'complement `~`'} has no RE2 equivalent`);
    if (c === '#') throw new Unsupported('Lucene empty language `#` has no RE2 equivalent');
    if (c === '<') throw new Unsupported('Lucene number interval `<n-m>` is not translated');
    this.i++;
    if (c === '.') {
      this.dot = true;
      return '.';
    }
    if (c === '@') {
      this.dot = true;
      return '(?:.*)';
    }
    if (c === '(') {
      if (this.peek() === ')') {
        this.i++;
        return '(?:)';
      }
      const inner = this.union();
      if (this.peek() !== ')') throw new Unsupported(`'(' without ')' at ${this.i}`);
      this.i++;
      return `(?:${inner})`;
    }
    if (c === '"') {
      const end = this.s.indexOf('"', this.i);
      if (end < 0) throw new Unsupported('unterminated "..." literal');
      const lit = this.s.slice(this.i, end);
      this.i = end + 1;
      return lit ? `(?:${[...lit].map(escRe2).join('')})` : '(?:)';
    }
    if (c === '[') return this.charClass();
    if (c === '\\') return this.escape(false);
    if (c === ')' || c === '|') throw new Unsupported(`unexpected '${c}' at ${this.i - 1}`);
    return escRe2(c);
  }

  /** After a backslash: a shorthand class or a literal character. */
  private escape(inClass: boolean): string {
    const n = this.peek();
    if (n === undefined) throw new Unsupported('a trailing backslash');
    this.i++;
    const lower = n.toLowerCase();
    if (SHORTHAND[lower] !== undefined) {
      const neg = n !== lower;
      if (inClass) {
        if (neg) throw new Unsupported(`a negated shorthand \\${n} inside a class`);
        return SHORTHAND[lower];
      }
      return `[${neg ? '^' : ''}${SHORTHAND[lower]}]`;
    }
    return inClass ? escClass(n) : escRe2(n);
  }

  private charClass(): string {
    let out = '[';
    if (this.peek() === '^') {
      out += '^';
      this.i++;
    }
    let first = true;
    while (this.peek() !== ']' || first) {
      const c = this.peek();
      if (c === undefined) throw new Unsupported("'[' without ']'");
      first = false;
      let item: string;
      if (c === '\\') {
        this.i++;
        item = this.escape(true);
      } else {
        this.i++;
        item = escClass(c);
      }
      if (this.peek() === '-' && this.s[this.i + 1] !== ']' && this.s[this.i + 1] !== undefined) {
        this.i++;
        let hi: string;
        if (this.peek() === '\\') {
          this.i++;
          hi = this.escape(true);
        } else hi = escClass(this.s[this.i++]);
        if (item.length > 2 || hi.length > 2) throw new Unsupported('a class range bound that is a shorthand class');
        out += `${item}-${hi}`;
      } else out += item;
    }
    this.i++;
    if (out === '[' || out === '[^') throw new Unsupported('an empty character class');
    return `${out}]`;
  }
}

/**
 * RE2 written by luceneRegexToRe2 (anchored `^(?:...)$`) back to Lucene syntax, for printers.
 * Returns undefined for a pattern that is not of that shape (e.g. an unanchored Sigma regex).
 */
export function re2ToLuceneRegex(re2: string): string | undefined {
  if (!re2.startsWith('^(?:') || !re2.endsWith(')$')) return undefined;
  // Shorthand classes come back as written (\w, not its expansion: to_lower/to_upper checks read letters).
  let s = re2.slice(4, -2);
  for (const [k, v] of Object.entries(SHORTHAND)) {
    s = s.split(`[^${v}]`).join(`\\${k.toUpperCase()}`).split(`[${v}]`).join(`\\${k}`);
  }
  let out = '';
  let inClass = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[++i];
      if (n === undefined) return undefined;
      if (CONTROL[n] !== undefined) {
        out += CONTROL[n];
        continue;
      }
      if (n === 'x') {
        const hex = /^[0-9A-Fa-f]{2}/.exec(s.slice(i + 1));
        if (!hex) return undefined;
        out += String.fromCharCode(parseInt(hex[0], 16));
        i += 2;
        continue;
      }
      if ('dDwWsS'.includes(n)) {
        out += `\\${n}`;
        continue;
      }
      if (/[A-Za-z0-9]/.test(n)) return undefined;
      out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (s[i + 1] === '^') out += s[++i];
      if (s[i + 1] === ']') out += s[++i];
      continue;
    }
    if (c === '(' && s.startsWith('?:', i + 1)) {
      out += '(';
      i += 2;
      continue;
    }
    if (c === '(' && s[i + 1] === '?') return undefined;
    out += '"#@&<>~'.includes(c) ? `\\${c}` : c;
  }
  return inClass ? undefined : out;
}

export const isLuceneReserved = (c: string): boolean => LUCENE_RESERVED.has(c);

/** Several alternative Lucene patterns of one test: their RE2 forms with one set of flags. */
export function luceneRegexValues(patterns: string[], insensitive: boolean): { ok: true; values: string[]; flags: string } | { ok: false; reason: string } {
  const values: string[] = [];
  let dot = false;
  for (const p of patterns) {
    const t = luceneRegexToRe2(p, insensitive);
    if (!t.ok) return { ok: false, reason: `regex ${JSON.stringify(p)}: ${t.reason}` };
    values.push(t.pattern);
    dot ||= t.flags.includes('s');
  }
  return { ok: true, values, flags: (insensitive ? 'i' : '') + (dot ? 's' : '') };
}
