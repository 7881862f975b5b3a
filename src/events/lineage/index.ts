/** Process lineage: see process-table.ts for the interface. */
export { ProcessTable } from './process-table.js';
export type { ProcessNode, ProcessTableOptions } from './process-table.js';
export { isSignedImage, signedParentUnsignedChild } from './signing.js';
