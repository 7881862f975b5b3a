/**
 * The event record: "**\0\0", size, record identifier, written FILETIME, Binary XML, copy of the
 * size. Decodes one record of a chunk into an EventRecord.
 */

import type { FlatFields } from '../normalize.js';
import type { EventRecord } from '../types.js';
import { type ChunkContext, readDocument } from './binxml.js';
import { ByteCursor, EvtxDecodeError, hex, rdU32, rdU64 } from './cursor.js';
import { flatRecord } from './flat.js';
import type { XNode } from './nodes.js';
import { renderRecord, type RenderState } from './render.js';
import { filetimeFull } from './time.js';

export const RECORD_HEADER_SIZE = 24;
/** Smallest plausible record: header, an end-of-file token, the size copy. */
export const MIN_RECORD_SIZE = 28;

export function hasRecordSignature(b: Uint8Array, p: number): boolean {
  return b[p] === 0x2a && b[p + 1] === 0x2a && b[p + 2] === 0 && b[p + 3] === 0;
}

/** Size of the record at p if its signature, size and size copy agree within [p, end); 0 otherwise. */
export function validRecordSize(b: Uint8Array, p: number, end: number): number {
  if (p + MIN_RECORD_SIZE > end || !hasRecordSignature(b, p)) return 0;
  const size = rdU32(b, p + 4);
  if (size < MIN_RECORD_SIZE || p + size > end) return 0;
  return rdU32(b, p + size - 4) === size ? size : 0;
}

/**
 * Decodes the record at chunk offset p of `size` bytes. Throws EvtxDecodeError on damage. A record
 * decoded only in part comes back with `partial` set and ctx.lost saying what was lost.
 */
export function decodeRecord(ctx: ChunkContext, p: number, size: number, file: string): EventRecord {
  try {
    return decodeWith(ctx, p, size, file);
  } catch (e) {
    // A name or template outside the chunk: decode again keeping what can be read (the System
    // part, usually), when that still gives an event with a System element.
    if (!(e instanceof EvtxDecodeError) || (e.reason !== 'bad-name' && e.reason !== 'bad-template')) throw e;
    ctx.lenient = true;
    ctx.lost = undefined;
    let rec: EventRecord;
    try {
      rec = decodeWith(ctx, p, size, file);
    } catch {
      throw e;
    } finally {
      ctx.lenient = false;
    }
    const sys = rec.event.System;
    if (!sys || typeof sys !== 'object') throw e;
    rec.partial = true;
    ctx.lost ??= e.message;
    return rec;
  }
}

/**
 * A record decoded straight into its fields (ChunkContext.flat): `event`, the evtx_dump-shaped
 * object, is rendered only if something reads it.
 */
class FlatRecord implements EventRecord {
  recovered?: true;
  partial?: true;
  private rendered?: Record<string, unknown>;

  constructor(
    readonly file: string,
    readonly recordId: number,
    readonly timestamp: string,
    /** Record identifier in the record header, and the record's file offset (for `where`). */
    private readonly headerId: number,
    private readonly offset: number,
    readonly flat: FlatFields,
    private readonly nodes: XNode[],
    private readonly buf: Uint8Array,
  ) {}

  /** Made on use: few records are ever named in a message. */
  get where(): string {
    return recordWhere(this.headerId, this.offset);
  }

  get event(): Record<string, unknown> {
    return (this.rendered ??= eventOf(renderRecord(this.nodes, { buf: this.buf })));
  }
}

function eventOf(top: Record<string, unknown>): Record<string, unknown> {
  const ev = top.Event;
  return ev && typeof ev === 'object' && !Array.isArray(ev) ? (ev as Record<string, unknown>) : top;
}

function decodeWith(ctx: ChunkContext, p: number, size: number, file: string): EventRecord {
  const b = ctx.buf;
  const id = rdU64(b, p + 8);
  ctx.depth = 0;
  const cur = new ByteCursor(b, p + RECORD_HEADER_SIZE, p + size - 4, ctx.base);
  const nodes = readDocument(cur, ctx, false);
  const st: RenderState = { buf: b };
  if (ctx.flat && !ctx.lenient) {
    const f = flatRecord(nodes, st);
    if (f) return new FlatRecord(file, f.recordId ?? id, st.systemTime ?? filetimeFull(b, p + 16), id, ctx.base + p, f.flat, nodes, b);
  }
  const top = renderRecord(nodes, st);
  const ev = top.Event;
  const event = ev && typeof ev === 'object' && !Array.isArray(ev) ? (ev as Record<string, unknown>) : top;
  const sys = event.System as Record<string, unknown> | undefined;
  const rid = sys && typeof sys === 'object' ? sys.EventRecordID : undefined;
  return {
    file,
    recordId: typeof rid === 'number' ? rid : id,
    timestamp: st.systemTime ?? filetimeFull(b, p + 16),
    where: recordWhere(id, ctx.base + p),
    event,
  };
}

function recordWhere(id: number, offset: number): string {
  return `record ${id} at offset ${hex(offset)}`;
}
