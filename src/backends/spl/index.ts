export { printRuleSpl, printSpl, type SplPrintOptions } from './print.js';
export { authoredTree } from './authored.js';
export { SplPrintError } from './errors.js';
