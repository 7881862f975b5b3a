/** GUID values in Winlogbeat's form. */

/**
 * Winlogbeat renders GUID values as "{lower-case}" (the integrations' test documents); EVTX readers
 * differ (braces or not, case), so every GUID-shaped value (36 hex digits and dashes, in braces or
 * not, either case: /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i) is
 * written that one way. Checked character by character (every event data value comes here; most
 * are no GUID, and the GUIDs of Sysmon events come in upper case).
 */
export function guidForm(s: string): string {
  const n = s.length;
  if (n === 38) {
    // Braces on both ends, or on neither (a 38-character value with one brace is no GUID: /^\{?...\}?$/
    // with 36 characters inside needs both).
    if (s.charCodeAt(0) !== 123 || s.charCodeAt(37) !== 125) return s;
    const lower = guidCase(s, 1);
    return lower === NOT_GUID ? s : lower === IS_LOWER ? s : s.toLowerCase();
  }
  if (n === 36) {
    const lower = guidCase(s, 0);
    return lower === NOT_GUID ? s : `{${lower === IS_LOWER ? s : s.toLowerCase()}}`;
  }
  return s;
}

const NOT_GUID = 0;
const IS_LOWER = 1;
const HAS_UPPER = 2;

/**
 * Are the 36 characters of `s` from `at` a GUID's (hex digits, dashes after 8, 12, 16 and 20)?
 * NOT_GUID, or IS_LOWER (no upper-case hex digit) / HAS_UPPER.
 */
function guidCase(s: string, at: number): number {
  let upper = false;
  for (let i = 0; i < 36; i++) {
    const c = s.charCodeAt(at + i);
    if (i === 8 || i === 13 || i === 18 || i === 23) {
      if (c !== 45) return NOT_GUID;
    } else if (c >= 65 && c <= 70) upper = true;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return NOT_GUID;
  }
  return upper ? HAS_UPPER : IS_LOWER;
}
