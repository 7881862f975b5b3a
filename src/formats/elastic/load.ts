import { readFileSync } from 'node:fs';
import { TomlError, parse as parseToml } from 'smol-toml';
import type { Aggregation, Detection, Loss, Problem, Rule, Sequence } from '../../model/index.js';
import { and, mapStages, sequenceTree } from '../../model/index.js';
import { lowerFilters } from './filters.js';
import { deriveLogSource } from './logsource.js';
import { lowerQuery } from './query.js';
import { queryOrigin, toFilePosition } from './query-position.js';
import { ruleExtra } from './rule-extra.js';
import { threatMapping } from './threat.js';
import { str, strs, table } from './toml.js';
import type { Table } from './toml.js';

export interface ElasticParse {
  rules: Rule[];
  problems: Problem[];
}

/** Rule types whose query we lower to predicates. */
const QUERY_TYPES = new Set(['eql', 'query', 'esql', 'new_terms', 'threshold', 'threat_match', 'saved_query']);
const DEFAULT_LANGUAGE: Record<string, string> = { eql: 'eql', esql: 'esql', query: 'kuery', new_terms: 'kuery', threshold: 'kuery', threat_match: 'kuery', saved_query: 'kuery' };

/** Reads one Elastic detection rule file. Never throws: unreadable files are a Problem. */
export function parseElasticFile(path: string): ElasticParse {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { rules: [], problems: [{ file: path, reason: 'read-error', message: (e as Error).message }] };
  }
  return parseElasticText(text, path);
}

/** Parses the text of one Elastic TOML rule (`path` is recorded on the rule and its problems). */
export function parseElasticText(text: string, path: string): ElasticParse {
  try {
    return parseRule(text, path);
  } catch (e) {
    // A bug of ours must not end a corpus walk: report it against the file.
    return { rules: [], problems: [{ file: path, reason: 'internal-error', message: (e as Error).stack?.split('\n').slice(0, 3).join(' ') ?? String(e) }] };
  }
}

function parseRule(text: string, path: string): ElasticParse {
  const problems: Problem[] = [];
  let doc: Table;
  try {
    doc = parseToml(text) as Table;
  } catch (e) {
    if (e instanceof TomlError) return { rules: [], problems: [{ file: path, line: e.line, column: e.column, reason: 'toml-parse', message: e.message.split('\n')[0] }] };
    return { rules: [], problems: [{ file: path, reason: 'toml-parse', message: (e as Error).message }] };
  }
  const meta = table(doc.metadata) ?? {};
  const rule = table(doc.rule);
  if (!rule) return { rules: [], problems: [{ file: path, reason: 'missing-field', message: 'no [rule] table: not an Elastic detection rule' }] };
  const id = str(rule.rule_id);
  if (!id) return { rules: [], problems: [{ file: path, line: lineOf(text, /^\[rule\]/m), reason: 'missing-field', message: 'rule.rule_id is missing' }] };
  const type = str(rule.type) ?? '';
  const tags = strs(rule.tags);
  const threat = threatMapping(rule);
  const extra = ruleExtra(meta, rule);
  if (threat.tacticIds.length) extra.tactic_ids = threat.tacticIds;
  const language = str(rule.language) ?? DEFAULT_LANGUAGE[type] ?? '';
  const query = str(rule.query);

  if (!str(rule.name)) problems.push({ file: path, reason: 'missing-field', message: 'rule.name is missing: the rule_id is used as title' });
  let detection: Detection | undefined;
  let sequence: Sequence | undefined;
  let aggregations: Aggregation[] | undefined;
  let isSequence = false;
  const losses: Loss[] = [];
  if (type === 'machine_learning') {
    const ml = extra.machine_learning as { job_ids?: string[]; anomaly_threshold?: unknown } | undefined;
    extra.no_predicates_reason = `machine-learning rule: alerts on anomalies scoring ${String(ml?.anomaly_threshold ?? '?')} or more in job(s) ${(ml?.job_ids ?? []).join(', ') || '?'}`;
  } else if (!QUERY_TYPES.has(type)) {
    problems.push({ file: path, line: lineOf(text, /^\s*type\s*=/m), reason: 'unknown-rule-type', message: `unknown rule type '${type}': listed without predicates` });
    extra.no_predicates_reason = `unknown rule type '${type}'`;
  } else if (query === undefined || !query.trim()) {
    problems.push({ file: path, reason: 'no-query', message: `a ${type} rule without a query` });
    extra.no_predicates_reason = 'the rule has no query';
  } else {
    const lowered = lowerQuery(language, query);
    Object.assign(extra, lowered.extra);
    isSequence = lowered.isSequence;
    losses.push(...lowered.losses);
    if (lowered.error) {
      const origin = queryOrigin(text);
      const pos = origin ? toFilePosition(origin, lowered.error.line, lowered.error.column) : undefined;
      problems.push({
        file: path,
        ...(pos ? { line: pos.line, column: pos.column } : {}),
        where: `query ${lowered.error.line}:${lowered.error.column}`,
        reason: 'query-parse',
        message: `${language} query: ${lowered.error.message}`,
      });
      extra.parse_error = lowered.error;
      extra.no_predicates_reason = 'the query could not be parsed';
    } else {
      detection = lowered.detection;
      sequence = lowered.sequence;
      aggregations = lowered.aggregations;
      if (lowered.noPredicates) extra.no_predicates_reason = lowered.noPredicates;
    }
    const filters = lowerFilters(rule.filters);
    if (filters.detection && !lowered.error) {
      extra.filters = true;
      const f = filters.detection;
      // A sequence's filters apply to the events of every stage.
      if (sequence) sequence = mapStages(sequence, (d) => and([d, f]));
      else detection = detection ? and([detection, f]) : f;
      losses.push(...filters.losses);
    }
  }
  const { logsource, categories } = deriveLogSource(sequence ? sequenceTree(sequence) : detection, tags, isSequence);
  if (categories.length) extra.event_categories = categories;

  const out: Rule = {
    id,
    title: str(rule.name) ?? id,
    vendor: 'elastic',
    path,
    status: str(meta.maturity),
    level: str(rule.severity),
    description: str(rule.description)?.trim(),
    author: strs(rule.author).join(', ') || undefined,
    date: isoDate(meta.creation_date),
    modified: isoDate(meta.updated_date),
    references: strs(rule.references),
    falsePositives: strs(rule.false_positives).map((f) => f.trim().replace(/\s*\n\s*/g, ' ')),
    tags,
    techniques: threat.techniques,
    tactics: threat.tactics,
    logsource,
    type,
    language,
    ...(detection ? { detection } : {}),
    ...(sequence ? { sequence } : {}),
    ...(aggregations ? { aggregations } : {}),
    fields: strs(table(rule.investigation_fields)?.field_names),
    note: str(rule.note),
    query,
    extra,
    ...(losses.length ? { losses } : {}),
  };
  return { rules: [out], problems };
}

/** "2020/11/17" -> "2020-11-17" (other shapes are kept as written). */
function isoDate(v: unknown): string | undefined {
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  const s = str(v);
  return s?.replace(/^(\d{4})\/(\d{2})\/(\d{2})$/, '$1-$2-$3');
}

function lineOf(text: string, re: RegExp): number | undefined {
  const m = re.exec(text);
  return m ? text.slice(0, m.index).split('\n').length : undefined;
}
