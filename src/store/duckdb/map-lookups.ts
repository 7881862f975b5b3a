/**
 * The map lookups a printed detection makes (backends/duckdb/print.ts reads a field that has no
 * column of its own as `fields['K']`, `lists['K']`, `map_contains(fields, 'K')`), found outside
 * string literals and quoted names, and replaced by what `replace` returns for each (e.g. the name
 * of a column computed once per event). Null when the SQL reads a map any other way (such as
 * `map_values(fields)` for a keyword search): such a detection needs the whole map.
 */
const MAPS = new Set(['fields', 'lists']);
const LITERAL = String.raw`'(?:[^']|'')*'`;
/** `fields['K']` or `lists['K']`, and `map_contains(fields, 'K')`: the forms the printer uses. */
const LOOKUP = new RegExp(String.raw`(?:fields|lists)\[${LITERAL}\]|map_contains\((?:fields|lists), ${LITERAL}\)`, 'y');
const WORD = /[A-Za-z0-9_]/;

export function replaceMapLookups(sql: string, replace: (lookup: string) => string): string | null {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      // A string literal or a quoted name: copied whole (its quote is doubled inside).
      let j = i + 1;
      while (j < sql.length && !(sql[j] === c && sql[j + 1] !== c)) j += sql[j] === c ? 2 : 1;
      out += sql.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (WORD.test(c) && (i === 0 || !WORD.test(sql[i - 1]))) {
      LOOKUP.lastIndex = i;
      const m = LOOKUP.exec(sql);
      if (m) {
        out += replace(m[0]);
        i += m[0].length;
        continue;
      }
      let j = i;
      while (j < sql.length && WORD.test(sql[j])) j++;
      if (MAPS.has(sql.slice(i, j))) return null;
      out += sql.slice(i, j);
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}
