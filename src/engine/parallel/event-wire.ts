/**
 * Flattened events sent from the decoding thread to the matching thread (decode-thread.ts): one
 * message per batch, structured-cloned. An event's field map is sent as its values in key order;
 * the key lists themselves (the EVTX reader's layouts: records of one template share one list) are
 * sent once each and referred to by number after. The receiver rebuilds the same map the reader
 * would have built (made by the key list's constructor, events/field-shape.ts, else grown; then the
 * derived fields: normalize.ts deriveFields).
 */
import { deriveFields, type FieldValue, type Fields, type FlatFields } from '../../events/normalize.js';
import type { EventRecord, ReadProblem } from '../../events/types.js';
import { fieldMaker, growFields, type FieldMaker } from '../../events/field-shape.js';

/** Key lists numbered per sender; past this many, an event's key list goes inline with its values (hostile input: one list per event). */
export const MAX_WIRE_LAYOUTS = 4096;

/** Numbers per event in EventBatch.meta: layout (-1: keys inline), EventID, EventRecordID (NaN: none), dataKeys (-1: none), flags. */
export const META = 5;
const RECOVERED = 1;
const PARTIAL = 2;
/** The event's channel (computer) is the previous event's: not in `values`. */
export const SAME_CHANNEL = 4;
export const SAME_COMPUTER = 8;

export interface EventBatch {
  /** The task the events belong to (in order; see decode-thread.ts). */
  task: number;
  n: number;
  /** Key lists numbered in this batch: [number, keys]. */
  layouts: Array<[number, readonly string[]]>;
  meta: Float64Array;
  /**
   * Per event: its channel and computer unless they repeat (meta's flags), its timestamp, the key
   * list when inline, then its values in key order, but for those that repeat (`same`).
   */
  values: Array<FieldValue | readonly string[] | undefined>;
  /** Per value of an event with a numbered key list, in order: 1 when it repeats (it is not in `values`). */
  same: Uint8Array;
  /** Reader problems met before this batch's events (in order). */
  problems: ReadProblem[];
}

/**
 * Numbers key lists for one receiver (identity: the reader's layouts are shared lists). A value equal
 * to the one the previous event of the same key list had at that place is not sent, only marked in
 * `same`: most repeat (provider, channel, computer, user, image: two values in three of the bench
 * file's), which spares cloning them, and the receiver then reuses the very string it has, which the
 * matcher also compares faster (matcher.ts LastSeen).
 */
export class WireEncoder {
  private ids = new Map<readonly string[], number>();
  private last: Array<FieldValue[]> = [];
  private lastChannel: string | undefined;
  private lastComputer: string | null | undefined;
  private scratch = new Uint8Array(1 << 14);

  batch(task: number, records: EventRecord[], flat: (r: EventRecord) => FlatFields, problems: ReadProblem[]): EventBatch {
    const meta = new Float64Array(records.length * META);
    const layouts: Array<[number, readonly string[]]> = [];
    const values: EventBatch['values'] = [];
    let same = this.scratch;
    let k = 0;
    let j = 0;
    for (const r of records) {
      const f = flat(r);
      const keys = f.keys;
      let id = this.ids.get(keys);
      if (id === undefined && this.ids.size < MAX_WIRE_LAYOUTS) {
        this.ids.set(keys, (id = this.ids.size));
        layouts.push([id, keys]);
      }
      let flags = (r.recovered ? RECOVERED : 0) | (r.partial ? PARTIAL : 0);
      if (f.channel === this.lastChannel) flags |= SAME_CHANNEL;
      else values.push((this.lastChannel = f.channel));
      if (f.computer === this.lastComputer) flags |= SAME_COMPUTER;
      else values.push((this.lastComputer = f.computer));
      values.push(r.timestamp);
      meta[j++] = id ?? -1;
      meta[j++] = f.eventId;
      meta[j++] = r.recordId ?? NaN;
      meta[j++] = f.dataKeys ?? -1;
      meta[j++] = flags;
      const fields = f.fields;
      const vals = f.values;
      if (id === undefined) {
        values.push(keys);
        for (let i = 0; i < keys.length; i++) values.push(vals ? vals[i] : fields[keys[i]]);
        continue;
      }
      if (k + keys.length > same.length) {
        const grown = new Uint8Array(Math.max(same.length * 2, k + keys.length));
        grown.set(same.subarray(0, k));
        this.scratch = same = grown;
      }
      const last = (this.last[id] ??= []);
      for (let i = 0; i < keys.length; i++) {
        const v = vals ? vals[i] : fields[keys[i]];
        if (typeof v === 'string' && v === last[i]) same[k++] = 1;
        else {
          same[k++] = 0;
          values.push((last[i] = v));
        }
      }
    }
    return { task, n: records.length, layouts, meta, values, same: same.slice(0, k), problems };
  }
}

