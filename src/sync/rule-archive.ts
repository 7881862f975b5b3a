import { join } from 'node:path';
import { download, DownloadError, fetchText, type Expected } from './download.js';
import { mirrored, type RuleSource } from './sources.js';
import { unpackTarGz, UnpackError, type UnpackLimits, type UnpackResult } from './unpack.js';

export interface FetchedCorpus {
  vendor: RuleSource['vendor'];
  /** Release tag, or the branch for a branch archive. */
  version: string;
  url: string;
  bytes: number;
  sha256: string;
  /** Unpacked here (a temporary folder, swapped into the cache later). */
  dir: string;
  unpacked: UnpackResult;
}

export class SyncError extends Error {}

interface Release {
  tag: string;
  expected: Expected;
}

const TAG_RE = /^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$/;

/** Reads a GitHub release JSON: its tag, and the published digest of an asset named like the archive. */
export function parseRelease(text: string, archiveName: (tag: string) => string): Release {
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new DownloadError(`release JSON: not valid JSON (${(e as Error).message})`);
  }
  const tag = doc?.tag_name;
  if (typeof tag !== 'string' || !TAG_RE.test(tag)) throw new DownloadError('release JSON: no usable "tag_name"');
  const expected: Expected = {};
  const assets = Array.isArray(doc.assets) ? (doc.assets as Array<Record<string, unknown>>) : [];
  const asset = assets.find((a) => a && a.name === archiveName(tag));
  if (asset) {
    const digest = typeof asset.digest === 'string' ? /^sha256:([0-9a-fA-F]{64})$/.exec(asset.digest) : null;
    if (digest) expected.sha256 = digest[1];
    if (typeof asset.size === 'number' && Number.isSafeInteger(asset.size)) expected.size = asset.size;
  }
  return { tag, expected };
}

/** Finds the newest release of a source, downloads its archive into `tmp`, verifies and unpacks it. */
export async function fetchCorpus(src: RuleSource, from: string | undefined, tmp: string, limits?: UnpackLimits): Promise<FetchedCorpus> {
  let version = 'main';
  let expected: Expected = {};
  const fileName = (tag: string): string => src.archiveUrl.replace('{tag}', tag).split('/').pop()!;
  if (src.releaseUrl) {
    const r = parseRelease(await fetchText(mirrored(src.releaseUrl, from)), fileName);
    version = r.tag;
    expected = r.expected;
  }
  const url = src.archiveUrl.replace('{tag}', version);
  const archive = join(tmp, `${src.vendor}.tar.gz`);
  const fetched = mirrored(url, from);
  const d = await download(fetched, archive, expected);
  const dir = join(tmp, src.vendor);
  let unpacked: UnpackResult;
  try {
    unpacked = await unpackTarGz(archive, dir, src.keep, limits);
  } catch (e) {
    if (e instanceof UnpackError) throw new SyncError(`${fetched}: ${e.message}`);
    throw e;
  }
  if (unpacked.files === 0) throw new SyncError(`${fetched}: no files under ${src.keep.join(', ')} in the archive`);
  return { vendor: src.vendor, version, url, bytes: d.bytes, sha256: d.sha256, dir, unpacked };
}
