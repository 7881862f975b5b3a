/**
 * Binary XML tokens: fragment headers, elements with attribute lists, value text, substitutions,
 * character and entity references, CDATA, processing instructions and template instances (with
 * their definitions, cached per chunk, and their value descriptors and data).
 */

import { ByteCursor, EvtxDecodeError, hex, rdU16, rdU32 } from './cursor.js';
import { readName } from './name.js';
import type { TemplateDef, XAttr, XElement, XInstance, XNode, XPart } from './nodes.js';
import { addShared, definitionBytes, findShared, type SharedTemplate, type TemplateRecording } from './template-cache.js';
import { decodeValue, T_BINXML } from './values.js';
import { sameUtf16Value, utf16 } from './utf16.js';

/** Per-chunk decoding state: the chunk bytes, its file offset and its name and template caches. */
export interface ChunkContext {
  buf: Uint8Array;
  /** File offset of buf[0]. */
  base: number;
  /** End of valid chunk bytes in buf. */
  end: number;
  names: Map<number, string>;
  templates: Map<number, TemplateDef | Error>;
  depth: number;
  /**
   * Lenient decoding (a second try at a record whose first decode failed): a name or template that
   * lies outside the chunk is replaced (UNKNOWN_NAME) or left out instead of failing the record;
   * `lost` then says what was lost.
   */
  lenient?: boolean;
  lost?: string;
  /** Templates decoded leniently (apart: the strict cache holds their failures). */
  lenientTemplates?: Map<number, TemplateDef | Error>;
  /** Decode records straight into their fields (EventRecord.flat), rendering `event` only on use (see record.ts). */
  flat?: boolean;
  /** Set while a template definition is decoded: what it reads beyond its bytes (see template-cache.ts). */
  recording?: TemplateRecording;
}

/** The name given to an element or attribute whose name lies outside the chunk (lenient decoding). */
export const UNKNOWN_NAME = '#unknown-name';

const MAX_DEPTH = 64;

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/**
 * Every field is there from the start: one object shape for all chunks. Fields added on the way
 * (flat, recording, lenient: only some chunks set them) gave contexts of several shapes, and each
 * new one deoptimized the decoder's hot functions (V8's "wrong map") and had them compiled again.
 */
export function newChunkContext(buf: Uint8Array, base: number, end: number, flat = false): ChunkContext {
  return {
    buf,
    base,
    end,
    names: new Map(),
    templates: new Map(),
    depth: 0,
    lenient: false,
    lost: undefined,
    lenientTemplates: undefined,
    flat,
    recording: undefined,
  };
}

/** Reads a name reference (offset just ahead of the cursor); in lenient mode an unreadable one becomes UNKNOWN_NAME. */
function nameRef(cur: ByteCursor, ctx: ChunkContext): string {
  const off = cur.u32();
  try {
    const rec = ctx.recording;
    if (rec && off !== cur.pos && (off < rec.from || off >= rec.to)) {
      const name = readName(cur, ctx.names, off, ctx.end);
      rec.external.push([off, name]);
      return name;
    }
    return readName(cur, ctx.names, off, ctx.end);
  } catch (e) {
    // An inline name that fails is damage in the record itself: nothing after it can be trusted.
    if (!ctx.lenient || off === cur.pos || !(e instanceof EvtxDecodeError) || e.reason !== 'bad-name') throw e;
    ctx.lost ??= e.message;
    return UNKNOWN_NAME;
  }
}

