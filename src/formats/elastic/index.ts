/**
 * Elastic detection rules (TOML) into the model.
 *
 * - parseElasticFile(path) / parseElasticText(text, path) -> { rules, problems }: one rule per file,
 *   or problems only (toml-parse, missing-field, read-error). A rule whose query does not parse is
 *   still returned, without `detection`, with a `query-parse` problem (file line/column, and
 *   `where: "query L:C"`). Other reasons: unknown-rule-type, no-query, internal-error (a bug; the
 *   walk goes on). Nothing throws.
 * - Predicates keep the vendor (ECS) field in `field` and `authoredField`. `in` lists and `:` lists
 *   are ONE `eq` predicate with several values (any-of); the `in` op is never produced.
 * - EQL `category where ...` adds `event.category eq category` (cased) as the first conjunct.
 * - Sequences / samples: no `detection`; `rule.sequence` (model/sequence.ts) holds the stages, each
 *   with its own filter, keys, runs and missing flag, plus maxspan and until (eql/sequence-model.ts).
 *   Statistics read them as one tree (ruleTree: an `or` of the stages, missing and until under `not`).
 *   Kibana filters are and-ed into every stage. extra.sequence keeps lower.ts's SequenceInfo summary.
 * - Tests of computed values (EQL length(x) > 3, ES|QL EVAL/GROK/INLINE STATS values) are
 *   ComputedTest nodes with the computation kept (model/computed.ts); ES|QL STATS stages are
 *   rule.aggregations. Conditions the model cannot express (COMPLETION answers, Lucene
 *   regexes RE2 cannot say, query DSL filters we do not read...) are `unknown` nodes quoting the
 *   query, and rule.losses entries {text, reason, offset, detail}; approximations (full-text match as
 *   contains, KQL nested queries) keep their predicate and add a loss. A rule with losses is partial.
 * - Regexes (EQL regex, ES|QL RLIKE, Lucene /re/) match the whole value in Lucene syntax: stored as
 *   anchored RE2 `^(?:...)$` (lucene-regex.ts), the authored pattern in authoredValues.
 * - rule.extra: see rule-extra.ts (threshold, new_terms, building_block, index...), plus sequence,
 *   pipes, eql_optional_fields, esql {indices, commands, aggregate_where}, filters, event_categories,
 *   no_predicates_reason, parse_error.
 */
export { parseElasticFile, parseElasticText } from './load.js';
export type { ElasticParse } from './load.js';
export { COVERAGE_TYPES, countPredicates, listTomlFiles, walkElasticCorpus } from './corpus.js';
export type { CorpusStats } from './corpus.js';
export { lowerQuery } from './query.js';
export type { LoweredQuery } from './query.js';
