/** An alert's shown value in ClickHouse hunts: a field's single value, or whether the event holds a keyword (store/keyword-shown.ts). */
import { printFieldValue, printKeywordFound, type ChPrintOptions } from '../../backends/clickhouse/print.js';
import { keywordOf } from '../keyword-shown.js';

export function shownValue(field: string, opts: Pick<ChPrintOptions, 'reads' | 'mapEntry'> = {}): string {
  const k = keywordOf(field);
  return k !== undefined ? printKeywordFound(k, opts) : printFieldValue(field, opts);
}
