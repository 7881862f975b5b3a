import type { FlatFields } from './normalize.js';

/**
 * One Windows event as every reader yields it. `event` is the content of the XML <Event> element in
 * the JSON shape of evtx_dump (the Rust evtx crate): {"System": {...}, "EventData": {...}} or
 * {"System": {...}, "UserData": {...}}, attributes under "#attributes", text under "#text".
 */
export interface EventRecord {
  /** The file the event came from. */
  file: string;
  /** EventRecordID when known. */
  recordId?: number;
  /** System/TimeCreated/@SystemTime as ISO-8601 UTC with a Z (precision as stored: up to 100 ns). */
  timestamp?: string;
  /** Where in the file: "line 12", "record 5 at offset 0x1234", for messages. */
  where?: string;
  event: Record<string, unknown>;
  /** The ECS document itself when the input was one (Winlogbeat, Elastic Agent, Elastic Defend): passed through by toEcs. */
  ecs?: Record<string, unknown>;
  /** A leftover record carved from an EVTX chunk's slack (deleted or overwritten), read only on request. */
  recovered?: true;
  /** Only part of the record decoded (what could not be read is left out; a problem line says why). */
  partial?: true;
  /** The event already flattened for matching by the reader (EVTX: decoded straight into fields); flattenEvent uses it. */
  flat?: FlatFields;
}

/** A reader problem: the record or region is skipped, the run goes on. */
export interface ReadProblem {
  file: string;
  where?: string;
  reason: string;
  message: string;
}

export type ProblemSink = (p: ReadProblem) => void;

/**
 * Reasons of lines that report no damage, only what the reader left aside: the deleted records
 * found in EVTX chunk slack (counted, or recovered with --recover).
 */
export const NOTICE_REASONS: ReadonlySet<string> = new Set(['deleted-records', 'recovered-records']);

/** Problem reasons that mean a whole input could not be read (the CLI exits 3 when one occurs). */
export const UNREADABLE_REASONS: ReadonlySet<string> = new Set(['unreadable', 'not-evtx', 'unsupported-version', 'truncated-header']);
