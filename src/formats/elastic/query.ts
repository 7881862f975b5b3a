import type { Aggregation, Detection, Loss, Sequence } from '../../model/index.js';
import { LossLog } from './losses.js';
import { parse as parseEql } from '../eql/parser.js';
import { lowerEql } from '../eql/lower.js';
import { sequenceModel } from '../eql/sequence-model.js';
import { parse as parseEsql } from '../esql/parser.js';
import { lowerEsql } from '../esql/lower.js';
import { parse as parseKql } from '../kql/parser.js';
import { lowerKql } from '../kql/lower.js';
import { parse as parseLucene } from '../lucene/parser.js';
import { lowerLucene } from '../lucene/lower.js';
import type { ParseError } from './position.js';

/** The result of reading one rule query in its language. */
export interface LoweredQuery {
  detection?: Detection;
  /** EQL sequence / sample: the stages (then `detection` is absent). */
  sequence?: Sequence;
  /** Facts for rule.extra (sequence, pipes, esql commands...). */
  extra: Record<string, unknown>;
  error?: ParseError;
  isSequence: boolean;
  /** Why there are no predicates although the query parsed. */
  noPredicates?: string;
  /** ES|QL STATS stages after the event filter (rule.aggregations). */
  aggregations?: Aggregation[];
  /** Conditions of the query the tree does not hold exactly (rule.losses). */
  losses: Loss[];
}

/** Parses and lowers a query; never throws. `language` is rule.language (eql, kuery, lucene, esql). */
export function lowerQuery(language: string, text: string): LoweredQuery {
  switch (language) {
    case 'eql': {
      const r = parseEql(text);
      if (!r.ok) return { extra: {}, error: r.error, isSequence: false, losses: [] };
      const l = lowerEql(r.value);
      const extra: Record<string, unknown> = {};
      if (l.sequence) extra.sequence = l.sequence;
      if (l.pipes.length) extra.pipes = l.pipes;
      if (l.optionalFields.length) extra.eql_optional_fields = l.optionalFields;
      const sequence = sequenceModel(r.value, l);
      if (sequence) return { sequence, extra, isSequence: true, losses: l.losses };
      return { detection: l.detection, extra, isSequence: !!l.sequence, losses: l.losses };
    }
    case 'kuery': {
      const r = parseKql(text);
      if (!r.ok) return { extra: {}, error: r.error, isSequence: false, losses: [] };
      const log = new LossLog(text);
      return { detection: lowerKql(r.value, log), extra: {}, isSequence: false, losses: log.losses };
    }
    case 'lucene': {
      const r = parseLucene(text);
      if (!r.ok) return { extra: {}, error: r.error, isSequence: false, losses: [] };
      const log = new LossLog(text);
      return { detection: lowerLucene(r.value, log), extra: {}, isSequence: false, losses: log.losses };
    }
    case 'esql': {
      const r = parseEsql(text);
      if (!r.ok) return { extra: {}, error: r.error, isSequence: false, losses: [] };
      const l = lowerEsql(r.value);
      const extra = { esql: { indices: l.indices, commands: l.commands, aggregate_where: l.aggregateWhere } };
      return {
        detection: l.detection,
        ...(l.aggregations.length ? { aggregations: l.aggregations } : {}),
        extra,
        isSequence: false,
        losses: l.losses,
        ...(l.detection ? {} : { noPredicates: 'the ES|QL query has no WHERE before its aggregation: it filters aggregated values only' }),
      };
    }
    default:
      return { extra: {}, isSequence: false, losses: [], error: { message: `unknown query language '${language}'`, line: 1, column: 1, offset: 0 } };
  }
}
