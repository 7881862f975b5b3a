/**
 * Template definitions decoded in earlier chunks, reused in later ones. Each chunk stores its own
 * copy of every template its records use, and a log's chunks mostly hold the same templates:
 * decoding them again per chunk was a tenth of a scan's decoding work and much of its allocation.
 *
 * A definition is reused only when it is provably the same: the same chunk offset (an inline name's
 * reference is its own offset) and the same bytes (GUID, size and fragment: a GUID alone can be
 * forged), every name it references outside its own bytes reads the same in this chunk, and it
 * decoded without reading another template. Otherwise it is decoded as before.
 */

import type { XNode } from './nodes.js';

export interface SharedTemplate {
  /** The definition's bytes from its GUID on (the 4-byte link to the next definition is not read). */
  bytes: Buffer;
  nodes: XNode[];
  /** Names the definition references outside its own bytes: [chunk offset, name]. */
  external: Array<[number, string]>;
  /** Nesting levels the definition adds (decoding it deeper than the limit allows must fail as before). */
  depth: number;
}

/** What decoding one definition records, to decide whether and how it can be shared. */
export interface TemplateRecording {
  /** The definition's bytes [from, to) in the chunk: names inside them need no check. */
  from: number;
  to: number;
  external: Array<[number, string]>;
  /** False once the definition read another template (its content then depends on more than its bytes). */
  shareable: boolean;
  /** Deepest nesting reached while decoding it. */
  peak: number;
}

/** Bounds: entries and bytes held (a full cache starts over). */
const MAX_ENTRIES = 4096;
const MAX_BYTES = 16 << 20;

const byOffset = new Map<number, SharedTemplate[]>();
let entries = 0;
let bytesHeld = 0;

/** Bytes of the definition at chunk offset `off` from its GUID on (a view, not a copy). */
export function definitionBytes(buf: Uint8Array, off: number, dataSize: number): Buffer {
  return Buffer.from(buf.buffer, buf.byteOffset + off + 4, 20 + dataSize);
}

/**
 * The first cached definition at this offset with exactly these bytes that `fits` (the caller's
 * check of the names it references outside its bytes).
 */
export function findShared(off: number, bytes: Buffer, fits: (t: SharedTemplate) => boolean): SharedTemplate | undefined {
  const list = byOffset.get(off);
  if (!list) return undefined;
  for (const t of list) if (t.bytes.length === bytes.length && t.bytes.equals(bytes) && fits(t)) return t;
  return undefined;
}

export function addShared(off: number, bytes: Buffer, nodes: XNode[], rec: TemplateRecording, depth: number): void {
  if (entries >= MAX_ENTRIES || bytesHeld + bytes.length > MAX_BYTES) clearShared();
  let list = byOffset.get(off);
  if (!list) byOffset.set(off, (list = []));
  // A copy: the chunk buffer is not kept alive by the cache.
  list.push({ bytes: Buffer.from(bytes), nodes, external: rec.external, depth });
  entries++;
  bytesHeld += bytes.length;
}

export function clearShared(): void {
  byOffset.clear();
  entries = 0;
  bytesHeld = 0;
}

/** Number of cached definitions (for tests). */
export function sharedCount(): number {
  return entries;
}
