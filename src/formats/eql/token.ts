/** Tokens of the EQL lexer (also reused by the ES|QL WHERE parser). */
export type TokenKind =
  | 'ident' // names: process, process.name is ident '.' ident; `quoted` names too
  | 'string'
  | 'number'
  | 'op' // == != <= >= < > = : !: :: ~ ! ? + - * / % . , ( ) [ ] | { }
  | 'eof';

export interface Token {
  kind: TokenKind;
  /** For ident: the name; for string: the decoded value; for op: the operator text; for number: the source text. */
  text: string;
  /** For numbers, the value. */
  num?: number;
  /** String flavours: raw ("""...""" or ?"...") strings have no escapes; quote is the opening delimiter. */
  raw?: boolean;
  quote?: string;
  /** Identifier written between backticks. */
  quoted?: boolean;
  /** 0-based offsets (end exclusive), 1-based line/column of the start. */
  start: number;
  end: number;
  line: number;
  column: number;
  /** Whitespace or a comment precedes this token. */
  spaceBefore: boolean;
}
