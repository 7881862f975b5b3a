import type { Problem, Rule, Scalar } from '../model/index.js';
import { hasComputed, ruleTree } from '../model/index.js';
import { isSubtechnique, parentTechnique, ruleTechniques } from '../taxonomy/attack-ids.js';
import { authoredOp } from '../taxonomy/pipeline.js';
import { placePredicates } from './exclusions.js';
import { ruleEventTypes } from './event-types.js';
import { ruleLosses } from './losses.js';

/** The rows one rule file contributes to the catalog tables. */
export interface FileRows {
  rules: RuleRow[];
  predicates: PredicateRow[];
  techniques: TechniqueRow[];
  events: Array<{ rule_uid: string; vendor: string; path: string; event: string }>;
  problems: ProblemRow[];
  losses: LossRow[];
}

/** One condition of a rule's raw query that the predicate tree does not hold exactly (table rule_losses). */
export interface LossRow {
  rule_uid: string; vendor: string; path: string; text: string; reason: string; offset: number | null; detail: string | null;
}

export interface RuleRow {
  uid: string; id: string; title: string; vendor: string; path: string; folder: string; doc_index: number;
  status: string | null; level: string | null; type: string | null; language: string | null;
  product: string | null; category: string | null; service: string | null; event_types: string[];
  techniques: string[]; tactics: string[]; tags: string[]; refs: string[];
  description: string | null; query: string | null; has_search_clause: boolean;
  predicates: number; parse_status: 'parsed' | 'partial' | 'failed'; parse_note: string | null; model: string | null;
}

export interface PredicateRow {
  rule_uid: string; rule_id: string; vendor: string; path: string; tree_path: string; value_index: number;
  field: string | null; vendor_field: string | null; op: string; match_op: string;
  value: string | null; value_norm: string | null; authored_op: string; authored_value: string | null;
  negated: boolean; exclusion: boolean; cased: boolean; flags: string | null;
}

export interface TechniqueRow {
  rule_uid: string; rule_id: string; vendor: string; path: string;
  technique_id: string; parent_id: string; is_subtechnique: boolean;
}

export interface ProblemRow {
  file: string; vendor: string; line: number | null; column: number | null; where: string | null; reason: string; message: string;
}

const str = (v: Scalar | undefined): string | null => (v === undefined || v === null ? null : String(v));

/**
 * The comparison key of a value (corpus reach, indicators, exclusions): lower-cased unless the
 * predicate is case-sensitive; wildcard values in their written form (a literal backslash is `\\` in
 * the model's glob form, `\` as authors write it).
 */
export function normValue(value: string | null, op: string, cased: boolean): string | null {
  if (value === null) return null;
  const shown = op === 'wildcard' ? value.replace(/\\\\/g, '\\') : value;
  return cased ? shown : shown.toLowerCase();
}

/** The parse note of a rule with lost conditions: how many, by reason, and the first one. */
function lossNote(losses: ReadonlyArray<{ text: string; reason: string }>): string {
  const first = losses[0].text.length > 80 ? `${losses[0].text.slice(0, 80)}...` : losses[0].text;
  return `lost: ${losses.length} condition(s) not in the predicates (${losses[0].reason}: ${first})`;
}

/** Rule types that legitimately carry no predicates. */
const NO_PREDICATE_TYPES: Readonly<Record<string, string>> = {
  machine_learning: 'machine-learning rule: no query, no predicates',
  correlation: 'correlation rule: counts matches of other rules, no predicates of its own',
};

/** Splunk: does the search filter events (a where or search clause, or an implicit leading search)? */
export function hasSearchClause(rule: Rule): boolean {
  const q = rule.query ?? '';
  if (rule.vendor !== 'splunk') return q.trim().length > 0;
  return /^\s*[^|\s]/.test(q) || /\bwhere\b/i.test(q) || /\|\s*search\b/i.test(q);
}

