import { existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Problem, Vendor } from '../model/index.js';
import { walkFiles } from './walk.js';

/** One rule file to catalog. */
export interface SourceFile {
  vendor: Vendor;
  path: string;
  /** First folder below the folder given (sigma: rules, deprecated, unsupported...; splunk: endpoint, cloud...). */
  folder: string;
}

export interface Sources {
  files: SourceFile[];
  /** Splunk macro folders found next to the detections. */
  splunkMacroDirs: string[];
  problems: Problem[];
}

const isDir = (p: string): boolean => existsSync(p) && statSync(p).isDirectory();

const EXTS: Record<Vendor, readonly string[]> = {
  sigma: ['.yml', '.yaml'],
  elastic: ['.toml'],
  splunk: ['.yml', '.yaml'],
};

/**
 * The rule files of the folders given per vendor. A Splunk folder may be the security_content root
 * (detections/ and macros/ inside) or its detections/ folder (macros/ beside it).
 */
export function collectSources(dirs: Partial<Record<Vendor, readonly string[]>>): Sources {
  const problems: Problem[] = [];
  const files: SourceFile[] = [];
  const splunkMacroDirs: string[] = [];
  const seen = new Set<string>();
  for (const vendor of ['sigma', 'elastic', 'splunk'] as const) {
    for (const d of dirs[vendor] ?? []) {
      let root = resolve(d);
      if (!existsSync(root)) {
        problems.push({ file: d, reason: 'unreadable', message: 'no such file or folder' });
        continue;
      }
      if (vendor === 'splunk' && isDir(root)) {
        const macros = [join(root, 'macros'), join(dirname(root), 'macros')].find(isDir);
        if (macros && !splunkMacroDirs.includes(macros)) splunkMacroDirs.push(macros);
        if (isDir(join(root, 'detections'))) root = join(root, 'detections');
      }
      for (const path of walkFiles(root, EXTS[vendor], problems)) {
        if (seen.has(path)) continue;
        seen.add(path);
        const parts = relative(root, path).split(sep);
        files.push({ vendor, path, folder: parts.length > 1 ? parts[0] : '' });
      }
    }
  }
  return { files, splunkMacroDirs, problems };
}
