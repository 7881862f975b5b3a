/** EQL backend: model trees (on ECS fields, see backends/elastic/ecs-tree.ts) to EQL text. */
export { eqlField, printEqlCondition, printEqlEvent } from './print.js';
export type { EqlPrintOptions } from './print.js';
export { printEqlQuery } from './query.js';
