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
import { docIndex, hostOs } from '../engine/elastic/index-patterns.js';
import type { Doc, Scalar } from '../engine/eql/values.js';
import { ECS_PROMOTED_FIELDS } from './ecs-promoted-fields.js';

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
  /** The single values of ECS_PROMOTED_FIELDS, in order (null: absent or several values). */
  promoted: Array<string | null>;
}

/** Deeper than this, a document's values are not kept (toEcs documents nest 5 levels). */
const MAX_DEPTH = 32;

/**
 * Every leaf value by dotted path, as fieldReader reads the path: values of arrays (and of the
 * objects in them) gathered, nested arrays flattened, nulls left out. One walk of the document.
 * (A document holding the same path both nested and as a dotted key reads back with both values;
 * toEcs builds nested documents only.)
 */
function collect(node: unknown, path: string, out: Map<string, Scalar[]>, depth: number): void {
  if (node === null || node === undefined || depth > MAX_DEPTH) return;
  if (Array.isArray(node)) {
    for (const x of node) collect(x, path, out, depth + 1);
    return;
  }
  const t = typeof node;
  if (t === 'object') {
    for (const k of Object.keys(node as Doc)) collect((node as Doc)[k], path ? `${path}.${k}` : k, out, depth + 1);
    return;
  }
  if (t !== 'string' && t !== 'number' && t !== 'boolean' && t !== 'bigint') return;
  if (!path) return;
  const v = t === 'bigint' ? Number(node) : (node as Scalar);
  const l = out.get(path);
  if (l) l.push(v);
  else out.set(path, [v]);
}

export function ecsRowPart(doc: Doc): EcsRowPart {
  const single: Record<string, string> = {};
  let lists: Record<string, string[]> | undefined;
  const typed: string[] = [];
  const values = new Map<string, Scalar[]>();
  collect(doc, '', values, 0);
  for (const [path, v] of values) {
    if (v.length > 1) {
      (lists ??= {})[path] = v.map(String);
      if (v.some((x) => typeof x !== 'string')) typed.push(path);
    } else {
      single[path] = String(v[0]);
      if (typeof v[0] !== 'string') typed.push(path);
    }
  }
  return {
    singleJson: JSON.stringify(single),
    listsJson: lists ? JSON.stringify(lists) : null,
    typed,
    index: docIndex(doc) ?? null,
    os: hostOs(doc) ?? null,
    promoted: ECS_PROMOTED_FIELDS.map((f) => single[f] ?? null),
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
