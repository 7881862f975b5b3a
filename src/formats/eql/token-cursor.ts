/** A cursor over EQL-lexer tokens with the look-ahead helpers both the EQL and ES|QL parsers use. */
import { ParseFailure } from '../elastic/position.js';
import type { Token } from './token.js';
import { NestingGuard } from '../nesting.js';

export abstract class TokenCursor {
  protected toks: Token[] = [];
  protected i = 0;
  private readonly nesting = new NestingGuard();

  /** Runs one recursive step of the parser, failing at the current token past MAX_NESTING levels. */
  protected deeper<T>(f: () => T): T {
    return this.nesting.within((m) => this.fail(this.peek(), m), f);
  }

  protected peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  protected next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.i++;
    return t;
  }
  protected isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && !t.quoted && t.text.toLowerCase() === word;
  }
  protected isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === op;
  }
  protected eatKw(word: string): boolean {
    if (!this.isKw(word)) return false;
    this.i++;
    return true;
  }
  protected eatOp(op: string): boolean {
    if (!this.isOp(op)) return false;
    this.i++;
    return true;
  }
  /** A left-associative run `operand (op operand)*` over the operators `ops`, each step built by `build`. */
  protected binaryChain<T>(ops: readonly string[], operand: () => T, build: (op: string, left: T, right: T, start: Token) => T): T {
    const start = this.peek();
    let left = operand();
    while (ops.some((o) => this.isOp(o))) {
      const op = this.next().text;
      left = build(op, left, operand(), start);
    }
    return left;
  }

  protected fail(t: Token, message: string): never {
    throw new ParseFailure(t.start, message);
  }
}
