/** Lists detection files under a security_content folder (detections/**\/*.yml), sorted. */
import type { Problem } from '../../model/index.js';
import { walkFiles } from '../../util/walk-files.js';

/** Unreadable folders are pushed to `problems` when given (never thrown). */
export function walkSplunkDetections(dir: string, problems?: Problem[]): string[] {
  return walkFiles(dir, (name) => /\.ya?ml$/i.test(name),
    (file, message) => problems?.push({ file, reason: 'unreadable', message: `cannot list the folder: ${message}` }));
}
