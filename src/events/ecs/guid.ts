/** GUID values in Winlogbeat's form. */

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;

/**
 * Winlogbeat renders GUID values as "{lower-case}" (the integrations' test documents); EVTX readers
 * differ (braces or not, case), so every GUID-shaped value is written that one way.
 */
export function guidForm(s: string): string {
  // Lengths 36 and 38 ("{...}") only, and a dash after the first 8 digits, before the regex.
  if (s.length === 38 && isBracedLowerGuid(s)) return s; // already in that form (Sysmon's GUIDs, once rendered)
  const m = (s.length === 36 && s.charCodeAt(8) === 45) || (s.length === 38 && s.charCodeAt(9) === 45) ? GUID.exec(s) : null;
  return m ? `{${m[1].toLowerCase()}}` : s;
}

/** "{xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx}" in lower-case hex (what guidForm gives), checked without a regex. */
function isBracedLowerGuid(s: string): boolean {
  if (s.charCodeAt(0) !== 123 || s.charCodeAt(37) !== 125) return false;
  for (let i = 1; i < 37; i++) {
    const c = s.charCodeAt(i);
    if (i === 9 || i === 14 || i === 19 || i === 24) {
      if (c !== 45) return false;
    } else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) return false;
  }
  return true;
}
