/**
 * Regexes from rule files are untrusted: they run in RE2 (linear time, no backtracking), and the
 * pattern size is bounded. Unsupported constructs (backreferences, lookaround) are reported.
 */
import RE2 from 're2';

export const MAX_REGEX_LENGTH = 8192;

export type SafeRegex = RE2;

export function compileRegex(pattern: string, flags = ''): { re?: SafeRegex; error?: string } {
  if (pattern.length > MAX_REGEX_LENGTH) return { error: `regex longer than ${MAX_REGEX_LENGTH} characters` };
  const f = [...new Set(flags.split(''))].filter((c) => 'ims'.includes(c)).join('');
  try {
    return { re: new RE2(pattern, f + 'u') };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
