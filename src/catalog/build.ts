import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { Problem, Vendor } from '../model/index.js';
import type { Db } from '../store/db.js';
import { codeFingerprint, treeFingerprint } from './fingerprint.js';
import { appendRows } from './insert.js';
import { loadParsers, type Parsers } from './parsers.js';
import { loadMacros, parseFile, parserFor, type ParsedFile } from './parse-file.js';
import { parseOnWorkers, workerCount } from './pool.js';
import { type FileRows, type LossRow, type PredicateRow, type ProblemRow, type RuleRow, type TechniqueRow } from './rows.js';
import { CATALOG_VERSION, PER_FILE_TABLES, dropCatalog, ensureCatalogSchema, getMeta, setMeta } from './schema.js';
import { collectSources, type SourceFile } from './sources.js';

export interface BuildOptions {
  sigma?: readonly string[];
  elastic?: readonly string[];
  splunk?: readonly string[];
  /** Parse every file again, ignoring what the database holds. */
  full?: boolean;
  /** Parsers to use instead of the project's (tests). */
  parsers?: Parsers;
  /** Worker threads for parsing (default: by file count and cores; 0: this thread). */
  workers?: number;
  /** Called while parsing: files done, files to parse. */
  onProgress?: (done: number, total: number) => void;
}

export interface BuildSummary {
  files: number;
  parsedFiles: number;
  reusedFiles: number;
  removedFiles: number;
  rules: number;
  parsed: number;
  partial: number;
  failed: number;
  problems: number;
  /** Problems met by this run outside rule files (missing folders, missing parsers). */
  runProblems: Problem[];
  seconds: number;
}

interface FileState {
  vendor: string;
  size: number;
  mtime_ms: number;
  hash: string;
}

interface FileRow extends FileState {
  path: string;
  rules: number;
  problems: number;
  parsed_at: string;
}

const RULE_COLS: Array<keyof RuleRow> = [
  'uid', 'id', 'title', 'vendor', 'path', 'folder', 'doc_index', 'status', 'level', 'type', 'language', 'product', 'category', 'service',
  'event_types', 'techniques', 'tactics', 'tags', 'refs', 'description', 'query', 'has_search_clause', 'predicates',
  'parse_status', 'parse_note', 'model',
];
const PRED_COLS: Array<keyof PredicateRow> = [
  'rule_uid', 'rule_id', 'vendor', 'path', 'tree_path', 'value_index', 'field', 'vendor_field', 'op', 'match_op',
  'value', 'value_norm', 'authored_op', 'authored_value', 'negated', 'exclusion', 'cased', 'flags',
];
const TECH_COLS: Array<keyof TechniqueRow> = ['rule_uid', 'rule_id', 'vendor', 'path', 'technique_id', 'parent_id', 'is_subtechnique'];
const EVENT_COLS: Array<keyof FileRows['events'][number]> = ['rule_uid', 'vendor', 'path', 'event'];
const PROBLEM_COLS: Array<keyof ProblemRow> = ['file', 'vendor', 'line', 'column', 'where', 'reason', 'message'];
const LOSS_COLS: Array<keyof LossRow> = ['rule_uid', 'vendor', 'path', 'text', 'reason', 'offset', 'detail'];
const FILE_COLS: Array<keyof FileRow> = ['path', 'vendor', 'size', 'mtime_ms', 'hash', 'rules', 'problems', 'parsed_at'];
const INTS = new Set(['doc_index', 'predicates', 'value_index', 'line', 'column', 'size', 'rules', 'problems', 'offset']);

/**
 * Builds or refreshes the catalog: walks the folders, parses the files that changed since the last
 * build (size, mtime, then content hash), canonicalizes their rules, and replaces their rows. Rows of
 * unchanged files stay as they are; rows of files no longer given are removed.
 */
