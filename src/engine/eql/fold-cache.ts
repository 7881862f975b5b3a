/**
 * foldString with recent answers remembered. The rules a scan runs on one event fold the same few
 * field values (process.executable, process.command_line...) again and again: the string objects
 * are the same, so a Map lookup (V8 keeps a string's hash) replaces a new lower-cased copy per rule.
 */
import { foldString } from '../case-fold.js';

const cache = new Map<string, string>();
/** Entries before the cache starts over (a few events' worth of values). */
const MAX_ENTRIES = 256;
/** Longer values (script blocks) are folded each time: not kept alive by the cache. */
const MAX_LENGTH = 4096;

export function foldCached(s: string): string {
  if (s.length > MAX_LENGTH) return foldString(s);
  let f = cache.get(s);
  if (f === undefined) {
    if (cache.size >= MAX_ENTRIES) cache.clear();
    f = foldString(s);
    cache.set(s, f);
  }
  return f;
}
