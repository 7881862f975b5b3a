/** KQL backend: model trees (on ECS fields, see backends/elastic/ecs-tree.ts) to kuery text. */
export { kqlField, printKql } from './print.js';
export type { KqlPrintOptions } from './print.js';
