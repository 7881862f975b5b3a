/**
 * Text from hostile files (rule files, event logs, file names) made safe for one terminal line.
 * Control characters would otherwise reach the terminal: ESC starts escape sequences (colours,
 * cursor moves, window titles), BEL rings, CR/LF split one problem into several or overwrite the
 * line, NUL and the C1 controls confuse terminals, and bidi controls reorder what is shown (a file
 * name that reads differently from what it is). Each becomes a visible escape; printable text,
 * backslashes included (Windows paths), is left as it is.
 */

/** Longest line a problem may print; the rest is cut with a note of how much was cut. */
export const MAX_LINE_CHARS = 2000;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };

// C0 controls, DEL, C1 controls; bidi marks, embeddings, overrides and isolates; line and
// paragraph separators (U+2028/2029 break lines in some terminals); the BOM / zero-width no-break space.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/g;

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every unsafe character escaped (see above); no length limit. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, escapeChar);
}

/** One safe terminal line: controls escaped, cut to `max` characters (saying so). */
export function safeLine(text: string, max = MAX_LINE_CHARS): string {
  // Escaping at most 4x the limit bounds the work on huge messages.
  const escaped = escapeControls(text.length > max * 4 ? text.slice(0, max * 4) : text);
  if (escaped.length <= max && text.length <= max * 4) return escaped;
  return `${escaped.slice(0, max)}… (cut: ${text.length} characters in all)`;
}
