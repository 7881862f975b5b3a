import { join } from 'node:path';
import { readBundle, BundleError } from '../attack/bundle.js';
import { compareReleases } from '../attack/release.js';
import { download, DownloadError, fetchText, type Expected } from './download.js';
import { ATTACK_COLLECTION, ATTACK_INDEX_URL, mirrored } from './sources.js';

/** One Enterprise release listed by MITRE's collection index. */
export interface IndexedRelease {
  version: string;
  url: string;
  expected: Expected;
}

export interface FetchedBundle {
  version: string;
  url: string;
  /** Downloaded and verified, in the temporary folder. */
  file: string;
  bytes: number;
  sha256: string;
}

const VERSION_RE = /^\d{1,3}(?:\.\d{1,3}){0,2}$/;

/** Reads the Enterprise versions of a collection index (untrusted JSON: entries that do not fit are errors). */
export function parseIndex(text: string): IndexedRelease[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new DownloadError(`ATT&CK index: not valid JSON (${(e as Error).message})`);
  }
  const cols = (doc as { collections?: unknown }).collections;
  if (!Array.isArray(cols)) throw new DownloadError('ATT&CK index: no "collections" array');
  const col = cols.find((c) => (c as { name?: unknown }).name === ATTACK_COLLECTION) as { versions?: unknown } | undefined;
  if (!col || !Array.isArray(col.versions)) throw new DownloadError(`ATT&CK index: no "${ATTACK_COLLECTION}" collection with versions`);
  return col.versions.map((v, i) => {
    const e = v as Record<string, unknown>;
    if (typeof e.version !== 'string' || !VERSION_RE.test(e.version)) throw new DownloadError(`ATT&CK index: versions[${i}] has no version like "18.1"`);
    if (typeof e.url !== 'string' || !/^https?:\/\//.test(e.url)) throw new DownloadError(`ATT&CK index: versions[${i}] (${e.version}) has no http(s) url`);
    const expected: Expected = {};
    if (typeof e.sha256 === 'string') {
      if (!/^[0-9a-fA-F]{64}$/.test(e.sha256)) throw new DownloadError(`ATT&CK index: versions[${i}] (${e.version}) has a malformed sha256`);
      expected.sha256 = e.sha256;
    }
    if (typeof e.size === 'number' && Number.isSafeInteger(e.size)) expected.size = e.size;
    return { version: e.version, url: e.url, expected };
  });
}

/**
 * The releases to fetch: every listed release not loaded yet, from `since` on. `since` defaults to
 * the oldest release the catalog holds, or (empty catalog) to the newest release listed, so that a
 * first sync does not download every bundle MITRE ever published.
 */
export function releasesToFetch(listed: IndexedRelease[], loaded: ReadonlySet<string>, since?: string): IndexedRelease[] {
  const sorted = [...listed].sort((a, b) => compareReleases(a.version, b.version));
  const from = since ?? [...loaded].sort(compareReleases)[0] ?? sorted.at(-1)?.version;
  if (from === undefined) return [];
  return sorted.filter((r) => !loaded.has(r.version) && compareReleases(r.version, from) >= 0);
}

export async function fetchAttackIndex(from: string | undefined): Promise<IndexedRelease[]> {
  return parseIndex(await fetchText(mirrored(ATTACK_INDEX_URL, from)));
}

/** Downloads one bundle into `dir` and checks it is the Enterprise release the index promised. */
export async function fetchBundle(r: IndexedRelease, from: string | undefined, dir: string): Promise<FetchedBundle> {
  const file = join(dir, `enterprise-attack-${r.version}.json`);
  const d = await download(mirrored(r.url, from), file, r.expected);
  try {
    const b = await readBundle({ path: file });
    if (b.release !== r.version || b.domain !== 'enterprise-attack') {
      throw new DownloadError(`${r.url}: the bundle is ${b.domain} ${b.release}, the index promised enterprise-attack ${r.version}`);
    }
  } catch (e) {
    if (e instanceof BundleError) throw new DownloadError(`${r.url}: ${e.message.slice(file.length + 2)}`);
    throw e;
  }
  return { version: r.version, url: r.url, file, bytes: d.bytes, sha256: d.sha256 };
}
