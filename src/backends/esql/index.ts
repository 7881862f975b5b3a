/** ES|QL backend: model trees on ECS fields to an ES|QL WHERE condition. */
export { esqlField, printEsqlCondition } from './print.js';
