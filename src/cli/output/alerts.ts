/** Alert writers for `scan --format jsonl|csv|table`. */
import type { Alert } from '../../engine/alert.js';
import { alertJson } from './alert-json.js';
import { csvRow } from './csv.js';
import { renderTable, type ColumnLayout } from './table.js';
import { DEFAULT_TABLE_WIDTH } from './terminal-width.js';

export type AlertFormat = 'jsonl' | 'csv' | 'table';

export interface AlertWriter {
  write(a: Alert): void;
  /** Text to print after the last alert (the table itself, for the table format). */
  end(): string;
}

const CSV_HEADERS = ['timestamp', 'level', 'rule_id', 'rule_title', 'techniques', 'computer', 'channel', 'event_id', 'record_id', 'file', 'matched', 'recovered'];

/** A deleted record carved from EVTX slack (scan --recover) is never shown as a live one. */
const recovered = (a: Alert): string => (a.event.recovered ? ' (recovered)' : '');

/**
 * How the alert table shrinks to the width: the level keeps its width, the timestamp keeps at least
 * the second, the rule title gets most of the room; channel/id and file#record are cut from the left
 * so the event id, the file's name and the record number stay.
 */
const ALERT_COLUMNS: ColumnLayout[] = [
  { min: 20, weight: 1 },
  { weight: 0 },
  { min: 16, weight: 3 },
  { min: 10, weight: 1 },
  { min: 8, weight: 1 },
  { min: 12, weight: 1, keep: 'end' },
  { min: 14, weight: 2, keep: 'end' },
];

/** `width`: the total width of the table format (see terminal-width.ts). */
export function alertWriter(format: AlertFormat, out: (s: string) => void, width = DEFAULT_TABLE_WIDTH): AlertWriter {
  if (format === 'jsonl') return { write: (a) => out(alertJson(a) + '\n'), end: () => '' };
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
    end: () => (rows.length ? renderTable(['timestamp', 'level', 'rule', 'techniques', 'computer', 'channel/id', 'file#record'], rows, { width, columns: ALERT_COLUMNS }) : 'no alerts\n'),
  };
}
