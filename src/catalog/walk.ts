import { readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import type { Problem } from '../model/index.js';

/** Files under `root` (a file or a folder, recursive) whose extension is one of `exts`, sorted. Unreadable folders become problems. */
export function walkFiles(root: string, exts: readonly string[], problems: Problem[]): string[] {
  const out: string[] = [];
  const visit = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch (e) {
      problems.push({ file: p, reason: 'unreadable', message: (e as Error).message });
      return;
    }
    if (st.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(p);
      } catch (e) {
        problems.push({ file: p, reason: 'unreadable', message: (e as Error).message });
        return;
      }
      for (const n of names.sort()) if (!n.startsWith('.')) visit(join(p, n));
    } else if (st.isFile() && exts.includes(extname(p).toLowerCase())) {
      out.push(p);
    }
  };
  visit(root);
  return out;
}
