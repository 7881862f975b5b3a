/**
 * The part of an event's document that the stateful rules read, for events a worker thread hands to
 * the main thread (structured-cloned: the smaller, the cheaper). Cut at the second level of the
 * document (`process.parent`, `winlog.event_data`, `@timestamp`): every field those rules read keeps
 * its subtree whole, so any reader gives the same value as on the whole document. Only for documents
 * toEcs builds from Windows events, whose first two levels have no dotted keys (setPath splits every
 * path); an ECS document given as input may, and is passed whole.
 */

export type DocCut = ReadonlyArray<readonly [string, string | undefined]>;

/** The (first, second) path segments of the fields (second undefined for one-segment fields), deduplicated. */
export function docCut(fields: Iterable<string>): DocCut {
  const seen = new Set<string>();
  const out: Array<[string, string | undefined]> = [];
  for (const f of fields) {
    const dot = f.indexOf('.');
    const a = dot < 0 ? f : f.slice(0, dot);
    const rest = dot < 0 ? undefined : f.slice(dot + 1);
    const b = rest === undefined ? undefined : rest.indexOf('.') < 0 ? rest : rest.slice(0, rest.indexOf('.'));
    const key = b === undefined ? a : `${a}.${b}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push([a, b]);
  }
  // A whole first-level part covers its second-level cuts: those come after it, and find it copied.
  return out.sort((x, y) => (x[1] === undefined ? 0 : 1) - (y[1] === undefined ? 0 : 1));
}

const isPlain = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The cut of a document: shared subtrees (not copies), in new objects for the first level. */
export function cutDoc(doc: Record<string, unknown>, cut: DocCut): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [a, b] of cut) {
    const top = doc[a];
    if (top === undefined) continue;
    if (b === undefined || !isPlain(top)) {
      out[a] = top;
      continue;
    }
    const have = out[a];
    if (have === top) continue; // the whole part is already there
    const v = top[b];
    if (v === undefined) continue;
    if (isPlain(have)) have[b] = v;
    else out[a] = { [b]: v };
  }
  return out;
}