export function fileRows(vendor: string, file: string, rules: Rule[], problems: Problem[], folder = ''): FileRows {
  const out: FileRows = { rules: [], predicates: [], techniques: [], events: [], problems: [], losses: [] };
  // a notice (YAML read leniently, as the vendor does) changes nothing read: it does not make rules partial
  const errors = problems.filter((p) => p.severity !== 'notice');
  for (const p of problems) {
    out.problems.push({
      file, vendor, line: p.line ?? null, column: p.column ?? null, where: p.where ?? null, reason: p.reason, message: p.message,
    });
  }
  if (rules.length === 0 && problems.length > 0) {
    const first = problems[0];
    out.rules.push({
      uid: `${file}#0`, id: file, title: file.split(/[\\/]/).pop() ?? file, vendor, path: file, folder, doc_index: 0,
      status: null, level: null, type: null, language: null, product: null, category: null, service: null, event_types: [],
      techniques: [], tactics: [], tags: [], refs: [], description: null, query: null, has_search_clause: false, predicates: 0,
      parse_status: 'failed', parse_note: `${first.reason}: ${first.message}`, model: null,
    });
    return out;
  }
  rules.forEach((rule, i) => {
    const uid = `${file}#${i}`;
    // A sequence's stages are one tree for statistics (each stage a root: counted once, exclusions per stage).
    const tree = ruleTree(rule);
    const placed = tree ? placePredicates(tree, rule.sequence !== undefined || (rule.extra.sequence !== undefined && rule.extra.sequence !== null)) : [];
    for (const pp of placed) {
      const p = pp.pred;
      const cased = p.flags.cased === true;
      // Encoded or expanded values (base64offset, wide, placeholders): the catalog keeps what the author
      // wrote, one row each (the expanded values stay in rules.model); otherwise one row per value.
      const encoded = (p.flags.encodings?.length ?? 0) > 0 || p.flags.expanded !== undefined;
      const authored = p.authoredValues;
      const values: Scalar[] = encoded && authored && authored.length > 0 ? authored : p.values.length > 0 ? p.values : [null];
      const authoredAt = (k: number): Scalar | undefined =>
        !authored ? values[k] : encoded || authored.length === values.length ? authored[k] : authored.length === 1 ? authored[0] : undefined;
      const flags = Object.keys(p.flags).length > 0 ? JSON.stringify(p.flags) : null;
      values.forEach((v, k) => {
        const value = str(v);
        out.predicates.push({
          rule_uid: uid, rule_id: rule.id, vendor: rule.vendor, path: file, tree_path: pp.path, value_index: k,
          field: p.field, vendor_field: p.authoredField, op: p.op, match_op: p.op === 'in' ? 'eq' : p.op,
          value, value_norm: normValue(value, p.op, cased), authored_op: authoredOp(p),
          authored_value: str(authoredAt(k)),
          negated: pp.negated, exclusion: pp.exclusion, cased, flags,
        });
      });
    }
    const techniques = ruleTechniques(rule.techniques, rule.tags);
    for (const t of techniques) {
      out.techniques.push({
        rule_uid: uid, rule_id: rule.id, vendor: rule.vendor, path: file,
        technique_id: t, parent_id: parentTechnique(t), is_subtechnique: isSubtechnique(t),
      });
    }
    const events = ruleEventTypes(rule);
    for (const e of events) out.events.push({ rule_uid: uid, vendor: rule.vendor, path: file, event: e });
    const losses = ruleLosses(rule);
    for (const l of losses) {
      out.losses.push({ rule_uid: uid, vendor: rule.vendor, path: file, text: l.text, reason: l.reason, offset: l.offset ?? null, detail: l.detail ?? null });
    }
    let status: RuleRow['parse_status'] = 'parsed';
    let note: string | null = null;
    if (placed.length === 0) {
      note = NO_PREDICATE_TYPES[rule.type] ?? (rule.correlation ? NO_PREDICATE_TYPES.correlation : null);
      // every condition held, as tests of computed values or group conditions: exact, with no
      // event-field predicate to count
      const held = errors.length === 0 && losses.length === 0 && ((tree !== undefined && hasComputed(tree)) || (rule.aggregations?.length ?? 0) > 0);
      if (note === null && held) note = 'conditions on computed values or aggregated groups only: no event-field predicate';
      else if (note === null) {
        status = 'partial';
        note = errors[0] ? `${errors[0].reason}: ${errors[0].message}` : losses[0] ? lossNote(losses) : 'no predicates extracted';
        // nothing silently dropped: a rule that should filter events but yields no predicates is a problem too
        if (errors.length === 0 && losses.length === 0) {
          out.problems.push({
            file, vendor, line: null, column: null, where: `rule ${i}`, reason: 'no-predicates',
            message: `${rule.type} rule "${rule.title}": its ${rule.language} query yielded no predicates`,
          });
        }
      }
    } else if (errors.length > 0) {
      status = 'partial';
      note = `${errors[0].reason}: ${errors[0].message}`;
    }
    if (losses.length > 0 && status === 'parsed') {
      status = 'partial';
      note = lossNote(losses);
    }
    out.rules.push({
      uid, id: rule.id, title: rule.title, vendor: rule.vendor, path: file, folder, doc_index: i,
      status: rule.status ?? null, level: rule.level ?? null, type: rule.type ?? null, language: rule.language ?? null,
      product: rule.logsource.product ?? null, category: rule.logsource.category ?? null, service: rule.logsource.service ?? null,
      event_types: events, techniques, tactics: rule.tactics ?? [], tags: rule.tags ?? [], refs: rule.references ?? [],
      description: rule.description ?? null, query: rule.query ?? null, has_search_clause: hasSearchClause(rule),
      predicates: placed.length, parse_status: status, parse_note: note, model: JSON.stringify(rule),
    });
  });
  return out;
}
