/**
 * A fast reader for the plain subset of YAML that rule files are written in: block maps and block
 * sequences by indentation, one-line plain and quoted scalars, `|` and `>` block scalars, comments
 * and `---` document markers. It gives the same data as the `yaml` package (parseAllDocuments, then
 * toJS) about eight times faster on SigmaHQ, and returns undefined as soon as a file uses anything else (flow
 * collections, anchors, tags, multi-line plain or quoted scalars, tabs, explicit keys, ...) or is not
 * valid YAML: the caller then reads it with the `yaml` package, which also reports the errors with
 * their positions. Plain scalars are resolved by the `yaml` package's own core-schema tags, so
 * numbers, booleans and nulls come out as it reads them.
 * Linear in the text; nesting deeper than MAX_DEPTH is left to the `yaml` package.
 */
import { isScalar, Schema } from 'yaml';

/** One document: its data and the line the `yaml` package gives as its start (see parseSigmaText). */
export interface FastDoc {
  data: unknown;
  line: number;
}

/** Deeper nesting is left to the `yaml` package (and to the caller's own bounds). */
const MAX_DEPTH = 64;
/** The `yaml` package refuses implicit keys longer than 1024 characters. */
const MAX_KEY = 1000;

interface ScalarTag {
  default?: boolean | 'key';
  test?: RegExp;
  resolve: (value: string, onError: (message: string) => void, options: object) => unknown;
}

const schema = new Schema({});
/** The core schema's implicit scalar tags, in the order the `yaml` package tries them. */
const TAGS = (schema.tags as unknown as ScalarTag[]).filter((t) => t.default === true && t.test);
const RESOLVE_OPTIONS = { intAsBigInt: false };

/** Thrown (and caught in fastYamlDocs) when the text leaves the subset. */
class Unsupported extends Error {}
const UNSUPPORTED = new Unsupported();
const bail = (): never => {
  throw UNSUPPORTED;
};

/** Characters no control character but newline may be; a BOM; CR (line ends are LF only here). */
const REFUSED_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f\ufeff]/;
/** First characters of a plain scalar that YAML reserves or gives a meaning (c-indicator). */
const INDICATORS = new Set(['-', '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', "'", '"', '%', '@', '`']);
const DQ_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', e: '\x1b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', N: '\u0085', _: '\u00a0',
  L: '\u2028', P: '\u2029', ' ': ' ', '"': '"', '/': '/', '\\': '\\',
};
const HEX_DIGITS = { x: 2, u: 4, U: 8 } as Record<string, number>;

/** The documents of `text`, or undefined when it is not in the subset (read it with the `yaml` package). */
export function fastYamlDocs(text: string): FastDoc[] | undefined {
  if (REFUSED_CHARS.test(text)) return undefined;
  try {
    return new Reader(text).documents();
  } catch (e) {
    if (e === UNSUPPORTED) return undefined;
    throw e;
  }
}

/**
 * First characters of the core schema's null, boolean and number forms (`~`, null, true, false,
 * digits, signs, `.5`, `.inf`, `.nan`): any other plain scalar is a string without trying the tags.
 */
const TAGGED_FIRST = /^[~nNtTfF0-9+\-.]/;

function resolvePlain(s: string): unknown {
  if (!TAGGED_FIRST.test(s)) return s;
  for (const tag of TAGS) {
    if (tag.test!.test(s)) {
      let failed = false;
      const r = tag.resolve(s, () => (failed = true), RESOLVE_OPTIONS);
      // The null tag gives a Scalar node; the others give values.
      const v = isScalar(r) ? r.value : r;
      if (failed || (typeof v === 'object' && v !== null)) bail();
      return typeof v === 'bigint' ? Number(v) : v;
    }
  }
  return s;
}

/**
 * Sets a key as the `yaml` package's toJS does: it defines keys already present (own or inherited)
 * as own properties; plain assignment gives the same for all of them but `__proto__`.
 */
function setKey(map: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(map, key, { value, writable: true, enumerable: true, configurable: true });
  else map[key] = value;
}

