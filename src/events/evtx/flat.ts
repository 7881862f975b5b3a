/**
 * A record's fields straight from the decoded Binary XML, for matching: the same fields, values and
 * order as rendering the record to evtx_dump's JSON shape (render.ts) and flattening that
 * (events/normalize.ts), without building the nested objects (a scan's largest decoding cost).
 *
 * The shapes where rendering rewrites names or key order are left to that slow path (flatRecord
 * returns undefined): a name repeated among an element's children or attributes (renamed _1, _2),
 * names that are array indices or Object.prototype members or start with '#', several
 * TimeCreated/@SystemTime values, elements inside System's children, text directly in System or in
 * <Event>'s parent, and records over the element limit (the slow path reports them).
 */

import type { FlatFields } from '../normalize.js';
import { finishFlat } from '../normalize.js';
import { FieldBuilder } from '../field-layout.js';
import type { XElement, XInstance, XNode } from './nodes.js';
import { attrValue, MAX_ELEMENTS_PER_RECORD, type RenderState, str } from './render.js';
import { T_BINXML } from './values.js';
import { applyPlan, Marker, notePlan, planFrom, planOf, recordInstance, tracingInstance } from './record-plan.js';

/** What flatRecord gives besides the fields: what decodeRecord reads from the rendered System. */
export interface FlatRecord {
  flat: FlatFields;
  /** System/EventRecordID when it is a number (as the rendered record has it). */
  recordId?: number;
}

/** Thrown inside the walk when the fast path cannot give the slow path's result. */
const GIVE_UP = new Error('flat: shape left to rendering');

/**
 * An element's content: text values, and its child elements as KIDS.items[start, end) (each followed by
 * the instance its substitutions read).
 */
interface Gathered {
  texts: number;
  first: unknown;
  joined: string;
  start: number;
  end: number;
}

/**
 * A list used as a stack: `top` is its length (its array never shrinks: setting an array's length
 * lower frees its tail, which the next pushes allocate again).
 */
class Stack<T> {
  items: T[] = [];
  top = 0;

  push(x: T): void {
    this.items[this.top++] = x;
  }
}

/**
 * Scratch lists of the walk (flattening is synchronous: one set serves every record). KIDS: an
 * element's children are pushed above its parent's, and dropped (top reset to their start) once
 * walked; a list per element's content was a tenth of a scan's allocation.
 */
const ATTR_LIST: unknown[] = [];
const NAMES = new Stack<string>();
const KIDS = new Stack<XElement | XInstance | null>();
const BUILDER = new FieldBuilder();

class Walk {
  elements = 0;
  systemTimes = 0;
  /** The record's fields as they are found (one builder serves every record: see KIDS). */
  b: FieldBuilder = BUILDER;
  /** EventData holds only named values (no nested elements, no unnamed Data): see FlatFields.dataKeys. */
  plainData = true;
  /**
   * The kept attributes of the element attrs() read last, as [name, value, ...] (attrCount pairs):
   * one list reused, read before the next attrs() call (a new list per element was a fifth of a
   * scan's allocation).
   */
  attrList: unknown[] = ATTR_LIST;
  attrCount = 0;
  /** Sibling names being checked for repeats (plainName), one run per element on top of its parent's. */
  names: Stack<string> = NAMES;

  /** Set for a tracing walk (record-plan.ts): what each stored value was, per name slot. */
  recipes: unknown[] | null = null;
  /** The value TimeCreated/@SystemTime was read from (in a tracing walk). */
  time: Marker | undefined = undefined;
  /** A tracing walk's rebuilt instances; `foreign` is set when it walks another (its values are not Markers). */
  known: Set<XInstance> | null = null;
  foreign = false;

  constructor(readonly st: RenderState) {}

  put(key: string, v: unknown): void {
    const n = this.b.put(key, v);
    if (this.recipes) for (let i = 0; i < n; i++) this.recipes.push(v);
  }

  count(): void {
    if (++this.elements > MAX_ELEMENTS_PER_RECORD) throw GIVE_UP;
  }

  gather(nodes: XNode[], inst: XInstance | null, g: Gathered): void {
    for (let i = 0; i < nodes.length; i++) {
      const n = nodes[i];
      if (typeof n === 'string') text(g, n);
      else if (n.k === 0) {
        KIDS.push(n);
        KIDS.push(inst);
      } else if (n.k === 1) {
        if (!inst || n.index >= inst.vals.length) continue;
        const t = inst.types[n.index];
        if (t === 0) continue;
        const v = inst.vals[n.index];
        if (t === T_BINXML) this.gather(v as XNode[], inst, g);
        else text(g, v);
      } else {
        this.count();
        if (this.known && !this.known.has(n)) this.foreign = true;
        this.gather(n.nodes, n, g);
      }
    }
  }

