/**
 * Positions and parse errors shared by the Elastic query-language parsers (EQL, KQL, Lucene, ES|QL).
 * Errors are values: a parser returns either its AST or a ParseError, it never throws for bad input.
 */

/** A place in a query text: 0-based offset, 1-based line and column. */
export interface SourcePos {
  offset: number;
  line: number;
  column: number;
}

/** A span of query text (end offset is exclusive). */
export interface Span extends SourcePos {
  end: number;
}

export interface ParseError {
  message: string;
  /** 1-based line / column inside the query text. */
  line: number;
  column: number;
  offset: number;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: ParseError };

/** Maps offsets of one text to line/column (1-based) by binary search over line starts. */
export class LineMap {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.starts.push(i + 1);
  }

  at(offset: number): SourcePos {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { offset, line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
}

export function errorAt(map: LineMap, offset: number, message: string): ParseError {
  const p = map.at(offset);
  return { message, line: p.line, column: p.column, offset };
}

/** Thrown inside a parser only, and always caught at its entry point and turned into a ParseError. */
export class ParseFailure extends Error {
  constructor(readonly offset: number, message: string) {
    super(message);
  }
}
