import { createReadStream, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, resolve, sep } from 'node:path';
import { createGunzip } from 'node:zlib';
import { readTar, TarError } from './tar.js';

/** Bounds on what one archive may unpack to (an archive is untrusted input). */
export interface UnpackLimits {
  maxFiles: number;
  maxTotalBytes: number;
  maxFileBytes: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = { maxFiles: 200_000, maxTotalBytes: 2 * 1024 ** 3, maxFileBytes: 64 * 1024 ** 2 };

export interface UnpackResult {
  files: number;
  bytes: number;
  /** Entries not written: links, devices, entries outside the folders kept. */
  skippedLinks: number;
}

export class UnpackError extends Error {}

/**
 * The safe relative path of an entry below the archive's top folder ("sigma-r2025-01-01/rules/x.yml"
 * -> "rules/x.yml"), or an error for a path that could leave the destination: absolute, drive letter,
 * backslashes, "..", or control characters.
 */
export function entryPath(name: string): string | { error: string } {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name) || name.includes('\\')) return { error: 'absolute or non-POSIX path' };
  if (/[\x00-\x1f]/.test(name)) return { error: 'control character in path' };
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) return { error: 'path climbs out with ".."' };
  return parts.slice(1).join('/');
}

/**
 * Unpacks the entries of a .tar.gz whose path (below the top folder) starts with one of `keep` into
 * `dest`. Files get the archive's modification time. Links are never created. Throws UnpackError with
 * a one-line reason (and the entry) on a corrupt, truncated, hostile or oversize archive.
 */
export async function unpackTarGz(archive: string, dest: string, keep: readonly string[], limits: UnpackLimits = DEFAULT_UNPACK_LIMITS): Promise<UnpackResult> {
  const root = resolve(dest);
  mkdirSync(root, { recursive: true });
  const gunzip = createGunzip();
  const stream = createReadStream(archive).pipe(gunzip);
  const result: UnpackResult = { files: 0, bytes: 0, skippedLinks: 0 };
  const kept = (rel: string): boolean => keep.some((k) => rel === k || rel.startsWith(`${k}/`));
  try {
    const want = (name: string): boolean => {
      const rel = entryPath(name);
      return typeof rel !== 'string' || kept(rel); // a hostile path is delivered, to be refused below
    };
    for await (const e of readTar(stream as AsyncIterable<Buffer>, { maxEntryBytes: limits.maxFileBytes, want })) {
      const rel = entryPath(e.name);
      if (typeof rel !== 'string') throw new UnpackError(`entry "${e.name.slice(0, 200)}": ${rel.error}`);
      if (rel === '' || !kept(rel)) continue;
      if (e.type === 'other') {
        result.skippedLinks++;
        continue;
      }
      const target = resolve(root, rel);
      if (!target.startsWith(root + sep)) throw new UnpackError(`entry "${e.name.slice(0, 200)}" would be written outside the cache`);
      if (e.type === 'dir') {
        mkdirSync(target, { recursive: true });
        continue;
      }
      if (++result.files > limits.maxFiles) throw new UnpackError(`more than ${limits.maxFiles} files`);
      result.bytes += e.size;
      if (result.bytes > limits.maxTotalBytes) throw new UnpackError(`more than ${limits.maxTotalBytes} bytes unpacked`);
      mkdirSync(dirname(target), { recursive: true });
      // 'wx': never write through something that already exists at that path (a duplicate entry)
      writeFileSync(target, e.data!, { flag: 'wx' });
      if (e.mtime > 0) utimesSync(target, e.mtime, e.mtime);
    }
  } catch (e) {
    stream.destroy();
    if (e instanceof UnpackError || e instanceof TarError) throw new UnpackError(e.message);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || code === 'Z_DATA_ERROR' || /unexpected end|incorrect header|invalid/i.test((e as Error).message)) {
      throw new UnpackError(`gzip: ${(e as Error).message}`);
    }
    throw new UnpackError((e as Error).message);
  }
  return result;
}

