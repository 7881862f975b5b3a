/**
 * Temporary folders of the tests, always removed: a test run leaves nothing in tmpdir().
 *
 * - tempDir(prefix): a folder for the whole test file, removed when the file's process exits, that is
 *   after every hook of the file (an `after` that closes a database or a browser kept in the folder
 *   runs first: node:test runs a file's `after` hooks in the order they were added, so a hook added
 *   here would run before them).
 * - testTempDir(t, prefix): a folder for one test, removed when that test ends (t.after). Close what is
 *   open in it (databases, browsers) in the test body, not in a later t.after.
 *
 * Every folder is also removed at exit should its t.after not have run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const made = new Set<string>();
let hooked = false;

function remove(dir: string): void {
  made.delete(dir);
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function removeAll(): void {
  for (const d of [...made]) {
    try {
      remove(d);
    } catch (e) {
      process.stderr.write(`temp-dir: cannot remove ${d}: ${(e as Error).message}\n`);
      process.exitCode = 1;
    }
  }
}

function make(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.add(dir);
  if (!hooked) {
    hooked = true;
    process.once('exit', removeAll);
  }
  return dir;
}

/** A fresh folder in tmpdir() (name `${prefix}XXXXXX`) for the whole test file, removed when its process exits. */
export function tempDir(prefix = 'detectory-'): string {
  return make(prefix);
}

/** A fresh folder in tmpdir() for one test, removed when the test ends. */
export function testTempDir(t: { after(fn: () => void): void }, prefix = 'detectory-'): string {
  const dir = make(prefix);
  t.after(() => remove(dir));
  return dir;
}

/** The folders made by this process and not removed yet (for the helper's own test). */
export function pendingTempDirs(): string[] {
  return [...made];
}
