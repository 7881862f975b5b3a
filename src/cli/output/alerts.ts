/** Alert writers for `scan --format jsonl|csv|table`. */
import type { Alert } from '../../engine/alert.js';
import { csvRow } from './csv.js';
import { renderTable } from './table.js';

export type AlertFormat = 'jsonl' | 'csv' | 'table';

export interface AlertWriter {
  write(a: Alert): void;
  /** Text to print after the last alert (the table itself, for the table format). */
  end(): string;
}

const CSV_HEADERS = ['timestamp', 'level', 'rule_id', 'rule_title', 'techniques', 'computer', 'channel', 'event_id', 'record_id', 'file', 'matched', 'recovered'];

/** A deleted record carved from EVTX slack (scan --recover) is never shown as a live one. */
const recovered = (a: Alert): string => (a.event.recovered ? ' (recovered)' : '');

export function alertWriter(format: AlertFormat, out: (s: string) => void): AlertWriter {
  if (format === 'jsonl') return { write: (a) => out(JSON.stringify(a) + '\n'), end: () => '' };
  if (format === 'csv') {
    out(csvRow(CSV_HEADERS));
    return {
      write: (a) => out(csvRow([a.event.timestamp, a.rule.level, a.rule.id, a.rule.title, a.techniques.join(' '), a.event.computer,
        a.event.channel, a.event.event_id, a.event.record_id, a.event.file, a.matched, a.event.recovered ? 'true' : ''])),
      end: () => '',
    };
  }
  const rows: Array<Array<string | number | null>> = [];
  return {
    write: (a) => rows.push([a.event.timestamp, a.rule.level, a.rule.title, a.techniques.join(' '), a.event.computer,
      `${a.event.channel ?? ''}/${a.event.event_id ?? ''}${recovered(a)}`, `${a.event.file}#${a.event.record_id ?? ''}`]),
    end: () => (rows.length ? renderTable(['timestamp', 'level', 'rule', 'techniques', 'computer', 'channel/id', 'file#record'], rows, 70) : 'no alerts\n'),
  };
}
