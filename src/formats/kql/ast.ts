/** KQL (Kibana kuery) syntax tree. */
import type { PatternPart } from '../elastic/pattern.js';
import type { Span } from '../elastic/position.js';

/** One value: quoted values are phrases (no wildcards); unquoted ones may hold `*` wildcards. */
export interface KqlValue {
  quoted: boolean;
  /** Decoded text (escapes resolved; `*` shown as written). */
  text: string;
  /** Unquoted values: literal runs and `*` wildcards (escaped `\*` is a literal star). */
  parts: PatternPart[];
  span: Span;
}

export type KqlValueExpr =
  | { type: 'value'; value: KqlValue }
  | { type: 'or' | 'and'; children: KqlValueExpr[] }
  | { type: 'not'; child: KqlValueExpr };

export type KqlNode =
  | { type: 'or' | 'and'; children: KqlNode[]; span: Span }
  | { type: 'not'; child: KqlNode; span: Span }
  /** field: value-expression */
  | { type: 'match'; field: KqlValue; value: KqlValueExpr; span: Span }
  /** field < <= > >= value */
  | { type: 'range'; field: KqlValue; op: '<' | '<=' | '>' | '>='; value: KqlValue; span: Span }
  /** field: { nested query } */
  | { type: 'nested'; field: KqlValue; query: KqlNode; span: Span }
  /** A field-less value: searched in the default fields. */
  | { type: 'free'; value: KqlValue; span: Span };
