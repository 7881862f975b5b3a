import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The package root (this file is src/cli/paths.ts, compiled to dist/src/cli/paths.js). */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const EXAMPLE_RULES = join(PACKAGE_ROOT, 'examples', 'rules');
