/**
 * The ECS fields a set of loaded Elastic rules can read, so a scan builds only those parts of each
 * event's document (src/events/ecs/needs.ts). Collected from each rule's query (every field of the
 * EQL syntax tree: stage filters, functions' arguments, `by` join keys; the lowered KQL/Lucene
 * tree's fields and field references), the threshold and new_terms fields, the fields alerts show,
 * plus what the runner itself reads of every document (index, host.os.type, the alert's event).
 * Undefined when a rule may read any field (a free-text KQL term searches every value).
 */
import type { Detection, Rule } from '../../model/index.js';
import { walkPredicates } from '../../model/index.js';

/** What the runner reads of every document it handles (docIndex, hostOs, timestampMs, eventInfo, the EQL category). */
export const RUNNER_FIELDS: readonly string[] = [
  '@timestamp', 'data_stream.type', 'data_stream.dataset', 'data_stream.namespace', 'event.dataset', 'agent.type', 'agent.version',
  'host.os.type', 'event.category', 'event.code', 'winlog.event_id', 'host.name', 'winlog.computer_name', 'winlog.channel',
];

/**
 * What the runner reads of a document it hands to a stateful rule (ElasticRunner.ordered): the EQL
 * category and the alert's event (eventInfo). The index and OS fields are read before (`local`).
 */
export const ORDERED_FIELDS: readonly string[] = ['@timestamp', 'event.category', 'event.code', 'winlog.event_id', 'host.name', 'winlog.computer_name', 'winlog.channel'];

export class FieldSet {
  readonly fields: Set<string>;
  /** Set when some rule may read any field: the whole document is needed. */
  all = false;

  constructor(base: readonly string[] = RUNNER_FIELDS) {
    this.fields = new Set(base);
  }

  add(name: string | null | undefined): void {
    if (name === null || name === undefined) {
      this.all = true;
      return;
    }
    const f = name.replace(/^\?/, '');
    // Wildcard field names (KQL `process.*: x`) and empty names: any field may be read.
    if (f === '' || f.includes('*')) this.all = true;
    else this.fields.add(f);
  }

  /** Every field node of an EQL syntax tree (any depth: filters, calls, join keys, until). */
  addEqlTree(node: unknown, depth = 0): void {
    if (depth > 200) {
      this.all = true; // deeper than any parsed query: not walked, so nothing is assumed unread
      return;
    }
    if (Array.isArray(node)) {
      for (const n of node) this.addEqlTree(n, depth + 1);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'field' && typeof o.name === 'string') this.add(o.name);
    for (const k of Object.keys(o)) if (k !== 'span') this.addEqlTree(o[k], depth + 1);
  }

  /** The fields of a lowered tree: predicate fields, and the other fields of field-to-field comparisons. */
  addDetection(d: Detection | undefined): void {
    if (!d) return;
    walkPredicates(d, (p) => {
      this.add(p.field);
      if (p.flags.fieldref) for (const v of p.values) this.add(String(v));
    });
    if (hasComputed(d)) this.all = true; // not visited by walkPredicates: its fields are not known here
  }

  /** A rule's aggregation fields (threshold: fields, cardinality; new_terms: fields). */
  addAggregation(rule: Rule): void {
    const th = rule.extra.threshold as { fields?: unknown; cardinality?: Array<{ field?: unknown }> } | undefined;
    const nt = rule.extra.new_terms as { fields?: unknown } | undefined;
    for (const list of [th?.fields, nt?.fields]) if (Array.isArray(list)) for (const f of list) this.add(String(f));
    if (Array.isArray(th?.cardinality)) for (const c of th.cardinality) if (c?.field !== undefined) this.add(String(c.field));
  }
}

function hasComputed(d: Detection, depth = 0): boolean {
  if (depth > 500) return true;
  switch (d.kind) {
    case 'and':
    case 'or':
      return d.children.some((c) => hasComputed(c, depth + 1));
    case 'not':
      return hasComputed(d.child, depth + 1);
    case 'computed':
      return true;
    default:
      return false;
  }
}
