/** Lists detection files under a security_content folder (detections/**\/*.yml), sorted. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from '../../model/index.js';

/** Unreadable folders are pushed to `problems` when given (never thrown). */
export function walkSplunkDetections(dir: string, problems?: Problem[]): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch (e) {
      problems?.push({ file: d, reason: 'unreadable', message: `cannot list the folder: ${(e as Error).message}` });
      return;
    }
    for (const e of entries) {
      const p = join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (/\.ya?ml$/i.test(e.name)) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}
