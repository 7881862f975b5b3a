/**
 * Byte cursor over a little-endian buffer (one EVTX chunk, usually). Every read is bounds-checked
 * and a failure throws an EvtxDecodeError carrying the file offset, so a damaged record is reported
 * with its position and the decoder goes on with the next one.
 */

/** A structural decode failure at a known file offset; caught per record / per chunk, never leaves the reader. */
export class EvtxDecodeError extends Error {
  constructor(
    readonly reason: string,
    message: string,
    /** Offset in the file. */
    readonly offset: number,
  ) {
    super(message);
  }
}

export function hex(n: number): string {
  return '0x' + n.toString(16);
}

export class ByteCursor {
  pos: number;

  constructor(
    readonly buf: Uint8Array,
    pos: number,
    /** Exclusive end of readable bytes in buf. */
    readonly end: number,
    /** File offset of buf[0], for messages. */
    readonly base: number,
  ) {
    this.pos = pos;
  }

  fail(reason: string, message: string, at = this.pos): never {
    throw new EvtxDecodeError(reason, `${message} at offset ${hex(this.base + at)}`, this.base + at);
  }

  need(n: number): void {
    if (n < 0 || this.pos + n > this.end) this.fail('out-of-bounds', `needs ${n} bytes past the end of the data`);
  }

  u8(): number {
    if (this.pos >= this.end) this.fail('out-of-bounds', 'reads past the end of the data');
    return this.buf[this.pos++];
  }

  u16(): number {
    const p = this.pos;
    if (p + 2 > this.end) this.fail('out-of-bounds', 'reads past the end of the data');
    this.pos = p + 2;
    return this.buf[p] | (this.buf[p + 1] << 8);
  }

  u32(): number {
    const p = this.pos;
    if (p + 4 > this.end) this.fail('out-of-bounds', 'reads past the end of the data');
    this.pos = p + 4;
    const b = this.buf;
    return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
  }

  /** Unsigned 64-bit as a double (exact below 2^53). */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 0x100000000 + lo;
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }
}

/** Unchecked little-endian reads on a raw buffer, for callers that checked bounds already. */
export function rdU16(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8);
}

export function rdU32(b: Uint8Array, p: number): number {
  return (b[p] | (b[p + 1] << 8) | (b[p + 2] << 16)) + b[p + 3] * 0x1000000;
}

/** A signed 32-bit little-endian word (integer arithmetic only: for comparing raw bytes, e.g. in an Int32Array). */
export function rdI32(b: Uint8Array, p: number): number {
  return b[p] | (b[p + 1] << 8) | (b[p + 2] << 16) | (b[p + 3] << 24);
}

export function rdU64(b: Uint8Array, p: number): number {
  return rdU32(b, p + 4) * 0x100000000 + rdU32(b, p);
}
