/** A cursor over a token list, shared by the recursive-descent parsers. */
import { SplSyntaxError } from './errors.js';
import type { Token, TokenKind } from './lexer.js';

export class Cursor {
  private i = 0;
  /** End offset of the last token consumed (the start of the first token before any). */
  lastEnd: number;
  constructor(readonly tokens: Token[]) {
    this.lastEnd = tokens[0]?.start ?? 0;
  }

  peek(n = 0): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)];
  }

  next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') {
      this.i++;
      this.lastEnd = t.end;
    }
    return t;
  }

  atEnd(): boolean {
    return this.peek().kind === 'eof';
  }

  /** True when the next token is the bare word `w` (case-sensitive unless `ci`). */
  isWord(w: string, ci = false, n = 0): boolean {
    const t = this.peek(n);
    return t.kind === 'word' && (ci ? t.raw.toLowerCase() === w.toLowerCase() : t.raw === w);
  }

  expect(kind: TokenKind, what: string): Token {
    const t = this.peek();
    if (t.kind !== kind) throw new SplSyntaxError(t.start, `expected ${what}, found ${describe(t)}`);
    return this.next();
  }
}

export function describe(t: Token): string {
  if (t.kind === 'eof') return 'end of clause';
  const raw = t.raw.length > 40 ? `${t.raw.slice(0, 40)}...` : t.raw;
  return `${t.kind} '${raw}'`;
}
