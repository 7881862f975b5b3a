/** A file-system error in words, without the path and syscall Node appends (the caller names the path). */
const KNOWN: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  EEXIST: 'already exists',
  EISDIR: 'is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  EIO: 'input/output error',
  EPIPE: 'the reader went away',
};

export function describeFsError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  return (err?.code && KNOWN[err.code]) ?? (err instanceof Error ? err.message : String(e));
}
