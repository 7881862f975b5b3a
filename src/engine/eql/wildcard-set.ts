/**
 * The wildcard patterns of one `:` test (`process.command_line : ("*-enc*", "*iex*", "C:\\*.ps1")`)
 * as one matcher: the value is folded once for all of them, and the common shapes (`*text*`,
 * `text*`, `*text`) are native substring tests; the rest keep the two-pointer glob (glob.ts) on the
 * folded value. `:` is case-insensitive, and EQL patterns have no escapes (a backslash is literal).
 *
 * A long list (Elastic rules list dozens of command-line fragments) is one Aho-Corasick pass
 * instead: every pattern's literal (its text, or a glob's longest piece) goes into one automaton,
 * the folded value is scanned once, and only the patterns whose literal it holds are decided (a
 * `*text*` by the hit itself, `text*` / `*text` / `text` by the hit's place, a glob by the glob).
 * The automaton scans the folded value: its patterns are folded too, so it finds exactly what
 * includes / startsWith / endsWith on the folded value find.
 */
import { foldString } from '../case-fold.js';
import { LiteralAutomaton, newMarks } from '../aho-corasick.js';
import type { Marks } from '../aho-corasick.js';
import { foldCached } from './fold-cache.js';
import { compileGlob, globMatch, type Glob } from '../glob.js';
import { eqlPatternToGlob, type Scalar, type Value } from './values.js';

/** Lists with at least this many literal patterns take the automaton (a few includes cost less than a scan). */
const AUTOMATON_MIN = 4;

const CONTAINS = 0;
const PREFIX = 1;
const SUFFIX = 2;
const WHOLE = 3;
const GLOB = 4;

/** One pattern decided by the automaton: how its literal must occur, and its glob when the literal is only a piece. */
interface Keyed {
  kind: number;
  glob?: Glob;
}

/** The automaton form of a list: per literal id, the patterns it decides. */
interface Scanned {
  automaton: LiteralAutomaton;
  marks: Marks;
  byId: Keyed[][];
}

export class WildcardSet {
  private readonly contains: string[] = [];
  private readonly prefixes: string[] = [];
  private readonly suffixes: string[] = [];
  private readonly globs: Glob[] = [];
  /**
   * `?text` and `?text*` (Elastic rules' drive letter: `?:\\Windows\\*.exe`): any one character,
   * then the text whole or as a prefix; tested by place, without the automaton or a glob.
   */
  private readonly oneWholes = new Set<string>();
  private readonly onePrefixes: string[] = [];
  /** Patterns in oneWholes (a repeated one counts again, as in the other lists). */
  private oneWholeCount = 0;
  private any = false;
  private readonly scanned?: Scanned;

  constructor(patterns: string[]) {
    const wholes: string[] = [];
    for (const raw of patterns) {
      const p = foldString(raw);
      const inner = p.replace(/^\*+/, '').replace(/\*+$/, '');
      const lead = inner.length < p.length && p.startsWith('*');
      const trail = inner.length < p.length && p.endsWith('*');
      const one = oneLead(p);
      if (inner === '') this.any = true;
      else if (one) {
        if (one.prefix) this.onePrefixes.push(one.text);
        else {
          this.oneWholes.add(one.text);
          this.oneWholeCount++;
        }
      } else if (inner.includes('*') || inner.includes('?')) this.globs.push(compileGlob(eqlPatternToGlob(p), true));
      else if (lead && trail) this.contains.push(inner);
      else if (trail) this.prefixes.push(inner);
      else if (lead) this.suffixes.push(inner);
      else wholes.push(p);
    }
    const keyed = this.contains.length + this.prefixes.length + this.suffixes.length + wholes.length + this.globs.filter((g) => g.pieces.length).length;
    if (!this.any && keyed >= AUTOMATON_MIN) {
      this.scanned = this.buildScanned(wholes);
      return;
    }
    for (const w of wholes) this.globs.push(compileGlob(eqlPatternToGlob(w), true));
  }

