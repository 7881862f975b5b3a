/**
 * SPL parse errors as values: an offset into the text that was parsed (the macro-expanded query),
 * a short reason and a message in words. The caller maps the offset back to the authored query.
 */
export interface SplError {
  /** 0-based offset into the parsed (expanded) text. */
  offset: number;
  reason: string;
  message: string;
}

/** Thrown inside the recursive-descent parsers only; always caught at a stage boundary. */
export class SplSyntaxError extends Error {
  constructor(
    readonly offset: number,
    message: string,
    readonly reason = 'query-parse',
  ) {
    super(message);
  }
}

export function toSplError(e: unknown, fallbackOffset: number): SplError {
  if (e instanceof SplSyntaxError) return { offset: e.offset, reason: e.reason, message: e.message };
  return { offset: fallbackOffset, reason: 'query-parse', message: e instanceof Error ? e.message : String(e) };
}

/** Deepest nesting the parsers accept (parentheses, NOT chains, function calls). */
export const MAX_DEPTH = 200;
