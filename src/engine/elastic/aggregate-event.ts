/** What the timeline aggregations (threshold, new_terms) see of an event that matched a rule's query. */
import type { Doc } from '../eql/values.js';

export interface AggEvent {
  doc: Doc;
  /** @timestamp in ms (NaN when absent). */
  ts: number;
}
