export * from './predicate.js';
export * from './rule.js';
export * from './correlation.js';
export * from './sequence.js';
export * from './computed.js';
export * from './aggregation.js';
