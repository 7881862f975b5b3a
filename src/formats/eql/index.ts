export { parse, parseExpression } from './parser.js';
export { tokenize } from './lexer.js';
export { lowerEql, simplify } from './lower.js';
export type { EqlLowering, SequenceInfo, SequenceItemInfo } from './lower.js';
export type * from './ast.js';