/** Reads value text, substitutions and references (attribute values and element content). Returns null when the token is none of these. */
function readPart(cur: ByteCursor, ctx: ChunkContext, tok: number): XPart | null {
  switch (tok & 0xbf) {
    case 0x05: {
      cur.pos++;
      cur.u8(); // value type: string
      const n = cur.u16();
      cur.need(n * 2);
      const s = utf16(cur.buf, cur.pos, n);
      cur.pos += n * 2;
      return s;
    }
    case 0x0d:
    case 0x0e: {
      cur.pos++;
      const index = cur.u16();
      const type = cur.u8();
      return { k: 1, index, type, optional: (tok & 0xbf) === 0x0e };
    }
    case 0x08: {
      cur.pos++;
      return String.fromCharCode(cur.u16());
    }
    case 0x09: {
      cur.pos++;
      const name = nameRef(cur, ctx);
      return ENTITIES[name] ?? `&${name};`;
    }
    case 0x07: {
      cur.pos++;
      const n = cur.u16();
      cur.need(n * 2);
      const s = utf16(cur.buf, cur.pos, n);
      cur.pos += n * 2;
      return s;
    }
    default:
      return null;
  }
}

function enter(cur: ByteCursor, ctx: ChunkContext): void {
  if (++ctx.depth > MAX_DEPTH) cur.fail('too-deep', `Binary XML nests deeper than ${MAX_DEPTH} levels`);
  const rec = ctx.recording;
  if (rec && ctx.depth > rec.peak) rec.peak = ctx.depth;
}

/** Element start (token 0x01/0x41 at cur.pos) through its end tag. */
function readElement(cur: ByteCursor, ctx: ChunkContext, nested: boolean): XElement {
  enter(cur, ctx);
  const tok = cur.u8();
  if (!nested) cur.u16(); // dependency identifier
  cur.u32(); // data size
  const name = nameRef(cur, ctx);
  let attrs: XAttr[] | null = null;
  if (tok & 0x40) {
    const size = cur.u32();
    const attrEnd = cur.pos + size;
    if (attrEnd > cur.end) cur.fail('bad-attributes', `attribute list of ${size} bytes runs past the data`);
    attrs = [];
    while (cur.pos < attrEnd) {
      const at = cur.u8();
      if ((at & 0xbf) !== 0x06) cur.fail('bad-token', `expected an attribute token, found ${hex(at)}`, cur.pos - 1);
      const aname = nameRef(cur, ctx);
      const parts: XPart[] = [];
      while (cur.pos < cur.end) {
        const p = readPart(cur, ctx, cur.buf[cur.pos]);
        if (p === null) break;
        parts.push(p);
      }
      attrs.push({ name: aname, parts });
    }
  }
  const close = cur.u8();
  const children: XNode[] = [];
  if (close === 0x02) {
    readContent(cur, ctx, children, nested);
  } else if (close !== 0x03) {
    cur.fail('bad-token', `expected the end of the start tag of <${name}>, found ${hex(close)}`, cur.pos - 1);
  }
  ctx.depth--;
  return { k: 0, name, attrs, children };
}

/** Element content up to and including the end element token. */
function readContent(cur: ByteCursor, ctx: ChunkContext, out: XNode[], nested: boolean): void {
  for (;;) {
    if (cur.pos >= cur.end) cur.fail('truncated', 'element content runs past the data');
    const tok = cur.buf[cur.pos];
    switch (tok & 0xbf) {
      case 0x04:
        cur.pos++;
        return;
      case 0x01:
        out.push(readElement(cur, ctx, nested));
        break;
      case 0x0c:
        out.push(readInstance(cur, ctx));
        break;
      case 0x0a:
        cur.pos++;
        nameRef(cur, ctx);
        break;
      case 0x0b: {
        cur.pos++;
        cur.skip(cur.u16() * 2);
        break;
      }
      default: {
        const p = readPart(cur, ctx, tok);
        if (p === null) cur.fail('bad-token', `unexpected token ${hex(tok)} in element content`);
        out.push(p);
      }
    }
  }
}

/**
 * A Binary XML document or fragment: fragment headers, processing instructions, one or more
 * elements or template instances, up to an end-of-file token or the end of the data.
 */
