/** SPL string and field-name quoting, as the SPL lexer reads them back (src/formats/spl/lexer.ts). */

/** A double-quoted SPL string: `\` and `"` are the only escapes. */
export function splString(s: string): string {
  return `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A field name in the search language: a bare word. */
export function searchField(name: string): string | undefined {
  return /^[A-Za-z_@$][^\s()"=,<>`[\]!*]*$/.test(name) ? name : undefined;
}

/** A field name in the eval language: a bare identifier, else single-quoted. */
export function evalField(name: string): string | undefined {
  if (/^[A-Za-z_@$][A-Za-z0-9_.:{}@$]*$/.test(name) && !name.endsWith('.')) return name;
  return name.includes("'") ? undefined : `'${name}'`;
}