export async function buildCatalog(db: Db, opts: BuildOptions): Promise<BuildSummary> {
  const t0 = performance.now();
  const sources = collectSources({ sigma: opts.sigma, elastic: opts.elastic, splunk: opts.splunk });
  const runProblems: Problem[] = [...sources.problems];
  const parsers = opts.parsers ?? (await loadParsers());

  const code = `${CATALOG_VERSION}:${codeFingerprint()}`;
  const macrosPrint = treeFingerprint(sources.splunkMacroDirs);
  const stale = opts.full || (await getMeta(db, 'catalog_version').catch(() => undefined)) !== code;
  if (stale) await dropCatalog(db);
  await ensureCatalogSchema(db);
  const splunkStale = (await getMeta(db, 'splunk_macros')) !== macrosPrint;

  const stored = await storedFiles(db);
  const toParse: Array<SourceFile & { state: FileState }> = [];
  const keep = new Set<string>();
  const touched: Array<{ path: string; mtime_ms: number }> = [];
  const skippedVendors = new Set<Vendor>();
  for (const f of sources.files) {
    if (!parserFor(parsers, f.vendor)) {
      skippedVendors.add(f.vendor);
      continue;
    }
    const prev = stored.get(f.path);
    let st;
    try {
      st = statSync(f.path);
    } catch (e) {
      runProblems.push({ file: f.path, reason: 'unreadable', message: (e as Error).message });
      continue;
    }
    const vendorStale = f.vendor === 'splunk' && splunkStale;
    if (prev && !vendorStale && prev.vendor === f.vendor && prev.size === st.size && prev.mtime_ms === st.mtimeMs) {
      keep.add(f.path);
      continue;
    }
    let hash = '';
    try {
      hash = createHash('sha1').update(readFileSync(f.path)).digest('hex');
    } catch (e) {
      runProblems.push({ file: f.path, reason: 'unreadable', message: (e as Error).message });
    }
    if (prev && !vendorStale && prev.vendor === f.vendor && prev.hash === hash && hash !== '') {
      keep.add(f.path);
      touched.push({ path: f.path, mtime_ms: st.mtimeMs });
      continue;
    }
    toParse.push({ ...f, state: { vendor: f.vendor, size: st.size, mtime_ms: st.mtimeMs, hash } });
  }
  for (const v of skippedVendors) {
    runProblems.push({ file: `(${v} rules)`, reason: 'parser-unavailable', message: parsers.missing[v] ?? `no ${v} parser` });
  }

  // Splunk macros: their problems are recorded whenever Splunk files are parsed (workers load them again).
  const splunkFiles = toParse.some((f) => f.vendor === 'splunk');
  const macrosLoaded = splunkFiles && parsers.loadSplunkMacros !== undefined;
  const loaded = macrosLoaded ? loadMacros(parsers, sources.splunkMacroDirs) : { macros: undefined, problems: [] };
  const all: FileRows = { rules: [], predicates: [], techniques: [], events: [], problems: loaded.problems.map((p) => problemRow('splunk', p)), losses: [] };
  const fileRowsOut: FileRow[] = [];
  const now = new Date().toISOString().replace('T', ' ').replace('Z', '');
  const states = new Map(toParse.map((f) => [f.path, f.state]));
  let done = 0;
  const onParsed = (p: ParsedFile): void => {
    push(all, p.rows);
    fileRowsOut.push({ path: p.path, ...states.get(p.path)!, rules: p.rules, problems: p.problems, parsed_at: now });
    done++;
    if (opts.onProgress && (done % 50 === 0 || done === toParse.length)) opts.onProgress(done, toParse.length);
  };
  const workers = opts.parsers ? 0 : opts.workers ?? workerCount(toParse.length);
  const parsedPaths = new Set<string>();
  const once = (p: ParsedFile): void => {
    if (parsedPaths.has(p.path)) return;
    parsedPaths.add(p.path);
    onParsed(p);
  };
  if (workers > 0) await parseOnWorkers(toParse, sources.splunkMacroDirs, workers, once);
  // in this thread: small builds, injected parsers, and whatever workers could not deliver
  for (const f of toParse) if (!parsedPaths.has(f.path)) once(parseFile(parsers, f.vendor, f.path, loaded.macros, f.folder));

  const removed = [...stored.keys()].filter((p) => !keep.has(p) && !states.has(p));
  const replace = [...toParse.map((f) => f.path), ...removed];

  await db.conn.run('BEGIN TRANSACTION');
  try {
    await deleteFiles(db, replace, stored, macrosLoaded);
    await appendRows(db, 'rules', RULE_COLS, all.rules, INTS);
    await appendRows(db, 'predicates', PRED_COLS, all.predicates, INTS);
    await appendRows(db, 'rule_techniques', TECH_COLS, all.techniques, INTS);
    await appendRows(db, 'rule_events', EVENT_COLS, all.events, INTS);
    await appendRows(db, 'parse_problems', PROBLEM_COLS, all.problems, INTS);
    await appendRows(db, 'rule_losses', LOSS_COLS, all.losses, INTS);
    await appendRows(db, 'files', FILE_COLS, fileRowsOut, INTS);
    for (const t of touched) {
      await db.conn.run(`UPDATE files SET mtime_ms = $1 WHERE path = $2`, [t.mtime_ms, t.path]);
    }
    await setMeta(db, 'catalog_version', code);
    await setMeta(db, 'splunk_macros', macrosPrint);
    await db.conn.run('COMMIT');
  } catch (e) {
    await db.conn.run('ROLLBACK');
    throw e;
  }

  const counts = await countRules(db);
  return {
    files: keep.size + toParse.length,
    parsedFiles: toParse.length,
    reusedFiles: keep.size,
    removedFiles: removed.length,
    ...counts,
    runProblems,
    seconds: (performance.now() - t0) / 1000,
  };
}




