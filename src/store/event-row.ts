/** A flattened event (events/normalize.ts) as one staging row of the store. */
import type { FlatEvent } from '../events/normalize.js';
import { foldString } from '../engine/case-fold.js';
import { VALUE_SEPARATOR } from '../backends/duckdb/print.js';
import { toEcs } from '../events/ecs/index.js';
import { ecsRowPart, type EcsRowPart } from './ecs-row.js';

export interface EventRow {
  seq: number;
  recordId: number | null;
  timestamp: string | null;
  computer: string | null;
  channel: string;
  channelLc: string;
  eventId: number | null;
  provider: string | null;
  fieldsJson: string;
  listsJson: string | null;
  allValues: string;
  /** The event's ECS document (what Elastic rules read), when the store keeps it (ecs-row.ts). */
  ecs?: EcsRowPart;
  /** The fields behind fieldsJson / listsJson, for engines that take them as arrays (ClickHouse). */
  fields: Record<string, string | null>;
  lists: Record<string, string[]> | null;
}

export interface EventRowOptions {
  /** Also build the ECS part (toEcs, as `scan` does for Elastic rules). */
  ecs?: boolean;
}

export function eventRow(ev: FlatEvent, seq: number, opts: EventRowOptions = {}): EventRow {
  const single: Record<string, string | null> = {};
  let lists: Record<string, string[]> | undefined;
  const all: string[] = [];
  for (const k of ev.keys) {
    const v = ev.fields[k];
    if (v === undefined) continue;
    if (Array.isArray(v)) {
      (lists ??= {})[k] = v;
      for (const x of v) all.push(foldString(x));
    } else {
      single[k] = v;
      if (v !== null) all.push(foldString(v));
    }
  }
  const f = ev.fields;
  return {
    seq,
    recordId: ev.record.recordId ?? null,
    timestamp: ev.record.timestamp ?? null,
    computer: typeof f.Computer === 'string' ? f.Computer : null,
    channel: ev.channel,
    channelLc: ev.channel.toLowerCase(),
    eventId: Number.isSafeInteger(ev.eventId) ? ev.eventId : null,
    provider: typeof f.Provider_Name === 'string' ? f.Provider_Name : null,
    fieldsJson: JSON.stringify(single),
    listsJson: lists ? JSON.stringify(lists) : null,
    allValues: all.join(VALUE_SEPARATOR),
    ...(opts.ecs ? { ecs: ecsRowPart(toEcs(ev.record)) } : {}),
    fields: single,
    lists: lists ?? null,
  };
}
