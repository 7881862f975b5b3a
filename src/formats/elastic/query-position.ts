/**
 * Where a rule's query text starts inside its TOML file, to turn query-relative error positions into
 * file positions. Multi-line strings drop a newline right after the opening delimiter (TOML rule).
 * Columns are exact for literal strings ('''), approximate after escapes in basic strings (""").
 */
export interface QueryOrigin {
  line: number;
  column: number;
}

export function queryOrigin(fileText: string, key = 'query', tableName = 'rule'): QueryOrigin | undefined {
  // The first `query =` line after the [rule] header: other tables ([[transform.osquery]]) have queries too.
  const header = new RegExp(`^\\[${tableName.replace('.', '\\.')}\\][ \\t]*$`, 'm').exec(fileText);
  if (!header) return undefined;
  const from = header.index + header[0].length;
  const re = new RegExp(`^[ \\t]*${key}[ \\t]*=[ \\t]*('''|"""|'|")`, 'gm');
  re.lastIndex = from;
  const m = re.exec(fileText);
  if (!m) return undefined;
  let offset = m.index + m[0].length;
  if (m[1].length === 3) {
    if (fileText.startsWith('\r\n', offset)) offset += 2;
    else if (fileText[offset] === '\n') offset += 1;
  }
  const before = fileText.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return { line, column };
}

/** File position of a (1-based) query line/column. */
export function toFilePosition(origin: QueryOrigin, line: number, column: number): QueryOrigin {
  return line === 1 ? { line: origin.line, column: origin.column + column - 1 } : { line: origin.line + line - 1, column };
}
