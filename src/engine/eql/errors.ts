/** Errors of the EQL analyzer: one line each, with the position in the query text. */
import { LineMap } from '../../formats/elastic/position.js';
import type { Span } from '../../formats/elastic/position.js';

export interface EqlError {
  message: string;
  /** 1-based line / column in the query, 0-based offset. */
  line: number;
  column: number;
  offset: number;
}

/** Thrown inside the analyzer only; its entry point turns it into an EqlError value. */
export class AnalysisFailure extends Error {
  constructor(readonly span: Pick<Span, 'offset'>, message: string) {
    super(message);
  }
}

export function errorFromFailure(source: string, f: AnalysisFailure): EqlError {
  const p = new LineMap(source).at(f.span.offset);
  return { message: f.message, line: p.line, column: p.column, offset: p.offset };
}

export function formatEqlError(e: EqlError): string {
  return `${e.line}:${e.column}: ${e.message}`;
}
