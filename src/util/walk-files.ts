/**
 * The one folder walker: every file under a folder (recursive, sorted by name, symlinked folders not
 * followed so a link cycle cannot loop) that `accept` takes. An unreadable folder is reported, never thrown.
 */
import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';

export interface WalkOptions {
  /** Leave out names starting with a dot (.git, .vscode, ...). */
  skipHidden?: boolean;
}

export function walkFiles(
  dir: string,
  accept: (name: string) => boolean,
  onUnreadable: (path: string, message: string) => void,
  opts: WalkOptions = {},
): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      onUnreadable(d, (e as Error).message);
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (opts.skipHidden && e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if ((e.isFile() || (e.isSymbolicLink() && isFile(p))) && accept(e.name)) out.push(p);
    }
  };
  visit(dir);
  return out;
}

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

/**
 * Files named on a command line or under the folders named there: a file given by name is taken
 * whatever its extension; in folders only what `accept` takes. A path that does not exist is reported.
 */
export function collectFiles(
  paths: string[],
  accept: (name: string) => boolean,
  onUnreadable: (path: string, message: string) => void,
): string[] {
  const out: string[] = [];
  for (const p of paths) {
    let dir: boolean;
    try {
      dir = statSync(p).isDirectory();
    } catch (e) {
      onUnreadable(p, (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : (e as Error).message);
      continue;
    }
    if (dir) out.push(...walkFiles(p, accept, onUnreadable));
    else out.push(p);
  }
  return out;
}
