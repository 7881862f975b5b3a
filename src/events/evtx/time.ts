/** FILETIME (100 ns ticks since 1601) and SYSTEMTIME (16 bytes) values as ISO-8601 UTC strings. */

import { rdU16, rdU32 } from './cursor.js';

const EPOCH_DIFF_S = 11644473600;

let lastDay = NaN;
let lastDayStr = '';

function two(n: number): string {
  return n < 10 ? '0' + n : String(n);
}

/** YYYY-MM-DDTHH:MM:SS for Unix seconds (the date part is cached: records of a chunk share days). */
function isoSeconds(unixSecs: number): string {
  const day = Math.floor(unixSecs / 86400);
  if (day !== lastDay) {
    const d = new Date(day * 86400000);
    if (Number.isNaN(d.getTime())) return 'invalid';
    lastDay = day;
    const iso = d.toISOString();
    lastDayStr = iso.slice(0, iso.indexOf('T') + 1);
  }
  let t = unixSecs - day * 86400;
  const h = Math.floor(t / 3600);
  t -= h * 3600;
  const m = Math.floor(t / 60);
  return lastDayStr + two(h) + ':' + two(m) + ':' + two(t - m * 60);
}

/** Fractional seconds the way evtx_dump (chrono, SecondsFormat::AutoSi) prints them: none, 3, 6 or 9 digits. */
function autoSi(nanos: number): string {
  if (nanos === 0) return '';
  if (nanos % 1e6 === 0) return '.' + String(nanos / 1e6).padStart(3, '0');
  if (nanos % 1e3 === 0) return '.' + String(nanos / 1e3).padStart(6, '0');
  return '.' + String(nanos).padStart(9, '0');
}

/**
 * FILETIME as evtx_dump prints it in JSON: microseconds, truncated (2025-11-27T07:40:10.165324Z).
 * (Some evtx_dump versions print 9 digits instead; the conformance test pins the one such file.)
 */
export function filetimeJson(b: Uint8Array, p: number): string {
  const s = secondsOf(b, p);
  return s + '.' + String(Math.floor(lastFraction / 10)).padStart(6, '0') + 'Z';
}

/** FILETIME with the full 100 ns precision: 7 fractional digits, e.g. 2019-08-14T14:06:44.4956748Z. */
export function filetimeFull(b: Uint8Array, p: number): string {
  const s = secondsOf(b, p);
  return s + '.' + String(lastFraction).padStart(7, '0') + 'Z';
}

/**
 * The seconds text of the FILETIME read last: a record's TimeCreated is read twice (its value, then
 * the full-precision timestamp), and records close in time share their second.
 */
let lastSecs = NaN;
let lastSeconds = '';
let lastFraction = 0;

/** YYYY-MM-DDTHH:MM:SS of the FILETIME at b[p]; its 100 ns remainder is left in lastFraction. */
function secondsOf(b: Uint8Array, p: number): string {
  const lo = rdU32(b, p);
  const hi = rdU32(b, p + 4);
  // Whole Unix seconds and the 100 ns remainder, exactly (no BigInt): hi * 2^32 = hi * 429 * 1e7 +
  // hi * 4967296, and every product stays below 2^53.
  const a = hi * 4967296 + lo;
  const secs = hi * 429 + Math.floor(a / 1e7) - EPOCH_DIFF_S;
  lastFraction = a % 1e7;
  if (secs !== lastSecs) {
    lastSeconds = isoSeconds(secs);
    lastSecs = secs;
  }
  return lastSeconds;
}

/** SYSTEMTIME (year, month, weekday, day, hour, minute, second, milliseconds). */
export function systemtimeJson(b: Uint8Array, p: number): string {
  const y = rdU16(b, p), mo = rdU16(b, p + 2), d = rdU16(b, p + 6);
  const h = rdU16(b, p + 8), mi = rdU16(b, p + 10), s = rdU16(b, p + 12), ms = rdU16(b, p + 14);
  return `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${autoSi(ms * 1e6)}Z`;
}
