export { printSpl, type SplPrintOptions } from './print.js';
export { SplPrintError } from './errors.js';
