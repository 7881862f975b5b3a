/**
 * scan's `matched` value of a field that may hold several values, in hunt. scan shows an event
 * field as the event holds it (engine/file-scan.ts toAlert): a single value as a string, a list
 * (unnamed EventData <Data> elements, JSON arrays) as the whole list of its values. The stores keep
 * lists apart from single values (DuckDB `lists`, ClickHouse `l_keys`/`l_values`) and an alert's
 * shown values travel as one array of texts; so a field stored as a list somewhere in the store
 * (its listFields) travels as a pseudo-field whose text says which it is in this event:
 * - NULL: the event has no value for the field (as a plain shown field's NULL);
 * - 'S' + the value: a single value;
 * - 'L' + each value escaped ('\' as '\\', newline as '\n') and followed by a newline: a list
 *   (['a', 'b'] is "La\nb\n", [''] is "L\n", [] is "L").
 * Both stores print this text (store/duckdb/shown-sql.ts listShownSql, store/clickhouse/shown-value.ts)
 * and the hunt loop reads it back (decodeListShown).
 */

/** No event field name starts with NUL (as keyword-shown.ts's mark): the stores' keys come from EVTX/JSON names. */
const MARK = '\u0000list\u0000';

/** The pseudo-field of an event field that may hold several values. */
export function listShownField(field: string): string {
  return MARK + field;
}

/** The event field of a pseudo-field, undefined for any other field. */
export function listFieldOf(field: string): string | undefined {
  return field.startsWith(MARK) ? field.slice(MARK.length) : undefined;
}

/** The value scan shows, from the store's text (see above). */
export function decodeListShown(text: string): string | string[] {
  if (text[0] === 'S') return text.slice(1);
  if (text[0] !== 'L') throw new Error(`a list field's shown value is neither single nor a list: ${JSON.stringify(text.slice(0, 40))}`);
  const out: string[] = [];
  let cur = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') {
      out.push(cur);
      cur = '';
    } else if (c === '\\' && i + 1 < text.length) {
      const n = text[++i];
      cur += n === 'n' ? '\n' : n;
    } else {
      cur += c;
    }
  }
  if (cur !== '') throw new Error(`a list field's shown value ends inside a value: ${JSON.stringify(text.slice(-40))}`);
  return out;
}

/** The text of a list (what the stores' SQL prints), for tests of the decoding. */
export function encodeListShown(value: string | string[]): string {
  if (typeof value === 'string') return 'S' + value;
  return 'L' + value.map((v) => v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n') + '\n').join('');
}
