/**
 * The part of an event's document that the stateful rules read, for events a scan does not hand to
 * them at once (a worker thread's, structured-cloned to the main thread; the main thread's own
 * tasks, held until their turn): the smaller, the cheaper to clone and to keep. The cut follows
 * every field those rules read down to its own path (`process.parent.name` keeps that one value,
 * not the whole `process.parent`); a field read as an object, or met as an array or a scalar on the
 * way, keeps that value whole. Inside every object it goes through, keys holding a dot are kept too
 * (`winlog.event_data` keys come from the event: {"A.B": ...} is what a reader of
 * `winlog.event_data.A.B` falls back to), so any reader gives the same value as on the whole
 * document. Only for documents toEcs builds from Windows events, whose first level has no dotted
 * keys (setPath splits every path); an ECS document given as input may, and is passed whole.
 */

/** A cut: per key, `true` (the whole value) or the cut of the object under it. */
export type DocCut = ReadonlyMap<string, DocCut | true>;

/** The cut keeping the fields (dotted paths). */
export function docCut(fields: Iterable<string>): DocCut {
  const root = new Map<string, Map<string, unknown> | true>();
  for (const f of fields) {
    const parts = f.split('.');
    let node = root;
    for (let i = 0; i < parts.length; i++) {
      const have = node.get(parts[i]);
      if (have === true) break; // already whole
      if (i === parts.length - 1) {
        node.set(parts[i], true); // a field read whole covers the deeper ones
        break;
      }
      let next = have as Map<string, Map<string, unknown> | true> | undefined;
      if (!next) {
        next = new Map();
        node.set(parts[i], next);
      }
      node = next;
    }
  }
  return root as DocCut;
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The cut of a document: new objects along the cut's paths, its leaves shared (not copied). */
export function cutDoc(doc: Record<string, unknown>, cut: DocCut): Record<string, unknown> {
  return cutObject(doc, cut, false);
}

function cutObject(o: Record<string, unknown>, cut: DocCut, dotted: boolean): Record<string, unknown> {
  // One pass over the object's own keys (an event has a few of the many the cut names; event data
  // objects are in dictionary mode, where walking their keys twice cost most of the cut).
  const out: Record<string, unknown> = {};
  for (const key in o) {
    const sub = cut.get(key);
    if (sub === undefined) {
      if (dotted && key.includes('.')) out[key] = o[key];
      continue;
    }
    const v = o[key];
    if (v === undefined) continue;
    if (sub === true || !isPlain(v)) {
      out[key] = v;
      continue;
    }
    // Kept even when empty: the shape along the path stays the document's.
    out[key] = cutObject(v, sub, true);
  }
  return out;
}
