/**
 * A hash of detectory's own code (every module of this build): a cache entry made by other code,
 * older or newer, never matches.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { walkFiles } from '../../util/walk-files.js';

let memo: string | undefined;

export function codeVersion(): string {
  if (memo) return memo;
  // This file is src/engine/cache/code-version.(js|ts): hash every module under src/.
  const src = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const h = createHash('sha256');
  for (const f of walkFiles(src, (n) => /\.(js|ts)$/.test(n), () => undefined)) {
    h.update(f.slice(src.length)).update('\0').update(readFileSync(f)).update('\0');
  }
  memo = h.digest('hex');
  return memo;
}