class Reader {
  private readonly lines: string[];
  /** Current line. */
  private i = 0;
  /** Last line (exclusive) of the current document. */
  private end = 0;

  constructor(text: string) {
    this.lines = text.split('\n');
  }

  documents(): FastDoc[] {
    const out: FastDoc[] = [];
    const n = this.lines.length;
    let start = 0;
    let first = true;
    while (start < n || first) {
      // A document runs to the next `---` line; its start line is that marker's, or its first content line.
      let marker = -1;
      if (start < n && isMarker(this.lines[start])) {
        marker = start;
        start++;
      }
      let end = start;
      while (end < n && !isMarker(this.lines[end])) {
        const l = this.lines[end];
        if (l.startsWith('%') || l.startsWith('...')) bail();
        end++;
      }
      this.i = start;
      this.end = end;
      this.skipBlank();
      const contentLine = this.i;
      let data: unknown = null;
      if (this.i < end) {
        if (indentOf(this.lines[this.i]) !== 0) bail();
        data = this.node(0, 0);
        this.skipBlank();
        if (this.i < end) bail();
      }
      // A document with no content and no marker (text before the first `---` that is only comments) is none.
      if (marker >= 0 || contentLine < end) out.push({ data, line: (marker >= 0 ? marker : contentLine) + 1 });
      start = end;
      first = false;
    }
    return out;
  }

  /** Skips empty, blank and comment lines. */
  private skipBlank(): void {
    while (this.i < this.end) {
      const l = this.lines[this.i];
      const t = indentOf(l);
      if (t < l.length && l[t] !== '#') return;
      this.i++;
    }
  }

  /** The block node starting at line i, column `col` (a map or a sequence). */
  private node(col: number, depth: number): unknown {
    if (depth > MAX_DEPTH) bail();
    const l = this.lines[this.i];
    if (isSeqItem(l, col)) return this.seq(col, depth);
    return this.map(col, col, depth);
  }

  /** A block sequence of `- ` items at column `col`. */
  private seq(col: number, depth: number): unknown[] {
    const out: unknown[] = [];
    for (;;) {
      this.skipBlank();
      if (this.i >= this.end) return out;
      const l = this.lines[this.i];
      const ind = indentOf(l);
      if (ind < col) return out;
      if (ind > col) bail();
      if (!isSeqItem(l, col)) return out; // a key of the map this sequence is the value of (checked there)
      let c = col + 1;
      while (l.charCodeAt(c) === 32) c++;
      if (c >= l.length || l[c] === '#') {
        // `-` alone: the item is on the next lines, further indented, or null.
        this.i++;
        out.push(this.nested(col, false, depth));
      } else if (l[c] === '-' && isSeqItem(l, c)) {
        bail();
      } else if (keyEnd(l, c) >= 0) {
        // `- key: value`: a map whose column is its first key's.
        out.push(this.map(c, col, depth + 1));
      } else {
        out.push(this.inlineValue(l, c, col));
      }
    }
  }

  /**
   * A block map at column `col`; its first key may follow a `- ` on line i (then `parent` is that
   * dash's column, else `parent` = `col`).
   */
  private map(col: number, parent: number, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    let firstLine = parent !== col;
    for (;;) {
      if (!firstLine) {
        this.skipBlank();
        if (this.i >= this.end) return out;
        const ind = indentOf(this.lines[this.i]);
        if (ind < col) return out;
        if (ind > col) bail();
      }
      firstLine = false;
      const l = this.lines[this.i];
      if (isSeqItem(l, col)) bail();
      const colon = keyEnd(l, col);
      if (colon < 0) bail();
      const key = this.key(l, col, colon);
      let c = colon + 1;
      while (l.charCodeAt(c) === 32) c++;
      if (c >= l.length || l[c] === '#') {
        if (c > colon + 1 || c >= l.length) {
          this.i++;
          setKey(out, key, this.nested(col, true, depth));
          continue;
        }
        bail(); // `key:#` is no comment
      }
      if (c === colon + 1) bail();
      setKey(out, key, this.inlineValue(l, c, col));
    }
  }