export function readDocument(cur: ByteCursor, ctx: ChunkContext, nested: boolean): XNode[] {
  const out: XNode[] = [];
  while (cur.pos < cur.end) {
    const tok = cur.buf[cur.pos];
    switch (tok & 0xbf) {
      case 0x00:
        cur.pos++;
        return out;
      case 0x0f:
        cur.skip(4);
        break;
      case 0x01:
        out.push(readElement(cur, ctx, nested));
        break;
      case 0x0c:
        out.push(readInstance(cur, ctx));
        break;
      case 0x0a:
        cur.pos++;
        nameRef(cur, ctx);
        break;
      case 0x0b:
        cur.pos++;
        cur.skip(cur.u16() * 2);
        break;
      default: {
        // Text at document level (seen in nested BinXml values).
        const p = readPart(cur, ctx, tok);
        if (p === null) cur.fail('bad-token', `unexpected token ${hex(tok)} in a Binary XML document`);
        out.push(p);
      }
    }
  }
  return out;
}

/** Marks a template being decoded (a shared object: an Error per template would capture a stack each time). */
const BUILDING = new Error('template being decoded');

/**
 * The template definition at chunk offset `off`: next link (4), GUID (16), data size (4), fragment.
 * Cached per chunk, and shared across chunks when provably the same (template-cache.ts).
 */
function templateAt(cur: ByteCursor, ctx: ChunkContext, off: number): TemplateDef {
  const cache = ctx.lenient ? (ctx.lenientTemplates ??= new Map()) : ctx.templates;
  const cached = cache.get(off);
  if (cached !== undefined) {
    if (cached === BUILDING) throw new Error(`template definition at chunk offset ${hex(off)} refers to itself`);
    if (cached instanceof Error) throw cached;
    return cached;
  }
  if (off < 0 || off + 24 > ctx.end) cur.fail('bad-template', `template definition offset ${hex(off)} is outside the chunk`);
  const dataSize = rdU32(ctx.buf, off + 20);
  if (off + 24 + dataSize > ctx.end) {
    cur.fail('bad-template', `template definition at chunk offset ${hex(off)} runs past the chunk`);
  }
  // Lenient decoding replaces what it cannot read: its definitions are neither taken from nor given to other chunks.
  const bytes = ctx.lenient ? undefined : definitionBytes(ctx.buf, off, dataSize);
  if (bytes) {
    const shared = findShared(off, bytes, (t) => reusable(t, ctx));
    if (shared) {
      const def: TemplateDef = { offset: off, dataSize, nodes: shared.nodes };
      cache.set(off, def);
      return def;
    }
  }
  cache.set(off, BUILDING);
  const outer = ctx.recording;
  const rec: TemplateRecording | undefined = bytes ? { from: off, to: off + 24 + dataSize, external: [], shareable: true, peak: ctx.depth } : undefined;
  const startDepth = ctx.depth;
  ctx.recording = rec;
  try {
    const tcur = new ByteCursor(ctx.buf, off + 24, off + 24 + dataSize, ctx.base);
    const nodes = readDocument(tcur, ctx, false);
    const def: TemplateDef = { offset: off, dataSize, nodes };
    cache.set(off, def);
    if (bytes && rec && rec.shareable) addShared(off, bytes, nodes, rec, rec.peak - startDepth);
    return def;
  } catch (e) {
    cache.set(off, e as Error);
    throw e;
  } finally {
    ctx.recording = outer;
    if (outer && rec && rec.peak > outer.peak) outer.peak = rec.peak;
  }
}

/**
 * Whether a definition decoded in another chunk (same offset, same bytes) decodes the same here:
 * the names it read outside its bytes are the same, and it nests no deeper than the limit allows
 * at this depth. Any failure is left to decoding, which reports it as before.
 */
