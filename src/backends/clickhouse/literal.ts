/**
 * ClickHouse string literals for untrusted rule values. Unlike DuckDB, a backslash is an escape
 * character inside a ClickHouse literal: every backslash is doubled, a quote is written \', NUL
 * \0. LIKE patterns then get a second level (globToLike's `\%`, `\_`, `\\`): the note's trap 2.
 * Valid on 18.16 and on current releases alike.
 */
export function chString(s: string): string {
  return `'${s.replace(/[\\'\0]/g, (c) => (c === '\0' ? '\\0' : '\\' + c))}'`;
}

/**
 * `match(x, re)` that never takes the store's shortcut: ClickHouse looks for a literal substring
 * the pattern requires before running RE2, and that scan misreads flags and escapes (`(?i)abc`
 * or `\x41BC` then miss; upstream issue 11101). A top-level alternative that can never match
 * (an empty class) leaves no required substring, so RE2 alone decides.
 */
export function chMatch(x: string, pattern: string): string {
  return `match(${x}, ${chString(`(?:${pattern})|[^\\x00-\\x{10FFFF}]`)})`;
}
