import { basename } from 'node:path';

/**
 * How an imported bundle is named. In order: the bundle's x-mitre-collection (x_mitre_version), else the
 * file name in MITRE's own form `enterprise-attack-18.1.json[.gz]`, else the FILE@RELEASE suffix given
 * by the user. The domain (enterprise-attack, mobile-attack, ics-attack) is kept beside it.
 */
export interface FileSpec {
  path: string;
  /** From FILE@RELEASE, when given. */
  release?: string;
}

/** Splits "FILE@RELEASE" (the last @, when what follows looks like a version) from a plain path. */
export function parseFileSpec(arg: string): FileSpec {
  const at = arg.lastIndexOf('@');
  if (at > 0) {
    const rel = arg.slice(at + 1);
    if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/.test(rel) && !rel.includes('/')) return { path: arg.slice(0, at), release: rel };
  }
  return { path: arg };
}

const FILE_RE = /^((?:enterprise|mobile|ics)-attack)-(\d+(?:\.\d+){0,2})\.json(?:\.gz)?$/i;

export function releaseFromFileName(path: string): { domain: string; release: string } | undefined {
  const m = FILE_RE.exec(basename(path));
  return m ? { domain: m[1].toLowerCase(), release: m[2] } : undefined;
}

/** Sorts releases by version number ("9.0" < "17.1" < "18.0" < "18.1"); non-numeric names go last, by name. */
export function compareReleases(a: string, b: string): number {
  const pa = versionParts(a);
  const pb = versionParts(b);
  if (pa && pb) {
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = (pa[i] ?? 0) - (pb[i] ?? 0);
      if (d !== 0) return d;
    }
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (pa) return -1;
  if (pb) return 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function versionParts(r: string): number[] | undefined {
  const m = /^v?(\d+(?:\.\d+)*)$/.exec(r);
  return m ? m[1].split('.').map(Number) : undefined;
}
