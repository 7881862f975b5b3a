/**
 * Sigma YAML files into model Rules. A file may hold several documents (rules, correlation rules,
 * filters). Every problem becomes a Problem naming file, line and reason; the rest goes on.
 */
import { readFileSync } from 'node:fs';
import { parseAllDocuments, type Document, LineCounter } from 'yaml';
import type { LogSource, Problem, Rule } from '../../model/index.js';
import { compileDetection } from './detection.js';
import { parseCorrelation } from './correlation.js';
import { SigmaError } from './errors.js';
import type { Placeholders } from './detection-item.js';
import { tacticsFromTags, techniquesFromTags } from './tags.js';

export { SigmaError } from './errors.js';
export type { Placeholders } from './detection-item.js';

export interface SigmaOptions {
  placeholders?: Placeholders;
}

export interface ParseResult {
  rules: Rule[];
  problems: Problem[];
}

/** Rule files larger than this are not rules. */
export const MAX_RULE_FILE_BYTES = 1 << 20;

export function parseSigmaFile(path: string, opts: SigmaOptions = {}): ParseResult {
  let text: string;
  try {
    const buf = readFileSync(path);
    if (buf.length > MAX_RULE_FILE_BYTES) {
      return { rules: [], problems: [{ file: path, reason: 'too-large', message: `${buf.length} bytes is larger than a rule file can be (${MAX_RULE_FILE_BYTES})` }] };
    }
    text = buf.toString('utf8');
  } catch (e) {
    return { rules: [], problems: [{ file: path, reason: 'unreadable', message: (e as Error).message }] };
  }
  return parseSigmaText(text, path, opts);
}

export function parseSigmaText(text: string, path: string, opts: SigmaOptions = {}): ParseResult {
  const rules: Rule[] = [];
  const problems: Problem[] = [];
  if (text.includes('\u0000')) {
    return { rules, problems: [{ file: path, line: lineOfOffset(text, text.indexOf('\u0000')), reason: 'binary', message: 'binary data (NUL byte) in a rule file' }] };
  }
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false }) as Document.Parsed[];
  } catch (e) {
    return { rules, problems: [{ file: path, reason: 'yaml', message: (e as Error).message }] };
  }
  if (!Array.isArray(docs)) docs = [docs];
  for (const doc of docs) {
    const startLine = lc.linePos(doc.range[0]).line;
    if (doc.errors.length) {
      const err = doc.errors[0];
      const pos = lc.linePos(err.pos[0]);
      problems.push({ file: path, line: pos.line, column: pos.col, reason: 'yaml', message: err.message.split('\n')[0] });
      continue;
    }
    const data = doc.toJS({ maxAliasCount: 100 }) as unknown;
    if (data === null || data === undefined) continue;
    if (typeof data !== 'object' || Array.isArray(data)) {
      problems.push({ file: path, line: startLine, reason: 'not-a-rule', message: 'document is not a map' });
      continue;
    }
    try {
      rules.push(documentToRule(data as Record<string, unknown>, path, opts));
    } catch (e) {
      if (!(e instanceof SigmaError)) throw e;
      problems.push({ file: path, line: locate(text, e.message) ?? startLine, reason: e.reason, message: e.message });
    }
  }
  return { rules, problems };
}

function str(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  return String(v);
}

function strList(v: unknown): string[] {
  if (v === undefined || v === null) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x)));
}

export function documentToRule(d: Record<string, unknown>, path: string, opts: SigmaOptions): Rule {
  const title = str(d.title);
  if (!title) throw new SigmaError('not-a-rule', "no 'title'");
  const tags = strList(d.tags);
  const logsource = (d.logsource && typeof d.logsource === 'object' ? d.logsource : {}) as Record<string, unknown>;
  const ls: LogSource = {
    product: str(logsource.product)?.toLowerCase(),
    category: str(logsource.category)?.toLowerCase(),
    service: str(logsource.service)?.toLowerCase(),
    definition: str(logsource.definition),
  };
  const rule: Rule = {
    id: str(d.id) ?? `${path}#${title}`,
    title,
    vendor: 'sigma',
    path,
    status: str(d.status),
    level: str(d.level)?.toLowerCase(),
    description: str(d.description),
    author: str(d.author),
    date: str(d.date),
    modified: str(d.modified),
    references: strList(d.references),
    falsePositives: strList(d.falsepositives),
    tags,
    techniques: techniquesFromTags(tags),
    tactics: tacticsFromTags(tags),
    logsource: ls,
    type: 'detection',
    language: 'sigma',
    fields: strList(d.fields),
    extra: {},
  };
  if (d.name !== undefined) rule.extra.name = str(d.name);
  if (d.related !== undefined) rule.extra.related = d.related;
  if (d.scope !== undefined) rule.extra.scope = d.scope;
  const ctx = { placeholders: opts.placeholders };
  if (d.correlation !== undefined) {
    rule.type = 'correlation';
    rule.correlation = parseCorrelation(d.correlation);
  } else if (d.filter !== undefined) {
    rule.type = 'filter';
    const f = d.filter as Record<string, unknown>;
    if (!f || typeof f !== 'object') throw new SigmaError('invalid-filter', "'filter' must be a map");
    const targets = strList(f.rules);
    if (targets.length === 0) throw new SigmaError('invalid-filter', "'filter.rules' names no rule");
    rule.extra.filterRules = targets;
    const { rules: _r, ...detection } = f;
    rule.detection = compileDetection(detection, ctx);
  } else if (d.detection !== undefined) {
    rule.detection = compileDetection(d.detection, ctx);
  } else {
    throw new SigmaError('not-a-rule', "no 'detection', 'correlation' or 'filter' section");
  }
  return rule;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/** Best effort: the line of the first quoted key or value an error message names. */
function locate(text: string, message: string): number | undefined {
  const m = /'([^']{2,})'/.exec(message);
  if (!m) return undefined;
  const idx = text.indexOf(m[1]);
  return idx >= 0 ? lineOfOffset(text, idx) : undefined;
}