  /** The value of a key or item that ends its line: a nested node, a sequence at the key's column, or null. */
  private nested(col: number, inMap: boolean, depth: number): unknown {
    this.skipBlank();
    if (this.i >= this.end) return null;
    const l = this.lines[this.i];
    const ind = indentOf(l);
    if (ind > col) return this.node(ind, depth + 1);
    if (inMap && ind === col && isSeqItem(l, col)) return this.seq(col, depth + 1);
    return null;
  }

  /** A map key from column `col` to the colon at `colon`, as a property name. */
  private key(l: string, col: number, colon: number): string {
    const q = l[col];
    if (q === "'" || q === '"') {
      const r = q === "'" ? singleQuoted(l, col) : doubleQuoted(l, col);
      if (trimSpaces(l.slice(r.end, colon)) !== '') bail();
      return r.value;
    }
    const raw = trimSpaces(l.slice(col, colon));
    if (raw === '' || raw.length > MAX_KEY || INDICATORS.has(raw[0]) || raw.includes(' #') || raw === '<<') bail();
    const v = resolvePlain(raw);
    return v === null ? '' : String(v);
  }

  /**
   * A scalar starting at column `c` of line i (after `key: ` or `- `), in a node at column `col`;
   * moves past it. Nothing may follow on further-indented lines (that would be a multi-line scalar).
   */
  private inlineValue(l: string, c: number, col: number): unknown {
    const ch = l[c];
    let value: unknown;
    if (ch === "'" || ch === '"') {
      const r = ch === "'" ? singleQuoted(l, c) : doubleQuoted(l, c);
      if (!restIsComment(l, r.end)) bail();
      value = r.value;
      this.i++;
    } else if (ch === '|' || ch === '>') {
      return this.blockScalar(l, c, col);
    } else {
      if (INDICATORS.has(ch) && !(ch === '-' && c + 1 < l.length && l.charCodeAt(c + 1) !== 32)) bail();
      const hash = l.indexOf(' #', c);
      const s = trimSpaces(hash < 0 ? l.slice(c) : l.slice(c, hash));
      if (s.includes(': ') || s.endsWith(':')) bail();
      value = resolvePlain(s);
      this.i++;
    }
    this.noContinuation(col);
    return value;
  }

  /** After a one-line scalar: the next content line must not be further indented than its node. */
  private noContinuation(col: number): void {
    const keep = this.i;
    this.skipBlank();
    if (this.i < this.end && indentOf(this.lines[this.i]) > col) bail();
    this.i = keep;
  }

  /** A `|` or `>` block scalar whose header is at column `c` of line i, in a node at column `col`. */
  private blockScalar(l: string, c: number, col: number): string {
    const folded = l[c] === '>';
    let h = c + 1;
    let strip = false;
    if (l[h] === '-') {
      strip = true;
      h++;
    }
    if (!restIsComment(l, h) || (h < l.length && l.charCodeAt(h) !== 32)) bail();
    this.i++;
    // The block: every following line that is empty or indented at least as its first content line.
    const first = this.i;
    let j = first;
    let indent = -1;
    while (j < this.end) {
      const line = this.lines[j];
      const ind = indentOf(line);
      if (ind === line.length) {
        j++;
        continue;
      }
      indent = ind;
      break;
    }
    if (indent <= col) bail(); // empty block scalars and odd indentation are left to the `yaml` package
    const body: string[] = [];
    j = first;
    while (j < this.end) {
      const line = this.lines[j];
      const ind = indentOf(line);
      if (ind === line.length) {
        if (ind > indent) bail(); // blank lines longer than the indentation
        body.push('');
      } else if (ind < indent) {
        break;
      } else {
        if (folded && ind > indent) bail(); // more-indented lines of a folded scalar
        body.push(line.slice(indent));
      }
      j++;
    }
    this.i = j;
    let last = body.length;
    while (last > 0 && body[last - 1] === '') last--;
    let value = '';
    if (!folded) {
      value = body.slice(0, last).join('\n');
    } else {
      let sep = '';
      for (let k = 0; k < last; k++) {
        const line = body[k];
        if (line === '') {
          if (sep === '\n' || value === '') value += '\n';
          else sep = '\n';
        } else {
          value += sep + line;
          sep = ' ';
        }
      }
    }
    return strip ? value : `${value}\n`;
  }
}

