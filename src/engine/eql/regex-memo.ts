/**
 * A rule regex's recent answers per value. The values regexes test recur from event to event
 * (process names, executables, parents), and a call into RE2 costs far more than a Map lookup;
 * RE2 answers the same for the same text (no global or sticky flag here), so a remembered answer
 * is exact. Bounded: short values only, and the memo starts over when full.
 */
import type { SafeRegex } from '../../util/regex.js';

/** Entries per regex before its memo starts over. */
const MAX_ENTRIES = 256;
/** Longer values are tested each time (command lines, script blocks: rarely repeated, costly to keep). */
const MAX_LENGTH = 256;

export function memoTest(re: SafeRegex): (s: string) => boolean {
  if (re.global || re.sticky) return (s) => re.test(s);
  const memo = new Map<string, boolean>();
  return (s) => {
    if (s.length > MAX_LENGTH) return re.test(s);
    let hit = memo.get(s);
    if (hit === undefined) {
      hit = re.test(s);
      if (memo.size >= MAX_ENTRIES) memo.clear();
      memo.set(s, hit);
    }
    return hit;
  };
}
