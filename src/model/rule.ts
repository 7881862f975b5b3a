import type { Detection } from './predicate.js';
import type { Correlation } from './correlation.js';
import { safeLine } from '../util/safe-text.js';
import type { Sequence } from './sequence.js';
import type { Aggregation } from './aggregation.js';
import { sequenceTree } from './sequence.js';

export type Vendor = 'sigma' | 'elastic' | 'splunk';
export type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];

/** Where the events a rule looks at come from, in Sigma's terms (other vendors map onto it). */
export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
}

/** One rule of any vendor, normalized. */
export interface Rule {
  id: string;
  title: string;
  vendor: Vendor;
  /** File the rule came from (as given to the loader). */
  path: string;
  status?: string;
  level?: Level | string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  references: string[];
  falsePositives: string[];
  tags: string[];
  /** ATT&CK technique ids, normalized upper-case (T1216, T1216.001). */
  techniques: string[];
  /** ATT&CK tactic short names (defense-evasion, ...). */
  tactics: string[];
  logsource: LogSource;
  /** Vendor-specific kind: sigma "detection" | "correlation" | "filter"; elastic "eql", "query", ...; splunk "TTP"... */
  type: string;
  /** Query language of the raw text (sigma, eql, kuery, lucene, esql, spl). */
  language: string;
  /** The predicate tree; absent for rules with no predicates (ML rules, correlations). */
  detection?: Detection;
  correlation?: Correlation;
  /**
   * Multi-event rules (EQL `sequence`, `sample`): the stages with their own filters, keys and window.
   * `detection` is then absent: statistics read the stages (ruleTree), engines the Sequence.
   */
  sequence?: Sequence;
  /**
   * Aggregation stages after the event filter, in order (ES|QL STATS ... BY ... | WHERE ...): each
   * groups the rows of the one before. The event filter stays in `detection`.
   */
  aggregations?: Aggregation[];
  /** Fields the rule says are interesting for analysts. */
  fields: string[];
  /** Elastic `note`: the investigation guide. */
  note?: string;
  /** Raw query text as authored. */
  query?: string;
  /** Anything vendor-specific worth keeping (threshold, new_terms, data sources...). */
  extra: Record<string, unknown>;
  /**
   * Conditions of the raw query that are not (fully) in `detection`: a rule with any loss is `partial`
   * in the catalog, never `parsed`. Table `rule_losses`.
   */
  losses?: Loss[];
}

/** One condition of a rule's raw query that the predicate tree does not hold exactly. */
export interface Loss {
  /** The condition as written (a slice of the raw query). */
  text: string;
  /** Short machine-friendly category (subsearch, computed-comparison, unsupported-command...). */
  reason: string;
  /** Offset of `text` in the raw query, when known. */
  offset?: number;
  /** Longer explanation in words. */
  detail?: string;
}

/** A problem found while reading rules or events: never an exception that ends a run. */
export interface Problem {
  file: string;
  /** 1-based line/column when known, or a byte offset / record number in `where`. */
  line?: number;
  column?: number;
  where?: string;
  /** A short machine-friendly category, used to count skipped rules by reason. */
  reason: string;
  message: string;
  /**
   * Default 'error'. A 'notice' reports a leniency that changed nothing read (YAML the vendor's own
   * tooling accepts): it does not make a rule partial.
   */
  severity?: 'error' | 'notice';
}

/**
 * A problem as one line for people: `file:line:column: reason: message`. Every part may come from a
 * hostile file (names, messages quoting bytes), so control characters are escaped (util/safe-text).
 */
export function formatProblem(p: Problem): string {
  const pos = p.line !== undefined ? `:${p.line}${p.column !== undefined ? `:${p.column}` : ''}` : p.where ? ` (${p.where})` : '';
  return safeLine(`${p.file}${pos}: ${p.reason}: ${p.message}`);
}

/** The predicate tree statistics read: the detection, or a sequence's stages as one tree (sequenceTree). */
export function ruleTree(rule: Pick<Rule, 'detection' | 'sequence'>): Detection | undefined {
  return rule.detection ?? (rule.sequence ? sequenceTree(rule.sequence) : undefined);
}
