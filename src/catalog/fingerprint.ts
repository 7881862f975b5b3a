import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The catalog modules that shape stored rows (the guide, stats and CLI code do not). */
const ROW_MODULES = ['rows.js', 'exclusions.js', 'event-types.js', 'parse-file.js', 'schema.js'];

/**
 * A fingerprint of the code that turns files into catalog rows (parsers, model, taxonomy, catalog):
 * the content of the compiled modules (recompiling unchanged sources keeps it). When it changes, cached
 * rows are stale and every file is parsed again.
 */
export function codeFingerprint(): string {
  const src = join(dirname(fileURLToPath(import.meta.url)), '..');
  const h = createHash('sha1');
  for (const sub of ['formats', 'model', 'taxonomy', 'util']) addTree(h, join(src, sub), true);
  for (const f of ROW_MODULES) {
    try {
      h.update(`${f}\0`).update(readFileSync(join(src, 'catalog', f)));
    } catch {
      // not compiled: no contribution
    }
  }
  return h.digest('hex');
}

/** A fingerprint of the files under the given folders (names, sizes, mtimes). */
export function treeFingerprint(dirs: readonly string[]): string {
  const h = createHash('sha1');
  for (const d of dirs) addTree(h, d);
  return h.digest('hex');
}

function addTree(h: ReturnType<typeof createHash>, dir: string, content = false): void {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(dir, n);
    try {
      const st = statSync(p);
      if (st.isDirectory()) addTree(h, p, content);
      else if (content && n.endsWith('.js')) h.update(`${n}\0`).update(readFileSync(p));
      else if (!content && (n.endsWith('.yml') || n.endsWith('.yaml'))) h.update(`${p}\0${st.size}\0${st.mtimeMs}\n`);
    } catch {
      // vanished while walking: ignored, the next build sees the change
    }
  }
}