function isMarker(l: string): boolean {
  if (!l.startsWith('---')) return false;
  if (l.length === 3) return true;
  if (l.charCodeAt(3) !== 32) return false;
  // `--- content` on the marker line is left to the `yaml` package.
  if (!restIsComment(l, 3)) bail();
  return true;
}

/** Trailing spaces off (YAML's white space is space and tab; String.trimEnd would take other characters too). */
function trimSpaces(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

function indentOf(l: string): number {
  let n = 0;
  while (l.charCodeAt(n) === 32) n++;
  return n;
}

/** `- ` (or a lone `-`) at column `col`. */
function isSeqItem(l: string, col: number): boolean {
  return l.charCodeAt(col) === 45 && (col + 1 === l.length || l.charCodeAt(col + 1) === 32);
}

/** Only spaces, then maybe a comment (after at least one space), from column `c` on. */
function restIsComment(l: string, c: number): boolean {
  let k = c;
  while (l.charCodeAt(k) === 32) k++;
  return k >= l.length || (l[k] === '#' && k > c);
}

/**
 * The column of the colon that ends a map key starting at column `c`, or -1 if the line holds no
 * key there. A quoted key ends at its closing quote; a plain key at the first `: ` or final `:`.
 */
function keyEnd(l: string, c: number): number {
  const q = l[c];
  if (q === "'" || q === '"') {
    let end: number;
    try {
      end = (q === "'" ? singleQuoted(l, c) : doubleQuoted(l, c)).end;
    } catch {
      return -1;
    }
    let k = end;
    while (l.charCodeAt(k) === 32) k++;
    return l[k] === ':' && (k + 1 === l.length || l.charCodeAt(k + 1) === 32) ? k : -1;
  }
  for (let k = c; k < l.length; k++) {
    const ch = l.charCodeAt(k);
    if (ch === 35 && k > c && l.charCodeAt(k - 1) === 32) return -1; // a comment first
    if (ch === 58 && (k + 1 === l.length || l.charCodeAt(k + 1) === 32)) return k;
  }
  return -1;
}

/** A '...' scalar on one line from column c: its value and the column after the closing quote. */
function singleQuoted(l: string, c: number): { value: string; end: number } {
  let value = '';
  let k = c + 1;
  for (;;) {
    const q = l.indexOf("'", k);
    if (q < 0) bail();
    value += l.slice(k, q);
    if (l[q + 1] === "'") {
      value += "'";
      k = q + 2;
    } else {
      return { value, end: q + 1 };
    }
  }
}

/** A "..." scalar on one line from column c, escapes resolved as the `yaml` package does. */
function doubleQuoted(l: string, c: number): { value: string; end: number } {
  let value = '';
  let k = c + 1;
  while (k < l.length) {
    const ch = l[k];
    if (ch === '"') return { value, end: k + 1 };
    if (ch !== '\\') {
      value += ch;
      k++;
      continue;
    }
    const e = l[k + 1];
    if (e !== undefined && e in DQ_ESCAPES) {
      value += DQ_ESCAPES[e];
      k += 2;
    } else if (e !== undefined && e in HEX_DIGITS) {
      const n = HEX_DIGITS[e];
      const hex = l.slice(k + 2, k + 2 + n);
      if (hex.length !== n || !/^[0-9a-fA-F]+$/.test(hex)) bail();
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) bail();
      value += String.fromCodePoint(code);
      k += 2 + n;
    } else {
      bail();
    }
  }
  return bail();
}