function reusable(t: SharedTemplate, ctx: ChunkContext): boolean {
  if (ctx.depth + t.depth > MAX_DEPTH) return false;
  const rec = ctx.recording;
  // A definition decoded inside another one: the outer one is then not shared (see readInstance).
  if (rec) rec.shareable = false;
  if (t.external.length === 0) return true;
  // A cursor at no offset: readName then never takes a name for an inline one (which would move it).
  const cur = new ByteCursor(ctx.buf, -1, ctx.end, ctx.base);
  try {
    for (const [off, name] of t.external) if (readName(cur, ctx.names, off, ctx.end) !== name) return false;
  } catch {
    return false;
  }
  return true;
}

/** Template instance (token 0x0c): definition (inline or by offset), value descriptors, value data. */
function readInstance(cur: ByteCursor, ctx: ChunkContext): XInstance {
  enter(cur, ctx);
  // An instance inside a template definition: that definition depends on another one.
  if (ctx.recording) ctx.recording.shareable = false;
  cur.pos++; // token
  cur.u8(); // unknown
  const templateId = cur.u32();
  const defOff = cur.u32();
  let def: TemplateDef;
  if (defOff === cur.pos) {
    def = templateAt(cur, ctx, defOff);
    cur.skip(24 + def.dataSize);
  } else {
    try {
      def = templateAt(cur, ctx, defOff);
      // The definition's GUID starts with the instance's template identifier; a leftover record
      // carved from the slack may point at an offset that now holds another template.
      if (rdU32(ctx.buf, defOff + 4) !== templateId) {
        cur.fail('bad-template', `template at chunk offset ${hex(defOff)} is not the one referenced (identifier ${hex(templateId)})`);
      }
    } catch (e) {
      if (!ctx.lenient || !(e instanceof EvtxDecodeError) || e.reason !== 'bad-template') throw e;
      ctx.lost ??= e.message;
      def = { offset: defOff, dataSize: 0, nodes: [] };
    }
  }
  const count = cur.u32();
  if (count * 4 > cur.end - cur.pos) cur.fail('bad-values', `template instance declares ${count} values, more than the data holds`);
  const b = cur.buf;
  // Plain arrays: a record has several instances, and small typed arrays cost more to allocate.
  const types: number[] = new Array(count);
  const offs: number[] = new Array(count);
  const vals: unknown[] = new Array(count);
  const desc = cur.pos;
  const lasts = lastStringsOf(def.nodes);
  cur.pos = desc + count * 4;
  for (let i = 0; i < count; i++) {
    const size = rdU16(b, desc + i * 4);
    const type = b[desc + i * 4 + 2];
    types[i] = type;
    cur.need(size);
    offs[i] = cur.pos;
    if (type === T_BINXML) {
      const vcur = new ByteCursor(b, cur.pos, cur.pos + size, cur.base);
      vals[i] = size ? readDocument(vcur, ctx, false) : [];
    } else if (type === T_STRING) {
      const last = lasts[i];
      vals[i] = last !== undefined && sameUtf16Value(b, cur.pos, size, last) ? last : (lasts[i] = decodeValue(b, cur.pos, size, type) as string);
    } else {
      const v = decodeValue(b, cur.pos, size, type);
      if (v === undefined) cur.fail('bad-value', `value ${i} of type ${hex(type)} has an impossible size ${size}`);
      vals[i] = v;
    }
    cur.pos += size;
  }
  ctx.depth--;
  return { k: 2, nodes: def.nodes, vals, types, offs };
}

/** Type of UTF-16 string values. */
const T_STRING = 0x01;

/**
 * Per template (its nodes: shared by the chunks that hold the same definition), the string each of
 * its values had in the last instance read on this thread. Most values repeat from one record of a
 * template to the next (provider, user, image, parent image): comparing the stored code units with
 * that string costs less than decoding them into a new one, and the same string object then goes on
 * (the scan's comparisons with the previous value, its memo lookups, the wire to a matching thread).
 */
const lastStrings = new WeakMap<XNode[], Array<string | undefined>>();

function lastStringsOf(nodes: XNode[]): Array<string | undefined> {
  let l = lastStrings.get(nodes);
  if (l === undefined) lastStrings.set(nodes, (l = []));
  return l;
}
