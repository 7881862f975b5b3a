/** Elastic date-math look-backs ("now-9m", "now-10d") as durations, for the timeline aggregations. */

const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, H: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** Elastic's default rule look-back (`from` when a rule has none). */
export const DEFAULT_FROM_MS = 6 * 60_000;

/**
 * The duration of "now-<n><unit>" in milliseconds; null for any other shape (absolute dates, rounding
 * "/d", months and years, whose length varies).
 */
export function lookbackMs(text: string | undefined): number | null {
  const m = /^\s*now\s*-\s*(\d{1,9})\s*([smhHdw])\s*$/.exec(text ?? '');
  if (!m) return null;
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  return ms > 0 ? ms : null;
}
