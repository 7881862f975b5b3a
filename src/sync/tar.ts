/**
 * A small streaming reader of tar archives (POSIX ustar, with pax `path` records and GNU long names),
 * fed by gunzip. Only what a release archive needs: regular files and folders are delivered; links,
 * devices and other entry types are reported as skipped. Every header's checksum is verified, and an
 * archive that ends before its end-of-archive marker (two zero blocks) is an error: that is how a
 * truncated download shows itself even when the gzip layer happened to end cleanly.
 */
const BLOCK = 512;

export interface TarEntry {
  /** Path as stored (after pax/GNU long-name records). */
  name: string;
  type: 'file' | 'dir' | 'other';
  /** The raw type flag, for reports ('2' symlink, '1' hard link...). */
  flag: string;
  size: number;
  mtime: number;
  /** Entry data (files only), at most `maxEntryBytes`. */
  data?: Buffer;
}

export interface TarLimits {
  /** Largest single entry kept in memory (larger files are an error). */
  maxEntryBytes: number;
  /** Entries whose data is wanted; the data of the others is skipped without being kept (default: all). */
  want?: (name: string) => boolean;
  /** Largest pax / long-name record. */
  maxHeaderRecordBytes?: number;
}

export class TarError extends Error {}

function octal(buf: Buffer, off: number, len: number): number {
  const s = buf.subarray(off, off + len).toString('latin1').replace(/\0.*$/s, '').trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new TarError(`bad octal number "${s.slice(0, 20)}" in header`);
  return parseInt(s, 8);
}

function cstr(buf: Buffer, off: number, len: number): string {
  const b = buf.subarray(off, off + len);
  const z = b.indexOf(0);
  return (z < 0 ? b : b.subarray(0, z)).toString('utf8');
}

function checksumOk(h: Buffer): boolean {
  const stored = octal(h, 148, 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
  return sum === stored;
}

/** Reads pax extended header records ("LEN key=value\n"). */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let i = 0;
  while (i < data.length) {
    const sp = data.indexOf(0x20, i);
    if (sp < 0) break;
    const len = Number(data.subarray(i, sp).toString('latin1'));
    if (!Number.isInteger(len) || len <= 0 || i + len > data.length) throw new TarError('bad pax record');
    const rec = data.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    i += len;
  }
  return out;
}

/**
 * Yields the entries of a tar stream (already decompressed). Throws TarError on a bad header, a
 * checksum mismatch, an oversize entry or a stream that ends early.
 */
export async function* readTar(chunks: AsyncIterable<Buffer>, limits: TarLimits): AsyncGenerator<TarEntry> {
  const maxRecord = limits.maxHeaderRecordBytes ?? 1 << 20;
  let pending: Buffer[] = [];
  let pendingLen = 0;
  const iter = chunks[Symbol.asyncIterator]();
  let ended = false;
  let offset = 0;

  /** Returns exactly n bytes, or undefined when the stream ended first. */
  async function take(n: number): Promise<Buffer | undefined> {
    while (pendingLen < n && !ended) {
      const r = await iter.next();
      if (r.done) ended = true;
      else {
        pending.push(r.value);
        pendingLen += r.value.length;
      }
    }
    if (pendingLen < n) return undefined;
    const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingLen);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    pending = rest.length > 0 ? [rest] : [];
    pendingLen = rest.length;
    offset += n;
    return out;
  }
  /** Skips n bytes without keeping them (entries not wanted may be large). */
  async function skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (pendingLen === 0) {
        if (ended) throw new TarError(`archive ends inside an entry (offset ${offset})`);
        const r = await iter.next();
        if (r.done) {
          ended = true;
          continue;
        }
        pending = [r.value];
        pendingLen = r.value.length;
      }
      const all = pending.length === 1 ? pending[0] : Buffer.concat(pending, pendingLen);
      const k = Math.min(left, all.length);
      const rest = all.subarray(k);
      pending = rest.length > 0 ? [rest] : [];
      pendingLen = rest.length;
      offset += k;
      left -= k;
    }
  }
  async function body(size: number, max: number, what: string): Promise<Buffer> {
    if (size > max) throw new TarError(`${what} of ${size} bytes is over the limit of ${max} bytes`);
    const padded = Math.ceil(size / BLOCK) * BLOCK;
    const b = await take(padded);
    if (!b) throw new TarError(`archive ends inside ${what} (offset ${offset})`);
    return Buffer.from(b.subarray(0, size));
  }

  let longName: string | undefined;
  let paxPath: string | undefined;
  let zeroBlocks = 0;
  for (;;) {
    const h = await take(BLOCK);
    if (!h) throw new TarError(`archive truncated: no end-of-archive marker (ends at offset ${offset})`);
    if (h.every((b) => b === 0)) {
      if (++zeroBlocks === 2) return;
      continue;
    }
    if (zeroBlocks > 0) throw new TarError(`lone zero block before offset ${offset - BLOCK}`);
    if (!checksumOk(h)) throw new TarError(`header checksum mismatch at offset ${offset - BLOCK}`);
    const flag = String.fromCharCode(h[156] || 0x30);
    const size = octal(h, 124, 12);
    const mtime = octal(h, 136, 12);
    const magic = h.subarray(257, 263).toString('latin1');
    const prefix = magic.startsWith('ustar') ? cstr(h, 345, 155) : '';
    let name = cstr(h, 0, 100);
    if (prefix) name = `${prefix}/${name}`;
    if (flag === 'x' || flag === 'g') {
      const recs = paxRecords(await body(size, maxRecord, 'pax header'));
      if (flag === 'x') paxPath = recs.get('path');
      continue;
    }
    if (flag === 'L') {
      longName = (await body(size, maxRecord, 'long name')).toString('utf8').replace(/\0+$/, '');
      continue;
    }
    name = paxPath ?? longName ?? name;
    paxPath = undefined;
    longName = undefined;
    if ((flag === '0' || flag === '\0' || flag === '7') && limits.want && !limits.want(name)) {
      await skip(Math.ceil(size / BLOCK) * BLOCK);
      continue;
    }
    if (flag === '0' || flag === '\0' || flag === '7') {
      yield { name, type: 'file', flag, size, mtime, data: await body(size, limits.maxEntryBytes, `entry ${name}`) };
    } else if (flag === '5') {
      yield { name, type: 'dir', flag, size: 0, mtime };
    } else {
      // links, devices, fifos: their data (if any) is skipped, the entry reported
      if (size > 0 && flag !== '1' && flag !== '2') await body(size, limits.maxEntryBytes, `entry ${name}`);
      yield { name, type: 'other', flag, size, mtime };
    }
  }
}
