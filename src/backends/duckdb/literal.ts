/**
 * SQL string literals for untrusted rule values: quotes doubled, NUL spelled chr(0) (a literal
 * cannot hold it), length bounded. Standard-conforming strings: a backslash is an ordinary
 * character in DuckDB (and the same text in ClickHouse needs its own escaper, see the note).
 */
import { SqlPrintError } from './errors.js';

/** Longest value a rule may compare (bytes of SQL text per value; rules are untrusted). */
export const MAX_SQL_VALUE = 65536;

/** A rule value, refused past MAX_SQL_VALUE characters. */
export function checkValue(s: string): string {
  if (s.length > MAX_SQL_VALUE) throw new SqlPrintError('value', `a value longer than ${MAX_SQL_VALUE} characters`);
  return s;
}

export function sqlString(s: string): string {
  if (!s.includes('\0')) return `'${s.replace(/'/g, "''")}'`;
  return '(' + s.split('\0').map((p) => `'${p.replace(/'/g, "''")}'`).join(' || chr(0) || ') + ')';
}

/** A field name as a map key literal. */
export const sqlKey = sqlString;

/**
 * The model's canonical glob (`*`, `?`, `\*`, `\?`, `\\`) as a LIKE pattern with `\` as escape:
 * `%`, `_` and `\` of the value are escaped so they match themselves.
 */
export function globToLike(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '\\' && (glob[i + 1] === '*' || glob[i + 1] === '?' || glob[i + 1] === '\\')) {
      out += likeLiteral(glob[++i]);
    } else if (c === '*') out += '%';
    else if (c === '?') out += '_';
    else out += likeLiteral(c);
  }
  return out;
}

function likeLiteral(c: string): string {
  return c === '%' || c === '_' || c === '\\' ? '\\' + c : c;
}
