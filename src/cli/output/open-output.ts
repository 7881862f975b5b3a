/**
 * Where a verb's results go: a file given with --out, or standard output. A file is written to a
 * temporary file in the same folder and renamed over the target at the end, so an interrupted or
 * failed run never leaves half a file, nor destroys the one that was there. A device or a FIFO
 * (/dev/stdout, /dev/null, a named pipe) is written in place: it cannot be renamed over.
 *
 * Every failure is one line with the contract's exit code: an --out that cannot be opened (a
 * folder, a missing parent, no permission) is a usage error (2) before anything runs; a write that
 * fails during the run (a full disk) ends it with exit 3 once the run is over, and the target is
 * left as it was.
 */
import { accessSync, closeSync, constants, fchmodSync, fstatSync, openSync, realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { CliError, EXIT_UNREADABLE, EXIT_USAGE } from '../exit.js';
import { describeFsError } from '../../util/fs-error.js';

export interface Output {
  /** Writes text; after a failure, further text is dropped (the failure is reported by close). */
  write(s: string): void;
  /** Flushes and, for a file, renames it into place. Throws CliError (exit 3) if any write failed. */
  close(): void;
  /** Abandons the output: a temporary file is removed, the target untouched. */
  discard(): void;
}

/** Text is gathered up to this size before one write call. */
const FLUSH_BYTES = 1 << 20;

/** A failed write in words (bin/detectory.js uses it for standard output). */
export const describeWriteError = describeFsError;

function statOrUndefined(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

/** Opens --out for writing, or standard output when `given` is undefined. */
export function openOutput(given: string | undefined): Output {
  if (given === undefined) return stdoutOutput();
  const st = statOrUndefined(given);
  // A link to a file: the file it names is replaced, not the link.
  const target = st?.isFile() ? realpathSync(given) : given;
  if (st?.isDirectory()) throw new CliError(`--out ${given}: is a folder; give a file name`, EXIT_USAGE);
  if (st && !st.isFile()) return fdOutput(openOrFail(given, given, 'w'), given, undefined);
  const dir = dirname(target);
  const parent = statOrUndefined(dir);
  if (!parent) throw new CliError(`--out ${given}: the folder ${dir} does not exist`, EXIT_USAGE);
  if (!parent.isDirectory()) throw new CliError(`--out ${given}: ${dir} is not a folder`, EXIT_USAGE);
  if (st) {
    // The rename below would replace even a read-only file: respect its mode as a plain write would.
    try {
      accessSync(target, constants.W_OK);
    } catch (e) {
      throw new CliError(`--out ${given}: cannot write: ${describeWriteError(e)}`, EXIT_USAGE);
    }
  }
  // Hidden, and not an event or rule extension: a folder scan never picks it up.
  const temp = join(dir, `.${basename(target)}.detectory-${process.pid}-${Date.now().toString(36)}.tmp`);
  const fd = openOrFail(temp, given, 'wx');
  // The replacement keeps the permissions of the file it replaces (alerts may be private).
  if (st) {
    try {
      fchmodSync(fd, st.mode & 0o7777);
    } catch {
      // a file system without modes
    }
  }
  return fdOutput(fd, given, temp, target);
}

function openOrFail(path: string, target: string, flags: string): number {
  try {
    return openSync(path, flags, 0o666); // less the umask, as any new file
  } catch (e) {
    throw new CliError(`--out ${target}: cannot write: ${describeWriteError(e)}`, EXIT_USAGE);
  }
}

/** `target`: the name in messages; `renameTo`: where the temporary file goes (a link resolved). */
function fdOutput(fd: number, target: string, temp: string | undefined, renameTo = target): Output {
  // Text is encoded straight into one reused buffer (no joined string, no new Buffer per flush).
  const buf = Buffer.allocUnsafe(FLUSH_BYTES);
  let size = 0;
  let failure: unknown;
  let closed = false;
  const send = (bytes: Buffer, length: number): void => {
    try {
      let off = 0;
      while (off < length) off += writeSync(fd, bytes, off, length - off);
    } catch (e) {
      failure = e;
    }
  };
  const flush = (): void => {
    if (failure !== undefined || size === 0) return;
    send(buf, size);
    size = 0;
  };
  const release = (): void => {
    if (closed) return;
    closed = true;
    try {
      closeSync(fd);
    } catch (e) {
      failure ??= e;
    }
  };
  const removeTemp = (): void => {
    if (!temp) return;
    try {
      unlinkSync(temp);
    } catch {
      // already gone
    }
  };
  // An interrupted run (Ctrl-C, kill, an exit elsewhere) leaves no temporary file behind.
  const onSignal = (signal: NodeJS.Signals): void => {
    removeTemp();
    process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  const forget = (): void => {
    process.off('exit', removeTemp);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  if (temp) {
    process.on('exit', removeTemp);
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  return {
    write(s) {
      if (failure !== undefined) return;
      // A UTF-16 code unit is at most 3 bytes of UTF-8.
      if (size + 3 * s.length > FLUSH_BYTES) flush();
      if (3 * s.length > FLUSH_BYTES) {
        const big = Buffer.from(s, 'utf8');
        if (failure === undefined) send(big, big.length);
        return;
      }
      size += buf.write(s, size, 'utf8');
    },
    close() {
      flush();
      release();
      forget();
      if (failure !== undefined) {
        removeTemp();
        const kept = temp ? `; ${target} was left as it was` : '';
        throw new CliError(`--out ${target}: cannot write: ${describeWriteError(failure)}${kept}`, EXIT_UNREADABLE);
      }
      if (temp) {
        try {
          renameSync(temp, renameTo);
        } catch (e) {
          removeTemp();
          throw new CliError(`--out ${target}: cannot write: ${describeWriteError(e)}`, EXIT_UNREADABLE);
        }
      }
    },
    discard() {
      release();
      forget();
      removeTemp();
    },
  };
}

/**
 * Standard output. A failure there (a full disk: `> /dev/full`, a closed pipe) arrives as an 'error'
 * event, which bin/detectory.js turns into one line and exit 3 (a closed pipe: a quiet exit 0) for
 * every verb; a write that throws is kept and reported by close().
 */
function stdoutOutput(): Output {
  let failure: unknown;
  return {
    write(s) {
      if (failure !== undefined) return;
      try {
        process.stdout.write(s);
      } catch (e) {
        failure = e;
      }
    },
    close() {
      if (failure !== undefined) throw new CliError(`cannot write to standard output: ${describeWriteError(failure)}`, EXIT_UNREADABLE);
    },
    discard() {},
  };
}

/** The identity of a file (device and inode): the same file under any name, link or symlink. */
export function fileIdentity(path: string): string | undefined {
  const st = statOrUndefined(path);
  return st?.isFile() ? `${st.dev}:${st.ino}` : undefined;
}

/** The identity of what standard output is written to, when it is a regular file. */
export function stdoutIdentity(): string | undefined {
  try {
    const st = fstatSync(1);
    return st.isFile() ? `${st.dev}:${st.ino}` : undefined;
  } catch {
    return undefined;
  }
}
