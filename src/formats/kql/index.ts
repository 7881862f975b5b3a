export { parse } from './parser.js';
export { lowerKql } from './lower.js';
export type * from './ast.js';
