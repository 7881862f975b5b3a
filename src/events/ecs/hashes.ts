/**
 * Sysmon "Hashes" ("SHA1=AB..,MD5=CD..,IMPHASH=..."): the pipeline's kv processor (split on "," and
 * "=") and the script after it: keys and values lower-cased, all-zero or empty hashes dropped.
 */
export function parseHashes(s: string, keep?: (key: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of s.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toLowerCase();
    // `keep`: a caller reading only some hashes (see needs.ts) leaves the others out unread.
    if (keep && !keep(key)) continue;
    const value = part.slice(eq + 1).trim().toLowerCase();
    if (!key || /^0*$/.test(value)) continue;
    out[key] = value;
  }
  return out;
}
