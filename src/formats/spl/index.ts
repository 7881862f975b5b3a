export type { Pipeline, Stage, SearchExpr, EvalExpr, SearchValue, TstatsStage } from './ast.js';
export type { SplError } from './errors.js';
export { lineColAt, type LineCol } from './position.js';
export { parsePipeline, type ParseResult } from './parser.js';
export { expandMacros, macroKey, parseCall, type Expansion, type MacroDef, type MacroTable, type MacroUse } from './macros.js';
export { lowerPipeline, AGGREGATING, type Lowered, type LowerOptions } from './lower.js';
export type { PredicateOrigin, Unlowered } from './lower-context.js';
export { splitSelector, isSelector, SELECTOR_FIELDS } from './selector.js';
export { classify, splParts, likeParts, toGlob } from './wildcard.js';
