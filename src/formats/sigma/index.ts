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
import { yamlData } from '../yaml-data.js';
import { type FastDoc, fastYamlDocs } from '../yaml-fast.js';
import { MAX_RULE_FILE_BYTES } from './limits.js';

export { SigmaError } from './errors.js';
export type { Placeholders } from './detection-item.js';
export { MAX_RULE_FILE_BYTES } from './limits.js';

export interface SigmaOptions {
  placeholders?: Placeholders;
  /**
   * Catalog reading: keep what can be counted even where a scan could not run the rule: placeholders
   * without values stay as `%name%` text, Sigma 1 aggregations and timeframes go to `extra`.
   */
  lenient?: boolean;
}

export interface ParseResult {
  rules: Rule[];
  problems: Problem[];
}


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
  const docs = fastYamlDocs(text) ?? yamlDocs(text, path);
  if (!Array.isArray(docs)) return { rules, problems: [docs] };
  // Sigma 1 rule collections: `action: global` documents are merged into the ones that follow,
  // `action: reset` forgets them, `action: repeat` reuses the previous document with changes.
  let global: Record<string, unknown> | undefined;
  let previous: Record<string, unknown> | undefined;
  for (const doc of docs) {
    if ('problem' in doc) {
      problems.push(doc.problem);
      continue;
    }
    const { data, line: startLine } = doc;
    if (data === null || data === undefined) continue;
    if (typeof data !== 'object' || Array.isArray(data)) {
      problems.push({ file: path, line: startLine, reason: 'not-a-rule', message: 'document is not a map' });
      continue;
    }
    let d = data as Record<string, unknown>;
    if (d.action !== undefined) {
      const action = String(d.action);
      const { action: _a, ...rest } = d;
      if (action === 'global') {
        global = deepMerge(global ?? {}, rest);
        continue;
      }
      if (action === 'reset') {
        global = undefined;
        continue;
      }
      if (action === 'repeat') {
        if (!previous) {
          problems.push({ file: path, line: startLine, reason: 'not-a-rule', message: "'action: repeat' with no document before it" });
          continue;
        }
        d = deepMerge(previous, rest);
      } else {
        problems.push({ file: path, line: startLine, reason: 'not-a-rule', message: `unknown collection action '${action}'` });
        continue;
      }
    } else if (global) {
      d = deepMerge(global, d);
    }
    previous = d;
    try {
      rules.push(documentToRule(d, path, opts));
    } catch (e) {
      // One bad rule never stops a run: an unexpected failure is this document's problem.
      if (!(e instanceof SigmaError)) {
        problems.push({ file: path, line: startLine, reason: 'internal-error', message: e instanceof Error ? e.message : String(e) });
        continue;
      }
      problems.push({ file: path, line: locate(text, e.message) ?? startLine, reason: e.reason, message: e.message });
    }
  }
  return { rules, problems };
}

/**
 * The documents of a file the fast reader left to the `yaml` package: each one's data, or its
 * problem (first error, with its position); a file it cannot read at all is one problem.
 */
function yamlDocs(text: string, path: string): Array<FastDoc | { problem: Problem }> | Problem {
  const lc = new LineCounter();
  let docs: Document.Parsed[];
  try {
    docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false }) as Document.Parsed[];
  } catch (e) {
    return { file: path, reason: 'yaml', message: (e as Error).message };
  }
  if (!Array.isArray(docs)) docs = [docs];
  return docs.map((doc) => {
    if (doc.errors.length) {
      const err = doc.errors[0];
      const pos = lc.linePos(err.pos[0]);
      return { problem: { file: path, line: pos.line, column: pos.col, reason: 'yaml', message: err.message.split('\n')[0] } };
    }
    const read = yamlData(doc);
    if (!read.ok) {
      const pos = lc.linePos(read.offset);
      return { problem: { file: path, line: pos.line, column: pos.col, reason: 'yaml', message: read.message } };
    }
    return { data: read.data, line: lc.linePos(doc.range[0]).line };
  });
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
  const aggregations: string[] = [];
  const ctx = { placeholders: opts.placeholders, lenient: opts.lenient, aggregations };
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
  if (aggregations.length) rule.extra.aggregation = aggregations;
  const det = d.detection as Record<string, unknown> | undefined;
  if (det && typeof det === 'object' && det.timeframe !== undefined) rule.extra.timeframe = det.timeframe;
  return rule;
}

function deepMerge(a: Record<string, unknown>, b: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) {
    const prev = out[k];
    out[k] = prev && v && typeof prev === 'object' && typeof v === 'object' && !Array.isArray(prev) && !Array.isArray(v)
      ? deepMerge(prev as Record<string, unknown>, v as Record<string, unknown>)
      : v;
  }
  return out;
}

/** The catalog's reading of a Sigma file (see SigmaOptions.lenient). */
export function parseSigmaCatalogFile(path: string): ParseResult {
  return parseSigmaFile(path, { lenient: true });
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
  const idx = text.indexOf(m[1].replace(/…$/, '')); // an excerpt ends with '…'
  return idx >= 0 ? lineOfOffset(text, idx) : undefined;
}