/**
 * A record rebuilt from the wire: what a scan reads of it (its identity and its flattened fields).
 * The rendered event is not sent: only scans without Elastic rules (which read nothing else) use
 * the decoding thread.
 */
class WiredRecord implements EventRecord {
  recordId?: number;
  timestamp?: string;
  recovered?: true;
  partial?: true;

  constructor(readonly file: string, readonly flat: FlatFields) {}

  get event(): Record<string, unknown> {
    throw new Error('the rendered event stays on the decoding thread');
  }
}

/** Rebuilds the records of batches from one WireEncoder, in order. */
export class WireDecoder {
  private layouts: Array<readonly string[]> = [];
  /** Per numbered key list, what makes its maps (null: none, they are grown; events/field-shape.ts). */
  private makers: Array<FieldMaker | null> = [];
  private last: Array<FieldValue[]> = [];
  private lastChannel = '';
  private lastComputer: string | null = null;

  records(file: string, b: EventBatch): EventRecord[] {
    for (const [id, keys] of b.layouts) {
      this.layouts[id] = keys;
      this.makers[id] = fieldMaker(keys) ?? null;
    }
    const { meta, values, same } = b;
    const out: EventRecord[] = new Array<EventRecord>(b.n);
    let s = 0;
    let k = 0;
    for (let e = 0, j = 0; e < b.n; e++, j += META) {
      const layout = meta[j];
      const flags = meta[j + 4];
      const channel = flags & SAME_CHANNEL ? this.lastChannel : (this.lastChannel = values[s++] as string);
      const computer = flags & SAME_COMPUTER ? this.lastComputer : (this.lastComputer = (values[s++] as string | null | undefined) ?? null);
      const timestamp = values[s++] as string | undefined;
      const keys = layout >= 0 ? this.layouts[layout] : (values[s++] as readonly string[]);
      if (!keys) throw new Error(`event batch: unknown key list ${layout}`);
      let fields: Fields;
      if (layout < 0) {
        fields = Object.create(null) as Fields;
        for (let i = 0; i < keys.length; i++) fields[keys[i]] = values[s++] as FieldValue;
      } else {
        // The list of the layout's last values becomes this event's, from which its map is made.
        const last = (this.last[layout] ??= []);
        for (let i = 0; i < keys.length; i++) if (!same[k++]) last[i] = values[s++] as FieldValue;
        const make = this.makers[layout];
        fields = make ? make(last) : growFields(keys, last);
      }
      const eventId = meta[j + 1];
      deriveFields(fields, channel, eventId);
      const dataKeys = meta[j + 3];
      const flat: FlatFields = { fields, keys, channel, eventId, computer };
      if (dataKeys >= 0) flat.dataKeys = dataKeys;
      const r = new WiredRecord(file, flat);
      const recordId = meta[j + 2];
      if (!Number.isNaN(recordId)) r.recordId = recordId;
      if (timestamp !== undefined) r.timestamp = timestamp;
      if (flags & RECOVERED) r.recovered = true;
      if (flags & PARTIAL) r.partial = true;
      out[e] = r;
    }
    return out;
  }
}
