/**
 * Renders a decoded Binary XML tree to the JSON shape of evtx_dump: element names as keys,
 * attributes under "#attributes", text under "#text", <Data Name="X">v</Data> as key X, empty
 * elements as null, typed values (numbers, booleans, arrays) kept, repeated keys suffixed _1, _2.
 */

import { EvtxDecodeError } from './cursor.js';
import type { XElement, XInstance, XNode, XPart } from './nodes.js';
import { filetimeFull } from './time.js';
import { T_BINXML, T_FILETIME } from './values.js';

type Obj = Record<string, unknown>;

/** Rendering state for one record. */
export interface RenderState {
  buf: Uint8Array;
  /** Elements and template instances rendered so far (bounded: templates can nest instances of other templates). */
  elements?: number;
  /** TimeCreated/@SystemTime with 7 fractional digits, when seen. */
  systemTime?: string;
}

export function str(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.map(str).join(',');
  return String(v);
}

/** Attribute value: a single part keeps its type; several parts concatenate. undefined = no value (dropped). */
export function attrValue(parts: XPart[], inst: XInstance | null, st: RenderState, isSystemTime: boolean): unknown {
  if (parts.length === 1) {
    const p = parts[0];
    if (typeof p === 'string') return p;
    if (!inst || p.index >= inst.vals.length) return undefined;
    const t = inst.types[p.index];
    if (t === 0) return undefined;
    if (t === T_BINXML) return undefined;
    if (isSystemTime && t === T_FILETIME && inst.offs) st.systemTime = filetimeFull(st.buf, inst.offs[p.index]);
    return inst.vals[p.index];
  }
  let s = '';
  let any = false;
  for (const p of parts) {
    if (typeof p === 'string') {
      s += p;
      any = true;
    } else if (inst && p.index < inst.vals.length && inst.types[p.index] !== 0 && inst.types[p.index] !== T_BINXML) {
      s += str(inst.vals[p.index]);
      any = true;
    }
  }
  return any ? s : undefined;
}

/** Collects an element's content: child keys and text values. */
class Content {
  obj: Obj | null = null;
  texts: unknown[] | null = null;
  unnamed: unknown[] | null = null;
  /**
   * Per repeated key, the last suffix used: keys are never removed, so the smallest free `key_n`
   * only grows, and starting from the last one keeps thousands of same-named siblings (a hostile
   * record) linear instead of quadratic.
   */
  suffix: Map<string, number> | null = null;

  text(v: unknown): void {
    (this.texts ??= []).push(v);
  }

  child(key: string, v: unknown): void {
    const o = (this.obj ??= {});
    if (key in o) {
      const old = o[key];
      if (old !== null && !(typeof old === 'object' && !Array.isArray(old) && Object.keys(old as Obj).length === 0)) {
        const sfx = (this.suffix ??= new Map());
        let n = sfx.get(key) ?? 1;
        while (`${key}_${n}` in o) n++;
        sfx.set(key, n + 1);
        o[`${key}_${n}`] = old;
      }
    }
    o[key] = v;
  }

  /** Unnamed <Data> values collect under Data/#text (an array when there are several). */
  unnamedData(v: unknown): void {
    (this.unnamed ??= []).push(v);
  }

  /** Call once all content is in. */
  finish(): void {
    const u = this.unnamed;
    if (u) this.child('Data', { '#text': u.length === 1 ? u[0] : u });
  }

  /**
   * The element's text: one value keeps its type; several concatenate. Strings stay exactly as
   * stored (evtx_dump trims trailing white space; Windows, libevtx and python-evtx do not).
   */
  textValue(): unknown {
    const t = this.texts;
    if (!t) return undefined;
    if (t.length === 1) return t[0];
    let s = '';
    for (const v of t) s += str(v);
    return s;
  }
}

function renderNodes(nodes: XNode[], inst: XInstance | null, st: RenderState, out: Content): void {
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i];
    if (typeof n === 'string') {
      out.text(n);
    } else if (n.k === 0) {
      renderElement(n, inst, st, out);
    } else if (n.k === 1) {
      if (!inst || n.index >= inst.vals.length) continue;
      const t = inst.types[n.index];
      if (t === 0) continue;
      const v = inst.vals[n.index];
      if (t === T_BINXML) renderNodes(v as XNode[], inst, st, out);
      else out.text(v);
    } else {
      st.elements = (st.elements ?? 0) + 1;
      if (st.elements > MAX_ELEMENTS_PER_RECORD) {
        throw new EvtxDecodeError('too-large', `record expands to more than ${MAX_ELEMENTS_PER_RECORD} elements`, -1);
      }
      renderNodes(n.nodes, n, st, out);
    }
  }
}

/** More elements than any real event has; a crafted chain of templates could otherwise expand exponentially. */
export const MAX_ELEMENTS_PER_RECORD = 100_000;

function renderElement(el: XElement, inst: XInstance | null, st: RenderState, parent: Content): void {
  st.elements = (st.elements ?? 0) + 1;
  if (st.elements > MAX_ELEMENTS_PER_RECORD) {
    throw new EvtxDecodeError('too-large', `record expands to more than ${MAX_ELEMENTS_PER_RECORD} elements`, -1);
  }
  let attrs: Obj | null = null;
  let dataName: string | undefined;
  const isData = el.name === 'Data';
  if (el.attrs) {
    const isTime = el.name === 'TimeCreated';
    for (const a of el.attrs) {
      const v = attrValue(a.parts, inst, st, isTime && a.name === 'SystemTime');
      if (v === undefined || v === null) continue;
      if (isData && a.name === 'Name') {
        dataName = str(v);
        continue;
      }
      (attrs ??= {})[a.name] = v;
    }
  }
  const c = new Content();
  if (el.children.length) {
    renderNodes(el.children, inst, st, c);
    c.finish();
  }
  const text = c.textValue();
  if (isData) {
    if (dataName !== undefined) {
      parent.child(dataName, c.obj ? withText(c.obj, text) : text === undefined ? null : text);
    } else if (text !== undefined) {
      parent.unnamedData(text);
    }
    return;
  }
  if (!attrs && !c.obj) {
    parent.child(el.name, text === undefined ? null : text);
    return;
  }
  const o: Obj = {};
  if (attrs) o['#attributes'] = attrs;
  if (c.obj) Object.assign(o, c.obj);
  parent.child(el.name, withText(o, text));
}

function withText(o: Obj, text: unknown): Obj {
  if (text !== undefined) o['#text'] = text;
  return o;
}

/** Renders a record's nodes; returns the object holding the top-level elements (normally {Event: {...}}). */
export function renderRecord(nodes: XNode[], st: RenderState): Obj {
  const c = new Content();
  renderNodes(nodes, null, st, c);
  c.finish();
  return c.obj ?? {};
}
