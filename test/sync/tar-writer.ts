import { gzipSync } from 'node:zlib';

/** One entry for the test archives: a file with data, a folder, or a link to `linkTo`. */
export interface WriteEntry {
  name: string;
  data?: Buffer | string;
  type?: 'file' | 'dir' | 'symlink';
  linkTo?: string;
  mtime?: number;
}

function header(name: string, size: number, flag: string, mtime: number, linkTo = ''): Buffer {
  const h = Buffer.alloc(512);
  const put = (s: string, off: number, len: number): void => void h.write(s, off, len, 'utf8');
  const num = (n: number, off: number, len: number): void => put(n.toString(8).padStart(len - 1, '0'), off, len - 1);
  put(name, 0, 100);
  num(0o644, 100, 8);
  num(0, 108, 8);
  num(0, 116, 8);
  num(size, 124, 12);
  num(mtime, 136, 12);
  h.fill(0x20, 148, 156);
  put(flag, 156, 1);
  put(linkTo, 157, 100);
  put('ustar\u000000', 257, 8);
  let sum = 0;
  for (const b of h) sum += b;
  put(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8);
  return h;
}

const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((512 - (b.length % 512)) % 512)]);

/** A pax record "LEN path=VALUE\n" (LEN counts itself). */
function paxPath(name: string): Buffer {
  const body = ` path=${name}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len++;
  return Buffer.from(`${len}${body}`);
}

/** Writes a tar (ustar; names over 100 bytes get a pax header, as git archive does) and gzips it. */
export function tarGz(entries: readonly WriteEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const mtime = e.mtime ?? 1_700_000_000;
    let name = e.name;
    if (Buffer.byteLength(name) > 100) {
      const rec = paxPath(name);
      parts.push(header('pax_global', rec.length, 'x', mtime), pad(rec));
      name = name.slice(0, 99);
    }
    if (e.type === 'dir') parts.push(header(name, 0, '5', mtime));
    else if (e.type === 'symlink') parts.push(header(name, 0, '2', mtime, e.linkTo ?? ''));
    else {
      const data = Buffer.from(e.data ?? '');
      parts.push(header(name, data.length, '0', mtime), pad(data));
    }
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
