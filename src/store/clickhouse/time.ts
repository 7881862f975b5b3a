/**
 * Event times for ClickHouse 18.16, which has no DateTime64: `ts` (DateTime, whole seconds) sorts
 * and prunes, `ts_us` (microseconds since the epoch) compares exactly, as DuckDB's TIMESTAMP does.
 */
const ISO = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?$/i;

/** Microseconds since the epoch of an ISO time (UTC when it names no zone), or null. */
export function epochMicros(s: string | null | undefined): number | null {
  if (!s) return null;
  const m = ISO.exec(s.trim());
  if (!m) return null;
  const ms = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]);
  if (Number.isNaN(ms)) return null;
  let off = 0;
  if (m[8] && m[8].toUpperCase() !== 'Z') {
    const z = m[8].replace(':', '');
    off = (z[0] === '-' ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5))) * 60_000;
  }
  const us = ((ms - off) * 1000) + Number((m[7] ?? '').padEnd(6, '0').slice(0, 6));
  return Number.isSafeInteger(us) ? us : null;
}

/** The DateTime text of whole seconds (DateTime holds 1970..2105; outside that, 0). */
export function dateTimeText(us: number | null): string {
  const max = 4_294_967_295 * 1e6;
  const t = us === null || us < 0 || us > max ? 0 : Math.floor(us / 1000);
  return new Date(t - (t % 1000)).toISOString().slice(0, 19).replace('T', ' ');
}
