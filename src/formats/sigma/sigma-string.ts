/**
 * Sigma string values: literal text with `*` / `?` wildcards, backslash escapes as the spec defines
 * them (a backslash escapes only `*`, `?` and `\`; anywhere else it is a plain backslash), and
 * `%name%` placeholders when the `expand` modifier is used.
 */

export type Part =
  | { t: 'lit'; s: string }
  | { t: 'any' } // *
  | { t: 'one' } // ?
  | { t: 'ph'; name: string };

export interface SigmaString {
  parts: Part[];
  /** The literal text is a byte string (one char per byte) after an encoding such as utf16le. */
  bytes?: boolean;
}

function pushLit(parts: Part[], s: string): void {
  if (!s) return;
  const last = parts[parts.length - 1];
  if (last && last.t === 'lit') last.s += s;
  else parts.push({ t: 'lit', s });
}

export function parseSigmaString(raw: string, placeholders = false): SigmaString {
  const parts: Part[] = [];
  let lit = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      const n = raw[i + 1];
      if (n === '*' || n === '?' || n === '\\' || (placeholders && n === '%')) {
        lit += n;
        i++;
      } else {
        lit += '\\';
      }
    } else if (c === '*' || c === '?') {
      pushLit(parts, lit);
      lit = '';
      parts.push({ t: c === '*' ? 'any' : 'one' });
    } else if (placeholders && c === '%') {
      const end = raw.indexOf('%', i + 1);
      if (end > i + 1 && /^[A-Za-z0-9_.-]+$/.test(raw.slice(i + 1, end))) {
        pushLit(parts, lit);
        lit = '';
        parts.push({ t: 'ph', name: raw.slice(i + 1, end) });
        i = end;
      } else {
        lit += c;
      }
    } else {
      lit += c;
    }
  }
  pushLit(parts, lit);
  return { parts };
}

export function literal(s: string): SigmaString {
  return { parts: s ? [{ t: 'lit', s }] : [] };
}

export function hasWildcards(v: SigmaString): boolean {
  return v.parts.some((p) => p.t === 'any' || p.t === 'one');
}

export function hasPlaceholders(v: SigmaString): boolean {
  return v.parts.some((p) => p.t === 'ph');
}

/** The literal text when the value has no wildcards or placeholders. */
export function plainText(v: SigmaString): string | undefined {
  let s = '';
  for (const p of v.parts) {
    if (p.t !== 'lit') return undefined;
    s += p.s;
  }
  return s;
}

/** Canonical glob form used in the model: `*`, `?` wildcards; `\*`, `\?`, `\\` literals. */
export function toCanonicalGlob(parts: Part[]): string {
  let out = '';
  for (const p of parts) {
    if (p.t === 'any') out += '*';
    else if (p.t === 'one') out += '?';
    else if (p.t === 'lit') out += p.s.replace(/[\\*?]/g, (m) => '\\' + m);
    else out += `%${p.name}%`;
  }
  return out;
}

/** Apply a transformation to every literal part (wildcards kept in place). */
export function mapLiterals(v: SigmaString, f: (s: string) => string): SigmaString {
  return { ...v, parts: v.parts.map((p) => (p.t === 'lit' ? { t: 'lit', s: f(p.s) } : p)) };
}

export function withWildcardEnds(v: SigmaString, start: boolean, end: boolean): SigmaString {
  const parts = [...v.parts];
  if (start && parts[0]?.t !== 'any') parts.unshift({ t: 'any' });
  if (end && parts[parts.length - 1]?.t !== 'any') parts.push({ t: 'any' });
  return { ...v, parts };
}