  /** The element's content; its children are on KIDS until the caller resets KIDS.top to g.start. */
  content(el: XElement, inst: XInstance | null): Gathered {
    const start = KIDS.top;
    const g: Gathered = { texts: 0, first: undefined, joined: '', start, end: start };
    if (el.children.length) this.gather(el.children, inst, g);
    g.end = KIDS.top;
    return g;
  }

  /**
   * Attribute values an element keeps (null ones are dropped), into attrList; returns how many.
   * TimeCreated's SystemTime sets the record's timestamp as rendering does.
   */
  attrs(el: XElement, inst: XInstance | null): number {
    this.attrCount = 0;
    if (!el.attrs) return 0;
    const out = this.attrList;
    let n = 0;
    const isTime = el.name === 'TimeCreated';
    for (const a of el.attrs) {
      let v: unknown;
      if (isTime && a.name === 'SystemTime') {
        const before = this.st.systemTime;
        this.st.systemTime = undefined;
        v = attrValue(a.parts, inst, this.st, true);
        if (this.st.systemTime !== undefined) {
          this.systemTimes++;
          if (v instanceof Marker) this.time = v;
        } else this.st.systemTime = before;
      } else {
        v = attrValue(a.parts, inst, this.st, false);
      }
      if (v === undefined || v === null) continue;
      out[n * 2] = a.name;
      out[n * 2 + 1] = v;
      n++;
    }
    return (this.attrCount = n);
  }

  /** Renders a subtree only for its side effects (element count, timestamp): its values are not fields. */
  skim(start: number, end: number): void {
    for (let i = start; i < end; i += 2) {
      const el = KIDS.items[i] as XElement;
      const inst = KIDS.items[i + 1] as XInstance | null;
      this.count();
      this.attrs(el, inst);
      const g = this.content(el, inst);
      this.skim(g.start, g.end);
      KIDS.top = g.start;
    }
  }

  /**
   * The children of a data element (EventData, UserData and what they nest) flattened at `depth`;
   * `emit` false renders them without fields (what flattening leaves out). Returns whether the
   * element's rendered object has child keys.
   */
  data(kidsStart: number, kidsEnd: number, depth: number, emit: boolean): boolean {
    const names = this.names;
    const start = names.top;
    let unnamed: unknown[] | null = null;
    for (let i = kidsStart; i < kidsEnd; i += 2) {
      const el = KIDS.items[i] as XElement;
      const inst = KIDS.items[i + 1] as XInstance | null;
      this.count();
      const nattrs = this.attrs(el, inst);
      let key = el.name;
      let hasAttrs = nattrs > 0;
      let dataName: string | undefined;
      if (key === 'Data') {
        const attrs = this.attrList;
        for (let a = 0; a < nattrs * 2; a += 2) if (attrs[a] === 'Name') dataName = str(attrs[a + 1]);
        hasAttrs = false;
      }
      // Most data elements hold one value: no content record needed.
      const leaf = leafText(el, inst);
      const g = leaf === NOT_LEAF ? this.content(el, inst) : NO_CONTENT;
      const t = leaf === NOT_LEAF ? textValue(g) : leaf;
      if (key === 'Data') {
        if (dataName === undefined) {
          this.plainData = false;
          if (t !== undefined) (unnamed ??= []).push(t);
          this.skim(g.start, g.end);
          if (g !== NO_CONTENT) KIDS.top = g.start;
          continue;
        }
        key = dataName;
      }
      plainName(key, names, start);
      if (g.end > g.start) this.plainData = false;
      if (t !== undefined) {
        if (emit) this.put(key, t);
        this.skim(g.start, g.end);
      } else {
        const obj = this.data(g.start, g.end, depth + 1, emit && depth < 8);
        if (!hasAttrs && !obj && emit) this.put(key, null);
      }
      if (g !== NO_CONTENT) KIDS.top = g.start;
    }
    const named = names.top > start;
    if (unnamed) plainName('Data', names, start);
    names.top = start;
    if (unnamed) {
      if (emit) this.put('Data', unnamed.length === 1 ? unnamed[0] : unnamed);
      return true;
    }
    return named;
  }

  /** EventData or UserData (flattened before System, EventData first). */
  section(el: XElement, inst: XInstance | null, isEventData: boolean): void {
    this.count();
    const attrs = this.attrs(el, inst) > 0;
    const g = this.content(el, inst);
    const t = textValue(g);
    if (Array.isArray(t)) throw GIVE_UP;
    const obj = this.data(g.start, g.end, 0, true);
    KIDS.top = g.start;
    // Text in the element: its own value when it is nothing else, else its "#text" (both read as Data).
    if (t !== undefined && (isEventData || obj || attrs)) this.put('Data', t);
  }

