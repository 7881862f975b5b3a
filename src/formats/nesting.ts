/**
 * A bound on how deep a rule's expression may nest (parentheses, `not` chains, unary minus, nested
 * queries). The recursive-descent parsers would otherwise overflow the stack on hostile input (a
 * condition 10,000 parentheses deep, 100,000 `not`s), and every tree walk after them (lowering,
 * canonicalization, compilation, statistics) is recursive too: bounding the parsers bounds them all.
 * Real rules nest a handful of levels; SPL's parsers use the same figure (spl/errors.ts).
 */
export const MAX_NESTING = 200;

export const tooDeepMessage = (): string => `expression nested deeper than ${MAX_NESTING} levels`;

/** Counts the nesting of one parse; `within` fails (through the parser's own error) past the bound. */
export class NestingGuard {
  private depth = 0;

  /** Runs `f` one level deeper. `fail` throws the parser's error at the current position. */
  within<T>(fail: (message: string) => never, f: () => T): T {
    if (this.depth >= MAX_NESTING) fail(tooDeepMessage());
    this.depth++;
    try {
      return f();
    } finally {
      this.depth--;
    }
  }
}
