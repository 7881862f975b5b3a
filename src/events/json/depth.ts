/**
 * How deep a JSON event may nest. Windows events are a few levels deep (Event, System, Provider,
 * attributes); a hostile line nested thousands of levels would overflow the stack of every recursive
 * step after the reader (JSON.stringify in `events`, flattening, matching), so it is refused.
 */
export const MAX_EVENT_DEPTH = 64;

/** Whether `v` nests deeper than `max` levels of objects and arrays (the walk itself stops there). */
export function nestsDeeper(v: unknown, max = MAX_EVENT_DEPTH, depth = 0): boolean {
  if (v === null || typeof v !== 'object') return false;
  if (depth >= max) return true;
  for (const x of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) {
    if (nestsDeeper(x, max, depth + 1)) return true;
  }
  return false;
}