  /** System: each child's text under its name, its attributes as Name_Attribute. Returns the values decodeRecord and routing read. */
  system(el: XElement, inst: XInstance | null): { channel: unknown; eventId: unknown; computer: unknown; recordId: unknown } {
    this.count();
    // Attributes on System itself, or text in it, would be keys of the rendered System ("#text").
    if (this.attrs(el, inst)) throw GIVE_UP;
    const g = this.content(el, inst);
    if (g.texts || g.end === g.start) throw GIVE_UP;
    const out = { channel: undefined as unknown, eventId: undefined as unknown, computer: undefined as unknown, recordId: undefined as unknown };
    const names = this.names;
    const start = names.top;
    for (let i = g.start; i < g.end; i += 2) {
      const c = KIDS.items[i] as XElement;
      const cinst = KIDS.items[i + 1] as XInstance | null;
      const name = c.name;
      if (name === 'Data') throw GIVE_UP;
      plainName(name, names, start);
      this.count();
      const nattrs = this.attrs(c, cinst);
      let t = leafText(c, cinst);
      if (t === NOT_LEAF) {
        const cg = this.content(c, cinst);
        if (cg.end > cg.start) throw GIVE_UP;
        t = textValue(cg);
      }
      if (nattrs === 0) {
        this.put(name, t === undefined ? null : t);
      } else {
        if (t !== undefined) this.put(name, t);
        const attrs = this.attrList;
        const astart = names.top;
        for (let a = 0; a < nattrs * 2; a += 2) {
          plainName(attrs[a] as string, names, astart);
          this.put(attributeKey(name, attrs[a] as string), attrs[a + 1]);
        }
        names.top = astart;
      }
      if (name === 'Channel') out.channel = t;
      else if (name === 'EventID') out.eventId = t;
      else if (name === 'Computer') out.computer = t;
      else if (name === 'EventRecordID' && nattrs === 0) out.recordId = t;
    }
    names.top = start;
    KIDS.top = g.start;
    return out;
  }
}

/** Returned by leafText for content that is more than text. */
const NOT_LEAF = Symbol('not a leaf');
const NO_CONTENT: Gathered = Object.freeze({ texts: 0, first: undefined, joined: '', start: 0, end: 0 });

/**
 * The text of an element whose content is only literal text and plain substitutions (what gather
 * and textValue would give), or NOT_LEAF when it holds elements, instances or BinXml values.
 */
function leafText(el: XElement, inst: XInstance | null): unknown {
  const nodes = el.children;
  let n = 0;
  let first: unknown;
  let joined = '';
  for (let i = 0; i < nodes.length; i++) {
    const x = nodes[i];
    let v: unknown;
    if (typeof x === 'string') v = x;
    else if (x.k === 1) {
      if (!inst || x.index >= inst.vals.length) continue;
      const t = inst.types[x.index];
      if (t === 0) continue;
      if (t === T_BINXML) return NOT_LEAF;
      v = inst.vals[x.index];
    } else return NOT_LEAF;
    if (n === 0) first = v;
    else if (n === 1) joined = str(first) + str(v);
    else joined += str(v);
    n++;
  }
  return n === 0 ? undefined : n === 1 ? first : joined;
}

/** "Name_Attribute" keys, made once per pair (a new string per record would be hashed again by every lookup). */
const attributeKeys = new Map<string, Map<string, string>>();
const MAX_ATTRIBUTE_KEYS = 4096;
let attributeKeyCount = 0;

function attributeKey(name: string, attr: string): string {
  let byAttr = attributeKeys.get(name);
  if (!byAttr) {
    if (attributeKeyCount >= MAX_ATTRIBUTE_KEYS) {
      attributeKeys.clear();
      attributeKeyCount = 0;
    }
    attributeKeys.set(name, (byAttr = new Map()));
  }
  let key = byAttr.get(attr);
  if (key === undefined) {
    key = `${name}_${attr}`;
    byAttr.set(attr, key);
    attributeKeyCount++;
  }
  return key;
}

function text(g: Gathered, v: unknown): void {
  if (g.texts === 0) g.first = v;
  else if (g.texts === 1) g.joined = str(g.first) + str(v);
  else g.joined += str(v);
  g.texts++;
}

/** The element's text as rendering gives it: one value keeps its type, several concatenate. */
function textValue(g: Gathered): unknown {
  return g.texts === 0 ? undefined : g.texts === 1 ? g.first : g.joined;
}

/**
 * Checks that a key keeps its place and value in a rendered object (a plain {}): not repeated among
 * its siblings (names from `start` on, to which it is added), not an array index (ordered first), not an
 * Object.prototype member or starting with '#' (rendering's own keys).
 */
