/**
 * A security_content detection YAML -> Rule. Every file yields a rule or a Problem; a rule whose
 * search does not parse is still returned, without a detection, with a 'query-parse' Problem
 * pointing at the file position of the error.
 */
import { readFileSync } from 'node:fs';
import { isScalar } from 'yaml';
import type { Problem, Rule } from '../../model/index.js';
import { lineColAt, type MacroTable } from '../spl/index.js';
import { yamlData } from '../yaml-data.js';
import { analyzeSearch } from './analyze-search.js';
import { levelOfScore, riskScore } from './level.js';
import { deriveLogSource } from './logsource.js';
import type { LoadedMacros } from './macros.js';
import { scalarOffsets } from './scalar-position.js';
import { parseVendorYaml } from './vendor-yaml.js';

export interface ParsedSplunk {
  rules: Rule[];
  problems: Problem[];
}

type Macros = MacroTable | LoadedMacros | undefined;

function table(m: Macros): MacroTable {
  if (!m) return new Map();
  return m instanceof Map ? m : m.macros;
}

export function parseSplunkFile(path: string, macros?: Macros): ParsedSplunk {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    return { rules: [], problems: [{ file: path, reason: 'unreadable', message: (e as Error).message }] };
  }
  return parseSplunkText(text, path, macros);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(str).filter((s): s is string => s !== undefined && s.trim() !== '') : str(v) ? [str(v)!] : []);

export function normalizeTechnique(id: string): string | undefined {
  const t = id.trim().toUpperCase();
  return /^T\d{4}(\.\d{3})?$/.test(t) ? t : undefined;
}

export function parseSplunkText(text: string, path: string, macros?: Macros): ParsedSplunk {
  const problems: Problem[] = [];
  try {
    return parseChecked(text, path, table(macros), problems);
  } catch (e) {
    // Never throw out of a corpus walk: an unexpected failure is a problem of this file.
    problems.push({ file: path, reason: 'internal', message: `unexpected error: ${(e as Error).message}` });
    return { rules: [], problems };
  }
}

