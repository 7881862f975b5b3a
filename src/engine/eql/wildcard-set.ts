/**
 * The wildcard patterns of one `:` test (`process.command_line : ("*-enc*", "*iex*", "C:\\*.ps1")`)
 * as one matcher: the value is folded once for all of them, and the common shapes (`*text*`,
 * `text*`, `*text`) are native substring tests; the rest keep the two-pointer glob (glob.ts) on the
 * folded value. `:` is case-insensitive, and EQL patterns have no escapes (a backslash is literal).
 */
import { foldString } from '../case-fold.js';
import { foldCached } from './fold-cache.js';
import { compileGlob, globMatch, type Glob } from '../glob.js';
import { eqlPatternToGlob, type Scalar, type Value } from './values.js';

export class WildcardSet {
  private readonly contains: string[] = [];
  private readonly prefixes: string[] = [];
  private readonly suffixes: string[] = [];
  private readonly globs: Glob[] = [];
  private any = false;

  constructor(patterns: string[]) {
    for (const raw of patterns) {
      const p = foldString(raw);
      const inner = p.replace(/^\*+/, '').replace(/\*+$/, '');
      const lead = inner.length < p.length && p.startsWith('*');
      const trail = inner.length < p.length && p.endsWith('*');
      if (inner === '') this.any = true;
      else if (inner.includes('*') || inner.includes('?')) this.globs.push(compileGlob(eqlPatternToGlob(p), true));
      else if (lead && trail) this.contains.push(inner);
      else if (trail) this.prefixes.push(inner);
      else if (lead) this.suffixes.push(inner);
      else this.globs.push(compileGlob(eqlPatternToGlob(p), true));
    }
  }

  get size(): number {
    return this.contains.length + this.prefixes.length + this.suffixes.length + this.globs.length + (this.any ? 1 : 0);
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
    for (const c of this.contains) if (s.includes(c)) return true;
    for (const c of this.prefixes) if (s.startsWith(c)) return true;
    for (const c of this.suffixes) if (s.endsWith(c)) return true;
    for (const g of this.globs) if (globMatch(g, s)) return true;
    return false;
  }
}
