/** ES|QL syntax tree: the pipeline of commands, with WHERE conditions parsed into expressions. */
import type { Span } from '../elastic/position.js';

export type EsqlLiteral = string | number | boolean | null;

export type EsqlExpr =
  /** `timeSpan`: a time span written `1 hour` / `5m`, kept as its text. */
  | { type: 'literal'; value: EsqlLiteral; timeSpan?: boolean; span: Span }
  | { type: 'field'; name: string; span: Span }
  /** `?name` or `?` query parameters. */
  | { type: 'param'; name: string; span: Span }
  | { type: 'and' | 'or'; operands: EsqlExpr[]; span: Span }
  | { type: 'not'; operand: EsqlExpr; span: Span }
  | { type: 'compare'; op: '==' | '!=' | '<' | '<=' | '>' | '>='; left: EsqlExpr; right: EsqlExpr; span: Span }
  /** `like` (wildcards `*` `?`, backslash escapes) and `rlike` (regex); a list for `like ("a", "b")`. */
  | { type: 'pattern'; op: 'like' | 'rlike'; negated: boolean; left: EsqlExpr; patterns: EsqlExpr[]; span: Span }
  | { type: 'in'; negated: boolean; left: EsqlExpr; values: EsqlExpr[]; span: Span }
  | { type: 'isnull'; negated: boolean; operand: EsqlExpr; span: Span }
  /** `field : "query"` full-text match operator. */
  | { type: 'match'; left: EsqlExpr; right: EsqlExpr; span: Span }
  | { type: 'call'; name: string; args: EsqlExpr[]; span: Span }
  | { type: 'arith'; op: '+' | '-' | '*' | '/' | '%'; left: EsqlExpr; right: EsqlExpr; span: Span }
  | { type: 'neg'; operand: EsqlExpr; span: Span }
  /** Function options: `{ "fuzziness": 1 }`. */
  | { type: 'map'; entries: { key: string; value: EsqlExpr }[]; span: Span }
  | { type: 'cast'; operand: EsqlExpr; to: string; span: Span };

export interface EsqlCommand {
  /** Lower-case command name (from, where, eval, stats, keep, inline stats...). */
  name: string;
  /** The command's text after its name, as written. */
  body: string;
  span: Span;
  /** WHERE only: the parsed condition. */
  condition?: EsqlExpr;
  /** FROM only: the index patterns. */
  indices?: string[];
}

export interface EsqlQuery {
  commands: EsqlCommand[];
  source: string;
}
