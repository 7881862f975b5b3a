/**
 * An alert's shown value in ClickHouse hunts: a field's single value, whether the event holds a
 * keyword (store/keyword-shown.ts), or the single value or list of a field stored as a list
 * somewhere (store/list-shown.ts).
 */
import { printFieldValue, printKeywordFound, printListShown, type ChPrintOptions } from '../../backends/clickhouse/print.js';
import { keywordOf } from '../keyword-shown.js';
import { listFieldOf } from '../list-shown.js';

export function shownValue(field: string, opts: Pick<ChPrintOptions, 'reads' | 'mapEntry'> = {}): string {
  const k = keywordOf(field);
  if (k !== undefined) return printKeywordFound(k, opts);
  const listed = listFieldOf(field);
  return listed !== undefined ? printListShown(listed, opts) : printFieldValue(field, opts);
}
