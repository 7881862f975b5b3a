/**
 * A literal's posting list: `ids` numbers each literal (its index in `lists`), and `lists` holds,
 * per literal, the ids filed under it, ascending, each once (items are filed in order, so a repeat is
 * always the last one).
 */
export function fileUnderLiteral(ids: Map<string, number>, lists: number[][], literal: string, item: number): void {
  let id = ids.get(literal);
  if (id === undefined) {
    id = lists.length;
    ids.set(literal, id);
    lists.push([]);
  }
  const l = lists[id];
  if (l[l.length - 1] !== item) l.push(item);
}
