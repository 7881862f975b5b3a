export { parse } from './parser.js';
export { splitCommands } from './split.js';
export { lowerEsql } from './lower.js';
export type { EsqlLowering } from './lower.js';
export type * from './ast.js';
