/**
 * Any rule of the model as a Sigma rule (YAML). The tree is first put on canonical fields by the
 * taxonomy (canonical names are Sigma's field names where Sigma has one; an ECS name otherwise, kept
 * as written); logsource comes from the rule's (Sigma-style) logsource; ATT&CK techniques and
 * tactics become `attack.*` tags. Metadata that the Sigma schema constrains (id as UUID, dates as
 * YYYY-MM-DD, status and level enumerations, tag syntax) is written only when it fits.
 *
 * Not convertible (SigmaPrintError): an unknown node, a constant condition, a test no modifier says
 * (see item.ts), a correlation or filter rule, and EQL sequences and samples. A sequence is not
 * written as a `temporal_ordered` correlation: that correlation says "these rules matched in this
 * order within the timespan, per group", while an EQL sequence is a per-key state machine (each
 * event used once, stages restarted, `until` and missing-event stages, `runs`), so the alerts would
 * differ; the rule is reported as not convertible rather than approximated.
 */
import { parse, stringify } from 'yaml';
import type { Rule } from '../../model/index.js';
import { LEVELS } from '../../model/index.js';
import { canonicalize } from '../../taxonomy/pipeline.js';
import { sigmaDetection } from './detection.js';
import { sigmaFail } from './errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^(\d{4})[-/](0[1-9]|1[012])[-/](0[1-9]|[12]\d|3[01])$/;
const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;

/** The Sigma document (a plain object, as YAML would load it) for a rule. */
export function sigmaDocument(rule: Rule): Record<string, unknown> {
  if (rule.correlation) sigmaFail('correlation', 'correlation rules are not written by the Sigma backend');
  if (rule.type === 'filter') sigmaFail('filter', 'Sigma filter rules are not written by the Sigma backend');
  if (rule.sequence || rule.extra.sequence) sigmaFail('sequence', `an EQL ${rule.sequence?.kind ?? 'sequence'}: a Sigma temporal_ordered correlation would not match the same events (see backends/sigma/rule.ts)`);
  if (!rule.detection) sigmaFail('no-detection', 'the rule has no predicate tree');
  const canonical = canonicalize(rule).detection!;
  const doc: Record<string, unknown> = { title: rule.title.slice(0, 256) };
  if (UUID.test(rule.id)) doc.id = rule.id;
  const status = rule.status?.toLowerCase();
  if (status && STATUSES.includes(status)) doc.status = status;
  if (rule.description) doc.description = rule.description.slice(0, 65535);
  const refs = unique(rule.references);
  if (refs.length) doc.references = refs;
  if (rule.author) doc.author = rule.author;
  const date = isoDate(rule.date);
  if (date) doc.date = date;
  const modified = isoDate(rule.modified);
  if (modified) doc.modified = modified;
  const tags = sigmaTags(rule);
  if (tags.length) doc.tags = tags;
  doc.logsource = logsource(rule);
  doc.detection = sigmaDetection(canonical).section;
  const fps = unique(rule.falsePositives).filter((f) => f.length >= 2);
  if (fps.length) doc.falsepositives = fps;
  const fields = unique(rule.fields);
  if (fields.length) doc.fields = fields;
  const level = typeof rule.level === 'string' ? rule.level.toLowerCase() : undefined;
  if (level && (LEVELS as readonly string[]).includes(level)) doc.level = level;
  return doc;
}

/**
 * The rule as Sigma YAML that YAML 1.2 readers (ours) and YAML 1.1 readers (PyYAML, pySigma) read to
 * the same document: strings either would take for booleans, numbers or dates are quoted. Should the
 * plain form still read differently in either version, every key and string is double-quoted.
 */
export function printSigmaRule(rule: Rule): string {
  const doc = sigmaDocument(rule);
  const plain = stringify(doc, { version: '1.1', lineWidth: 0 });
  if (readsAs(plain, doc)) return plain;
  return stringify(doc, { version: '1.1', lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'QUOTE_DOUBLE' });
}

function readsAs(text: string, doc: unknown): boolean {
  const want = JSON.stringify(doc);
  return (['1.1', '1.2'] as const).every((version) => {
    try {
      return JSON.stringify(parse(text, { version })) === want;
    } catch {
      return false;
    }
  });
}

function logsource(rule: Rule): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of ['category', 'product', 'service', 'definition'] as const) {
    const v = rule.logsource[k];
    if (v) out[k] = v;
  }
  return out;
}

/** Sigma tags: the rule's own when it is a Sigma rule, else attack.tNNNN and attack.<tactic> from the model. */
export function sigmaTags(rule: Rule): string[] {
  const own = rule.vendor === 'sigma' ? rule.tags.map((t) => t.trim()).filter((t) => TAG.test(t)) : [];
  const derived = [
    ...rule.techniques.map((t) => `attack.${t.toLowerCase()}`),
    ...rule.tactics.map((t) => `attack.${t.toLowerCase().replace(/\s+/g, '-')}`),
  ].filter((t) => TAG.test(t));
  return unique([...own, ...derived.filter((t) => !own.some((o) => o.toLowerCase() === t))]);
}

function isoDate(d: string | undefined): string | undefined {
  const m = d ? DATE.exec(d.trim()) : null;
  return m ? `${m[1]}-${m[2]}-${m[3]}` : undefined;
}

function unique(xs: string[]): string[] {
  return [...new Set(xs.map((x) => x.trim()).filter((x) => x !== ''))];
}
