export { parse } from './parser.js';
export { lowerLucene } from './lower.js';
export type * from './ast.js';
