/**
 * ECS documents are nested JSON objects, as Elasticsearch stores them ({"process": {"parent":
 * {"name": ...}}}). These helpers read and write them by dotted path.
 */
export type EcsDoc = Record<string, unknown>;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

// Paths are few and constant (the mapping tables'): their split forms are kept.
const splitCache = new Map<string, string[]>();
export function partsOf(path: string): string[] {
  let parts = splitCache.get(path);
  if (!parts) {
    parts = path.split('.');
    if (splitCache.size < 10_000) splitCache.set(path, parts);
  }
  return parts;
}

/** Sets `path` (dotted) to `value`, creating the objects on the way; undefined, null and "" are not set. */
export function setPath(doc: EcsDoc, path: string, value: unknown): void {
  // Values not set are told before the path is looked up (mappings set many absent values).
  if (!settable(value)) return;
  setParts(doc, partsOf(path), value);
}

/** What setParts stores (and the base document keeps): not undefined, null, "" or an empty list. */
export const settable = (value: unknown): boolean => value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0);

/** setPath with the path already split (the mappings' plans keep their paths split). */
export function setParts(doc: EcsDoc, parts: readonly string[], value: unknown): void {
  if (!settable(value)) return;
  let o: Record<string, unknown> = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = o[parts[i]];
    if (isObject(next)) o = next;
    else {
      const created: Record<string, unknown> = {};
      o[parts[i]] = created;
      o = created;
    }
  }
  o[parts[parts.length - 1]] = value;
}

/**
 * A rename processor's store: sets `parts` to `value` (as setParts) when the path holds nothing
 * (what getParts reads is undefined), and tells whether it held nothing. One walk where a check
 * then a store took two (every rename of every event comes here).
 */
export function setPartsIfAbsent(doc: EcsDoc, parts: readonly string[], value: unknown): boolean {
  let o: Record<string, unknown> = doc;
  const last = parts.length - 1;
  for (let i = 0; i < last; i++) {
    const next = o[parts[i]];
    if (!isObject(next)) {
      // getParts finds nothing past a missing or non-object step: setParts makes the rest.
      setParts(doc, parts, value);
      return true;
    }
    o = next;
  }
  if (o[parts[last]] !== undefined) return false;
  if (settable(value)) o[parts[last]] = value;
  return true;
}

/** The value at a dotted path of a nested document (as toEcs builds them). */
export function getNested(doc: unknown, path: string): unknown {
  return getParts(doc, partsOf(path));
}

/** getNested with the path already split. */
export function getParts(doc: unknown, parts: readonly string[]): unknown {
  let o: unknown = doc;
  for (let i = 0; i < parts.length; i++) {
    if (!isObject(o)) return undefined;
    o = o[parts[i]];
  }
  return o;
}

/**
 * The value at a dotted path. Also reads documents written with dotted keys ({"process.name": ...}),
 * as Winlogbeat and hand-written NDJSON sometimes are; arrays of objects yield the list of their values.
 */
export function getPath(doc: unknown, path: string): unknown {
  const nested = getNested(doc, path);
  if (nested !== undefined) return nested;
  return getAnyShape(doc, path);
}

function getAnyShape(doc: unknown, path: string): unknown {
  if (!isObject(doc)) return undefined;
  if (path in doc) return doc[path];
  const dot = path.indexOf('.');
  if (dot < 0) return undefined;
  // Try every split point: "process.parent.name" may be {"process": {"parent.name": ...}}.
  for (let i = dot; i >= 0; i = path.indexOf('.', i + 1)) {
    const head = doc[path.slice(0, i)];
    if (head === undefined) continue;
    const rest = path.slice(i + 1);
    if (Array.isArray(head)) {
      const out: unknown[] = [];
      for (const item of head) {
        const v = getAnyShape(item, rest);
        if (Array.isArray(v)) out.push(...v);
        else if (v !== undefined) out.push(v);
      }
      return out.length ? out : undefined;
    }
    const v = getAnyShape(head, rest);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Removes `path` (dotted) when present; empty parent objects are left in place. */
export function removePath(doc: EcsDoc, path: string): void {
  const parts = path.split('.');
  let o: unknown = doc;
  for (let i = 0; i < parts.length - 1; i++) {
    if (!isObject(o)) return;
    o = o[parts[i]];
  }
  if (isObject(o)) delete o[parts[parts.length - 1]];
}

/** Every leaf field of a document as a dotted name (arrays of objects contribute their members' fields). */
export function leafFields(doc: unknown, prefix = '', out: Set<string> = new Set(), depth = 0): Set<string> {
  if (depth > 16) return out;
  if (Array.isArray(doc)) {
    for (const item of doc) {
      if (isObject(item)) leafFields(item, prefix, out, depth + 1);
      else if (prefix) out.add(prefix);
    }
    return out;
  }
  if (!isObject(doc)) {
    if (prefix) out.add(prefix);
    return out;
  }
  for (const k of Object.keys(doc)) leafFields(doc[k], prefix ? `${prefix}.${k}` : k, out, depth + 1);
  return out;
}
