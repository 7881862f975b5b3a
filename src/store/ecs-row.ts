/**
 * The ECS part of a store row: the event's ECS document (the one `scan` gives Elastic rules,
 * events/ecs toEcs) flattened to dotted field names, each holding exactly what the Elastic engine
 * reads at that path (eql/values.ts fieldReader: arrays of objects give the list of their values,
 * one-element arrays their value, empty ones nothing). Single values go to `single`, several to
 * `lists`; every value is text, and `typed` names the fields whose values were numbers or booleans,
 * so the document reads back with its types (docFromEcsRow). An array mixing strings and numbers
 * reads back as numbers where the text is one (toEcs produces no such array).
 * `index` and `os` are what decides which rules see the event (engine/elastic/index-patterns.ts).
 */
import { leafFields } from '../events/ecs/index.js';
import { docIndex, hostOs } from '../engine/elastic/index-patterns.js';
import type { Doc, Scalar, Value } from '../engine/eql/values.js';
import { fieldReader } from '../engine/eql/values.js';

export interface EcsRowPart {
  /** JSON object: field -> its single value as text. */
  singleJson: string;
  /** JSON object: field -> its values as text (fields with several values), or null when none. */
  listsJson: string | null;
  /** Fields holding numbers or booleans. */
  typed: string[];
  /** The index (data stream) the document goes to, when known. */
  index: string | null;
  /** host.os.type, lower-case, when present. */
  os: string | null;
}

const readers = new Map<string, (d: Doc) => Value>();
function read(doc: Doc, path: string): Value {
  let r = readers.get(path);
  if (!r) {
    r = fieldReader(path.split('.'));
    if (readers.size < 100_000) readers.set(path, r);
  }
  return r(doc);
}

export function ecsRowPart(doc: Doc): EcsRowPart {
  const single: Record<string, string> = {};
  let lists: Record<string, string[]> | undefined;
  const typed: string[] = [];
  for (const path of leafFields(doc)) {
    const v = read(doc, path);
    if (v === null) continue;
    if (Array.isArray(v)) {
      (lists ??= {})[path] = v.map(String);
      if (v.some((x) => typeof x !== 'string')) typed.push(path);
    } else {
      single[path] = String(v);
      if (typeof v !== 'string') typed.push(path);
    }
  }
  return {
    singleJson: JSON.stringify(single),
    listsJson: lists ? JSON.stringify(lists) : null,
    typed,
    index: docIndex(doc) ?? null,
    os: hostOs(doc) ?? null,
  };
}

function typedValue(s: string): Scalar {
  if (s === 'true') return true;
  if (s === 'false') return false;
  const n = Number(s);
  return s.trim() !== '' && !Number.isNaN(n) ? n : s;
}

/** The document back from a row's maps: flat dotted keys, which every Elastic engine reader accepts. */
export function docFromEcsRow(single: Record<string, string | null>, lists: Record<string, string[] | null> | null, typed: readonly string[] | null): Doc {
  const doc: Doc = {};
  const t = new Set(typed ?? []);
  for (const [k, v] of Object.entries(single)) {
    if (v !== null) doc[k] = t.has(k) ? typedValue(v) : v;
  }
  for (const [k, v] of Object.entries(lists ?? {})) {
    if (v) doc[k] = t.has(k) ? v.map(typedValue) : v;
  }
  return doc;
}
