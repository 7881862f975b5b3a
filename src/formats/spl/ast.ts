/**
 * The SPL syntax tree: a pipeline of stages. Filtering stages (the leading search, `search`,
 * `where`, `tstats ... where`, `regex`) carry parsed expressions; every other command is kept as
 * an opaque stage with its text. Offsets point into the parsed (macro-expanded) text.
 */

/** A value in search syntax: unescaped text, and whether it was quoted (wildcards apply either way). */
export interface SearchValue {
  text: string;
  quoted: boolean;
  offset: number;
}

export type SearchCmpOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** Search-language expressions (leading search, `| search`, `tstats ... where`). */
export type SearchExpr =
  | { kind: 'and'; items: SearchExpr[]; offset: number }
  | { kind: 'or'; items: SearchExpr[]; offset: number }
  | { kind: 'not'; item: SearchExpr; offset: number }
  | { kind: 'cmp'; field: string; op: SearchCmpOp; value: SearchValue; cased: boolean; offset: number }
  | { kind: 'in'; field: string; values: SearchValue[]; offset: number }
  /** A field-less term (keyword), or a quoted phrase. */
  | { kind: 'term'; value: SearchValue; cased: boolean; offset: number }
  /** Something kept but not understood: a subsearch, a macro left unexpanded. */
  | { kind: 'opaque'; text: string; what: 'subsearch' | 'macro'; offset: number };

/**
 * Eval-language expressions (`| where`, and the arguments of eval functions). `span` is the
 * [start, end) of the expression's text (set by the parser on comparisons, calls and operands).
 */
export type EvalExpr = EvalNode & { span?: [number, number] };

type EvalNode =
  | { kind: 'and' | 'or' | 'xor'; left: EvalExpr; right: EvalExpr; offset: number }
  | { kind: 'not'; item: EvalExpr; offset: number }
  | { kind: 'cmp'; op: '=' | '==' | '!=' | '<' | '<=' | '>' | '>='; left: EvalExpr; right: EvalExpr; offset: number }
  | { kind: 'like'; left: EvalExpr; pattern: EvalExpr; offset: number }
  | { kind: 'in'; left: EvalExpr; list: EvalExpr[]; offset: number }
  | { kind: 'arith'; op: string; left: EvalExpr; right: EvalExpr; offset: number }
  | { kind: 'neg'; item: EvalExpr; offset: number }
  | { kind: 'call'; name: string; args: EvalExpr[]; offset: number }
  | { kind: 'field'; name: string; quoted: boolean; offset: number }
  | { kind: 'str'; value: string; offset: number }
  | { kind: 'num'; value: number; offset: number }
  | { kind: 'opaque'; text: string; offset: number };

export interface TstatsStage {
  kind: 'tstats';
  command: 'tstats' | 'mstats';
  /** `from datamodel=Endpoint.Processes` -> "Endpoint.Processes". */
  datamodel?: string;
  where?: SearchExpr;
  by: string[];
  offset: number;
  end: number;
}

export type Stage =
  | { kind: 'search'; command: 'search'; implicit: boolean; expr?: SearchExpr; offset: number; end: number }
  | { kind: 'where'; command: 'where'; expr: EvalExpr; offset: number; end: number }
  | { kind: 'regex'; command: 'regex'; field: string; negated: boolean; pattern: string; offset: number; end: number }
  | TstatsStage
  /** A whole stage that is an unexpanded macro call. */
  | { kind: 'macro'; command: string; name: string; offset: number; end: number }
  | { kind: 'opaque'; command: string; text: string; offset: number; end: number };

export interface Pipeline {
  stages: Stage[];
}