function plainName(key: string, names: Stack<string>, start: number): void {
  const c = key.charCodeAt(0);
  if (c === 35 || (c >= 48 && c <= 57 && isIndex(key)) || PROTOTYPE_NAMES.has(key)) throw GIVE_UP;
  const list = names.items;
  // The repeat check is a scan of the run: more siblings than any real element has (a hostile
  // record) go to rendering, which is linear in them, instead of making this quadratic.
  if (names.top - start >= MAX_PLAIN_SIBLINGS) throw GIVE_UP;
  for (let i = start; i < names.top; i++) if (list[i] === key) throw GIVE_UP;
  names.push(key);
}

const MAX_PLAIN_SIBLINGS = 512;

/** Names a plain object inherits (`key in {}`): a Set lookup is cheaper than `in` on the prototype. */
const PROTOTYPE_NAMES: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype));

function isIndex(k: string): boolean {
  return /^(?:0|[1-9]\d{0,9})$/.test(k) && Number(k) < 4294967295;
}

/** What a walk of a whole record gives: the System values decodeRecord and routing read, and where EventData's names end. */
interface Walked {
  sys: { channel: unknown; eventId: unknown; computer: unknown; recordId: unknown };
  dataKeys: number | undefined;
}

/** Walks a record into w's builder; undefined when its shape is left to rendering. */
function walkRecord(w: Walk, nodes: XNode[]): Walked | undefined {
  NAMES.top = 0;
  KIDS.top = 0;
  BUILDER.reset();
  try {
    const top: Gathered = { texts: 0, first: undefined, joined: '', start: 0, end: 0 };
    w.gather(nodes, null, top);
    if (KIDS.top !== 2 || (KIDS.items[0] as XElement).name !== 'Event') return undefined;
    const ev = KIDS.items[0] as XElement;
    const evInst = KIDS.items[1] as XInstance | null;
    w.count();
    w.attrs(ev, evInst);
    const g = w.content(ev, evInst);
    if (g.end === g.start) return undefined;
    let sys = -1;
    let data = -1;
    let user = -1;
    for (let i = g.start; i < g.end; i += 2) {
      const name = (KIDS.items[i] as XElement).name;
      if (name === 'Data') return undefined;
      plainName(name, w.names, 0);
      if (name === 'System') sys = i;
      else if (name === 'EventData') data = i;
      else if (name === 'UserData') user = i;
      else w.skim(i, i + 2);
    }
    const el = (i: number): XElement => KIDS.items[i] as XElement;
    const inst = (i: number): XInstance | null => KIDS.items[i + 1] as XInstance | null;
    if (data >= 0) w.section(el(data), inst(data), true);
    w.names.top = 0;
    const dataKeys = w.b.count;
    if (user >= 0) w.section(el(user), inst(user), false);
    if (sys < 0) return undefined;
    const s = w.system(el(sys), inst(sys));
    // Rendering sets the timestamp in document order: with several, the order would matter.
    if (w.systemTimes > 1) return undefined;
    return { sys: s, dataKeys: w.plainData && user < 0 ? dataKeys : undefined };
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/**
 * The record's fields, or undefined when its shape is left to rendering and flattening. `st`
 * receives the timestamp (TimeCreated/@SystemTime) as rendering would set it.
 */
export function flatRecord(nodes: XNode[], st: RenderState): FlatRecord | undefined {
  const top = recordInstance(nodes);
  if (top) {
    const plan = planOf(top);
    if (plan) return applyPlan(plan, st);
  }
  const w = new Walk(st);
  const r = walkRecord(w, nodes);
  if (!r) return undefined;
  const { fields, keys } = w.b.finish();
  const flat = finishFlat(fields, keys, r.sys.channel, r.sys.eventId, r.sys.computer, r.dataKeys);
  const out: FlatRecord = typeof r.sys.recordId === 'number' ? { flat, recordId: r.sys.recordId } : { flat };
  // The fields are built: the scratch state is free for learning this shape's plan.
  if (top) learnPlan(top, st.buf);
  return out;
}

/**
 * Walks the record's template with a Marker in place of each value (tracingInstance): what every
 * name's value, the System values and the timestamp were read from, as a RecordPlan; a plan that
 * says it cannot be used when a value is more than one substitution (joined text, a name).
 */
function learnPlan(top: XInstance, buf: Uint8Array): void {
  const t = tracingInstance(top);
  if (!t) return notePlan(top, undefined, null);
  const w = new Walk({ buf });
  w.recipes = [];
  w.known = t.known;
  const r = walkRecord(w, [t.inst]);
  const layout = w.b.layout;
  notePlan(top, t.shape, r && layout && !w.foreign ? planFrom(t.shape, layout, w.recipes, r.sys, r.dataKeys, w.time) : null);
}
