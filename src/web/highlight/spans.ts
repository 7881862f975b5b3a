/** A highlighted piece of query text: `cls` names its class (k key, s string, n number, kw keyword, f field, fn function, o operator, c comment, m macro). */
export interface Span {
  text: string;
  cls?: string;
}

export interface Tok {
  start: number;
  end: number;
  cls?: string;
}

/** Cuts `text` into spans from tokens (sorted, non-overlapping); gaps become plain spans. */
export function spansOf(text: string, toks: Tok[]): Span[] {
  const out: Span[] = [];
  let pos = 0;
  for (const t of toks) {
    if (t.start < pos || t.end > text.length || t.end <= t.start) continue;
    if (t.start > pos) out.push({ text: text.slice(pos, t.start) });
    out.push(t.cls ? { text: text.slice(t.start, t.end), cls: t.cls } : { text: text.slice(t.start, t.end) });
    pos = t.end;
  }
  if (pos < text.length) out.push({ text: text.slice(pos) });
  return out;
}

const MAX_RETRIES = 50;

/**
 * Runs a lexer that throws at the first bad character (with its offset) over the whole text: the part
 * before the error is lexed again alone, the bad character stays plain, lexing resumes after it.
 */
export function lexResilient(text: string, lex: (s: string) => Tok[], offsetOf: (e: unknown) => number | undefined): Tok[] {
  const out: Tok[] = [];
  let pos = 0;
  for (let tries = 0; pos < text.length && tries <= MAX_RETRIES; tries++) {
    const rest = text.slice(pos);
    try {
      for (const t of lex(rest)) out.push({ ...t, start: t.start + pos, end: t.end + pos });
      return out;
    } catch (e) {
      const off = offsetOf(e);
      if (off === undefined || off < 0 || off >= rest.length) return out;
      if (off > 0) {
        try {
          for (const t of lex(rest.slice(0, off))) out.push({ ...t, start: t.start + pos, end: t.end + pos });
        } catch {
          // the prefix stays plain text
        }
      }
      pos += off + 1;
    }
  }
  return out;
}