function parseChecked(authored: string, path: string, macros: MacroTable, problems: Problem[]): ParsedSplunk {
  const read = parseVendorYaml(authored);
  const doc = read.doc;
  // positions below point into the text read (the same lines; repaired lines shift by their added indent)
  const text = read.text;
  if (doc.errors.length) {
    // One problem per file: the first error; the others usually follow from it.
    const e = doc.errors[0];
    const more = doc.errors.length > 1 ? ` (and ${doc.errors.length - 1} more YAML error(s) after it)` : '';
    problems.push({ file: path, ...lineColAt(text, e.pos[0]), reason: 'yaml', message: `${e.message.split('\n')[0]}${more}` });
    return { rules: [], problems };
  }
  const data = yamlData(doc);
  if (!data.ok) {
    problems.push({ file: path, ...lineColAt(text, data.offset), reason: 'yaml', message: data.message });
    return { rules: [], problems };
  }
  const y = data.data;
  if (!y || typeof y !== 'object' || Array.isArray(y)) {
    problems.push({ file: path, line: 1, column: 1, reason: 'not-a-detection', message: 'the file is not a YAML mapping' });
    return { rules: [], problems };
  }
  const d = y as Record<string, unknown>;
  if (read.lenient) problems.push({ file: path, line: 1, column: 1, reason: 'yaml-lenient', severity: 'notice', message: read.lenient });
  const tags = (d.tags && typeof d.tags === 'object' ? d.tags : {}) as Record<string, unknown>;
  const keyPos = (key: string): { line?: number; column?: number } => {
    const node = doc.get(key, true) as { range?: [number, number, number] } | undefined;
    return node?.range ? lineColAt(text, node.range[0]) : {};
  };

  const id = str(d.id);
  const title = str(d.name);
  const query = str(d.search);
  if (!id || !title || query === undefined) {
    const missing = [!id && 'id', !title && 'name', query === undefined && 'search'].filter(Boolean).join(', ');
    problems.push({ file: path, line: 1, column: 1, reason: 'not-a-detection', message: `missing required key(s): ${missing}` });
    if (!id || !title) return { rules: [], problems };
  }

  const techniques: string[] = [];
  strs(tags.mitre_attack_id).forEach((t, k) => {
    const n = normalizeTechnique(t);
    if (n) {
      if (!techniques.includes(n)) techniques.push(n);
      return;
    }
    const node = doc.getIn(['tags', 'mitre_attack_id', k], true) as { range?: [number, number, number] } | undefined;
    const pos = node?.range ? lineColAt(text, node.range[0]) : keyPos('tags');
    problems.push({ file: path, ...pos, reason: 'attack-id', message: `'${t}' is not an ATT&CK technique id` });
  });
  const dataSources = strs(d.data_source ?? d.data_sources);
  const score = riskScore(d);
  const extra: Record<string, unknown> = {
    data_sources: dataSources,
    how_to_implement: str(d.how_to_implement),
    version: d.version,
    analytic_story: strs(tags.analytic_story),
    security_domain: str(tags.security_domain),
    asset_type: str(tags.asset_type),
    risk_score: score,
    confidence: tags.confidence,
    impact: tags.impact,
    product: strs(tags.product),
    cve: strs(tags.cve ?? tags.CVE),
    deprecated: /(^|[\\/])deprecated[\\/]/.test(path) || d.status === 'deprecated',
    yaml_lenient: read.lenient,
  };

  const rule: Rule = {
    id: id!,
    title: title!,
    vendor: 'splunk',
    path,
    status: str(d.status),
    level: levelOfScore(score),
    description: str(d.description),
    author: str(d.author),
    date: str(d.date),
    references: strs(d.references),
    falsePositives: strs(d.known_false_positives),
    tags: [...strs(tags.analytic_story).map((s) => `analytic_story:${s}`), ...strs(tags.cve ?? tags.CVE).map((c) => `cve:${c}`)],
    techniques,
    tactics: [],
    logsource: {},
    type: str(d.type) ?? 'unknown',
    language: 'spl',
    fields: strs(tags.required_fields),
    query,
    extra,
  };
  if (rule.level === undefined) delete rule.level;

  if (query !== undefined) {
    const a = analyzeSearch(query, macros);
    const node = doc.get('search', true);
    const fileOffsets = isScalar(node) && node.range ? scalarOffsets(text, { start: node.range[0], end: node.range[1], type: String(node.type) }, query) : undefined;
    const searchPos = keyPos('search');
    for (const p of a.problems) {
      const q = lineColAt(query, p.offset);
      const off = fileOffsets?.[Math.min(p.offset, fileOffsets.length - 1)];
      const pos = off !== undefined ? lineColAt(text, off) : searchPos;
      problems.push({ file: path, ...pos, where: `search ${q.line}:${q.column}`, reason: p.reason, message: `${p.message} (search line ${q.line}, column ${q.column})` });
    }
    if (a.detection) rule.detection = a.detection;
    if (a.losses.length) rule.losses = a.losses;
    Object.assign(extra, {
      expanded_query: a.expandedQuery,
      datamodel: a.datamodels[0],
      datamodels: a.datamodels,
      selector: a.selector,
      commands: a.commands,
      macros_used: a.macrosUsed,
      missing_macros: a.missingMacros,
      filter_macros: a.filterMacros,
      predicate_origins: a.origins,
      unlowered: a.unlowered,
      subsearches: a.subsearches.length ? a.subsearches : undefined,
      has_filter_clause: a.hasFilterClause,
      query_parsed: a.parsed,
    });
    rule.logsource = deriveLogSource({ datamodels: a.datamodels, selector: a.selector, detection: a.detection, dataSources });
  } else {
    rule.logsource = deriveLogSource({ datamodels: [], dataSources });
  }
  for (const k of Object.keys(extra)) if (extra[k] === undefined) delete extra[k];
  return { rules: [rule], problems };
}
