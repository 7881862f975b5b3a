/**
 * JSON files in UTF-8 or UTF-16. Windows PowerShell 5.1 writes `ConvertTo-Json > file` as UTF-16LE
 * with a byte-order mark; other tools write UTF-16 without one, or big-endian. The encoding is
 * read from the BOM, else from where the zero bytes fall in the first bytes (JSON text starts with
 * ASCII: `{`, `[`, spaces, so UTF-16 has a zero in every other byte there: RFC 4627, section 3).
 * The readers then see UTF-8 bytes whatever the file holds, the BOM removed.
 */
import { createReadStream } from 'node:fs';

export type TextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** Bytes looked at to guess the encoding of a file without a BOM. */
const SNIFF_BYTES = 512;

export function detectEncoding(head: Buffer): { encoding: TextEncoding; bomBytes: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomBytes: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomBytes: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomBytes: 2 };
  let evenZeros = 0;
  let oddZeros = 0;
  const n = Math.min(head.length, SNIFF_BYTES) & ~1;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenZeros++;
    if (head[i + 1] === 0) oddZeros++;
  }
  const pairs = n / 2;
  // Mostly-ASCII UTF-16 text: (nearly) every pair has its zero on the same side, none on the other.
  if (pairs >= 1 && oddZeros >= pairs * 0.5 && evenZeros === 0) return { encoding: 'utf-16le', bomBytes: 0 };
  if (pairs >= 1 && evenZeros >= pairs * 0.5 && oddZeros === 0) return { encoding: 'utf-16be', bomBytes: 0 };
  return { encoding: 'utf-8', bomBytes: 0 };
}

/**
 * The file's content as UTF-8 chunks (a UTF-8 file passes through unchanged, BOM removed; UTF-16 is
 * transcoded, a character split across chunks kept whole). Undecodable UTF-16 (a lone surrogate)
 * becomes U+FFFD, as invalid UTF-8 does in the readers.
 */
export async function* utf8Chunks(file: string, highWaterMark = 1 << 20): AsyncGenerator<Buffer> {
  const stream = createReadStream(file, { highWaterMark });
  let decoder: TextDecoder | undefined;
  let first = true;
  for await (const raw of stream as AsyncIterable<Buffer>) {
    let chunk = raw;
    if (first) {
      first = false;
      const { encoding, bomBytes } = detectEncoding(chunk);
      chunk = chunk.subarray(bomBytes);
      if (encoding !== 'utf-8') decoder = new TextDecoder(encoding, { ignoreBOM: true });
    }
    if (!decoder) {
      if (chunk.length) yield chunk;
      continue;
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield Buffer.from(text, 'utf8');
  }
  if (decoder) {
    const rest = decoder.decode();
    if (rest) yield Buffer.from(rest, 'utf8');
  }
}