function problemRow(vendor: string, p: Problem): ProblemRow {
  return { file: p.file, vendor, line: p.line ?? null, column: p.column ?? null, where: p.where ?? null, reason: p.reason, message: p.message };
}

function push(into: FileRows, rows: FileRows): void {
  for (const r of rows.rules) into.rules.push(r);
  for (const r of rows.predicates) into.predicates.push(r);
  for (const r of rows.techniques) into.techniques.push(r);
  for (const r of rows.events) into.events.push(r);
  for (const r of rows.problems) into.problems.push(r);
  for (const r of rows.losses) into.losses.push(r);
}

async function storedFiles(db: Db): Promise<Map<string, FileState>> {
  const r = await db.conn.runAndReadAll(`SELECT path, vendor, size, mtime_ms, hash FROM files`);
  const out = new Map<string, FileState>();
  for (const row of r.getRowObjectsJson()) {
    out.set(String(row.path), { vendor: String(row.vendor), size: Number(row.size), mtime_ms: Number(row.mtime_ms), hash: String(row.hash) });
  }
  return out;
}

/** Deletes the rows of the given files (all rows when every stored file is replaced). */
async function deleteFiles(db: Db, paths: readonly string[], stored: ReadonlyMap<string, unknown>, macrosReloaded: boolean): Promise<void> {
  if (macrosReloaded) await db.conn.run(`DELETE FROM parse_problems WHERE file NOT IN (SELECT path FROM files)`);
  if (paths.length === 0 || stored.size === 0) return;
  const storedReplaced = new Set(paths.filter((p) => stored.has(p))).size;
  if (stored.size > 0 && storedReplaced === stored.size) {
    for (const [t] of PER_FILE_TABLES) await db.conn.run(`DELETE FROM ${t}`);
    return;
  }
  await db.conn.run(`CREATE OR REPLACE TEMP TABLE stale_files (path VARCHAR)`);
  await appendRows(db, 'stale_files', ['path'], paths.map((path) => ({ path })));
  for (const [t, col] of PER_FILE_TABLES) await db.conn.run(`DELETE FROM ${t} WHERE ${col} IN (SELECT path FROM stale_files)`);
  await db.conn.run(`DROP TABLE stale_files`);
}

async function countRules(db: Db): Promise<Pick<BuildSummary, 'rules' | 'parsed' | 'partial' | 'failed' | 'problems'>> {
  const r = await db.conn.runAndReadAll(`
    SELECT count(*) AS rules,
           count(*) FILTER (WHERE parse_status = 'parsed') AS parsed,
           count(*) FILTER (WHERE parse_status = 'partial') AS partial,
           count(*) FILTER (WHERE parse_status = 'failed') AS failed,
           (SELECT count(*) FROM parse_problems) AS problems
    FROM rules`);
  const row = r.getRowObjectsJson()[0] ?? {};
  return { rules: Number(row.rules), parsed: Number(row.parsed), partial: Number(row.partial), failed: Number(row.failed), problems: Number(row.problems) };
}
