/** Sigma backend: any rule of the model as a Sigma rule (YAML that src/formats/sigma reads back). */
export { printSigmaRule, sigmaDocument, sigmaTags } from './rule.js';
export { sigmaDetection } from './detection.js';
export { sigmaItem } from './item.js';
export { SigmaPrintError } from './errors.js';
