import { statSync } from 'node:fs';
import { extname } from 'node:path';
import type { Problem } from '../model/index.js';
import { walkFiles as walk } from '../util/walk-files.js';

/** Files under `root` (a file or a folder, recursive) whose extension is one of `exts`, sorted. Unreadable folders become problems. */
export function walkFiles(root: string, exts: readonly string[], problems: Problem[]): string[] {
  const accept = (name: string): boolean => exts.includes(extname(name).toLowerCase());
  const onUnreadable = (file: string, message: string): void => {
    problems.push({ file, reason: 'unreadable', message });
  };
  try {
    const st = statSync(root);
    if (!st.isDirectory()) return st.isFile() && accept(root) ? [root] : [];
  } catch (e) {
    onUnreadable(root, (e as Error).message);
    return [];
  }
  return walk(root, accept, onUnreadable, { skipHidden: true });
}
