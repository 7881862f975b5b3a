/** A double-quoted string of the EQL / ES|QL lexer (escapes: \\ \" \n \r \t \u{...}). */
export function quoted(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (c < 0x20 || c === 0x7f) out += `\\u{${c.toString(16)}}`;
    else out += ch;
  }
  return `${out}"`;
}

/** The parts of a canonical glob value: literal runs and `*` / `?` wildcards. */
export function globParts(glob: string): Array<{ lit: string } | { wild: '*' | '?' }> {
  const out: Array<{ lit: string } | { wild: '*' | '?' }> = [];
  let lit = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && i + 1 < glob.length && '\\*?'.includes(glob[i + 1])) lit += glob[++i];
    else if (c === '*' || c === '?') {
      if (lit) out.push({ lit });
      lit = '';
      out.push({ wild: c });
    } else lit += c;
  }
  if (lit) out.push({ lit });
  return out;
}
