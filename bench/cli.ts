import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/cli/paths.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'detectory.js');

/**
 * The node arguments that start detectory as a user's `detectory` command does: the V8 flags of the
 * bin script's shebang line (flags such as the young generation's size take effect only on the
 * command line), then the script. Benchmarks spawn `process.execPath` with these.
 */
export const CLI: string[] = [...shebangFlags(readFileSync(BIN, 'utf8').split('\n', 1)[0]), BIN];

function shebangFlags(line: string): string[] {
  const m = /^#!\S*env -S node((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(line);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}