  private buildScanned(wholes: string[]): Scanned {
    const ids = new Map<string, number>();
    const byId: Keyed[][] = [];
    const put = (text: string, k: Keyed): void => {
      let id = ids.get(text);
      if (id === undefined) {
        id = byId.length;
        ids.set(text, id);
        byId.push([]);
      }
      byId[id].push(k);
    };
    for (const c of this.contains) put(c, { kind: CONTAINS });
    for (const c of this.prefixes) put(c, { kind: PREFIX });
    for (const c of this.suffixes) put(c, { kind: SUFFIX });
    for (const w of wholes) put(w, { kind: WHOLE });
    const unkeyed: Glob[] = [];
    for (const g of this.globs) {
      // A glob matches only values holding each of its pieces: its longest one keys it.
      let best = '';
      for (const piece of g.pieces) if (piece.length > best.length) best = piece;
      if (best) put(best, { kind: GLOB, glob: g });
      else unkeyed.push(g);
    }
    this.contains.length = 0;
    this.prefixes.length = 0;
    this.suffixes.length = 0;
    this.globs.length = 0;
    this.globs.push(...unkeyed);
    const automaton = new LiteralAutomaton();
    for (const [text, id] of ids) automaton.add(text, id);
    automaton.build();
    return { automaton, marks: newMarks(byId.length), byId };
  }

  get size(): number {
    let n = this.contains.length + this.prefixes.length + this.suffixes.length + this.globs.length + this.oneWholeCount + this.onePrefixes.length + (this.any ? 1 : 0);
    if (this.scanned) for (const k of this.scanned.byId) n += k.length;
    return n;
  }

  /** Does the value (or one of its values) match one pattern? Null and booleans never do. */
  test(v: Value): boolean {
    if (Array.isArray(v)) {
      for (const x of v) if (this.scalar(x)) return true;
      return false;
    }
    return this.scalar(v);
  }

  private scalar(x: Scalar): boolean {
    if (x === null || typeof x === 'boolean') return false;
    if (this.any) return true;
    const s = foldCached(typeof x === 'string' ? x : String(x));
    if (this.scanned && this.scan(this.scanned, s)) return true;
    for (const c of this.contains) if (s.includes(c)) return true;
    for (const c of this.prefixes) if (s.startsWith(c)) return true;
    for (const c of this.suffixes) if (s.endsWith(c)) return true;
    if (s.length > 0) {
      if (this.oneWholes.size && this.oneWholes.has(s.slice(1))) return true;
      for (const c of this.onePrefixes) if (s.length > c.length && s.startsWith(c, 1)) return true;
    }
    for (const g of this.globs) if (globMatch(g, s)) return true;
    return false;
  }

  /** One pass of the automaton over the folded value, then the patterns whose literal it found. */
  private scan(sc: Scanned, s: string): boolean {
    const m = sc.marks;
    if (++m.gen === 0x7fffffff) {
      m.hit.fill(0);
      m.start.fill(0);
      m.end.fill(0);
      m.exact.fill(0);
      m.gen = 1;
    }
    m.count = 0;
    sc.automaton.scanUnmemoized(s, m);
    const gen = m.gen;
    for (let i = 0; i < m.count; i++) {
      const id = m.found[i];
      for (const k of sc.byId[id]) {
        switch (k.kind) {
          case CONTAINS:
            return true;
          case PREFIX:
            if (m.start[id] === gen) return true;
            break;
          case SUFFIX:
            if (m.end[id] === gen) return true;
            break;
          case WHOLE:
            if (m.exact[id] === gen) return true;
            break;
          default:
            if (globMatch(k.glob!, s)) return true;
        }
      }
    }
    return false;
  }
}

/**
 * A folded pattern `?text` (whole) or `?text*` (prefix; more trailing stars alike) whose text has no
 * wildcard: its text, else undefined. `?` is one code unit, as globMatch reads it.
 */
function oneLead(p: string): { text: string; prefix: boolean } | undefined {
  if (p.charCodeAt(0) !== 63) return undefined; // ?
  let end = p.length;
  while (end > 1 && p.charCodeAt(end - 1) === 42) end--; // trailing *
  const text = p.slice(1, end);
  if (text.includes('*') || text.includes('?')) return undefined;
  return { text, prefix: end < p.length };
}
