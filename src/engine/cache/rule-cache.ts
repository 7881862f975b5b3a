/**
 * Rules ready to match, from the cache when it can: every rule file is read and hashed; the set of
 * (path, content hash) pairs with detectory's code hash and the placeholders is the key of a plan
 * file holding the parsed rules (Sigma and Elastic) and the compiled matcher (literal tables; tests
 * are rebuilt on use). On a miss, each file's parse result is looked up by its own content hash in
 * the parsed store, so only changed files are parsed again; the plan is then compiled and stored.
 * Cache files are checked before use (see container.ts, check-shapes.ts): a bad one is reported and
 * rebuilt. Elastic rules are kept as parsed (their queries are compiled by the Elastic runner of
 * each thread, from the plan: see parallel/worker.ts).
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, read, readdirSync, readFileSync, readSync, renameSync, rmSync, type Stats, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Problem, Rule } from '../../model/index.js';
// The parsers are imported when a file must be parsed (parseFiles, parseElastic): a warm start parses none.
import type { ParseResult, Placeholders } from '../../formats/sigma/index.js';
import { MAX_RULE_FILE_BYTES } from '../../formats/sigma/limits.js';
import { Matcher } from '../matcher.js';
import { assembleRuleSet, isElasticRuleFile, listRuleFiles, type RuleSet } from '../rule-files.js';
import { checkElasticRules, checkProblems, checkRules } from './check-shapes.js';
import { codeVersion } from './code-version.js';
import { CacheFormatError, decodeContainer, encodeContainer, jsonSection } from './container.js';
import { type EarlyParsers, startParsers, stopParsers } from './parse-threads.js';
import { scanElasticParseResult, scanParseResult } from './scan-rule.js';
import { encodePlan, restorePlan } from './plan-buffer.js';
import { storableQuery } from './parsed-queries.js';
import { mark } from '../parallel/timeline.js';

export { PLAN_KIND, restorePlan } from './plan-buffer.js';

export interface CompiledRules {
  ruleSet: RuleSet;
  matcher: Matcher;
  /** The plan in one shared buffer, and its key: worker threads rebuild the matcher from it (restorePlan). Encoded when first read. */
  readonly plan: { blob: Uint8Array; key: string };
  /** Writes the cache files of a cold start now, if CompileOptions.deferStore kept them back (once; a no-op otherwise). */
  store(): void;
  /** 'hit': plan from the cache; 'built': compiled (and stored, when a cache folder is given); 'off': no cache. */
  cache: 'hit' | 'built' | 'off';
  /** Rule files parsed from YAML in this run (the others came from the cache). */
  parsed: number;
  /** Rule files read (and hashed) in this run; the others were known by their manifest entry (see FileManifest). */
  read: number;
}

export interface CompileOptions {
  placeholders?: Placeholders;
  /** Cache folder; undefined: no cache. */
  cacheDir?: string;
  /** One line per cache file that was ignored or could not be written. */
  onNote?: (line: string) => void;
  /** Threads for parsing YAML on a cold start (default: every core when there are many files). */
  parseThreads?: number;
  /**
   * Keep the cache files of a cold start back until CompiledRules.store() is called: the rules are
   * ready to match before the plan is encoded and written (a scan stores them when it is done).
   */
  deferStore?: boolean;
  /**
   * Called with the plan file's bytes as soon as they are read, before they are checked (a scan
   * sends them to its worker threads, which rebuild their matchers meanwhile). They may be
   * damaged or forged: trust them only if compileRules then returns this same buffer as its plan.
   */
  onPlanRead?: (plan: { blob: Uint8Array; key: string }) => void;
  /** Called with the rule files once they are listed, before any is read (a scan starts its worker threads then). */
  onListed?: (files: string[]) => void;
  /** The rule files of `paths` and the problems met listing them, when the caller has listed them already. */
  listed?: ListedRuleFiles;
  /** The clock (ms since the epoch) that decides which files are settled (see FileManifest); tests set it. */
  now?: () => number;
}

const PARSED_KIND = 'parsed-rules';
/** Cache files larger than this are not ours. */
export const MAX_CACHE_FILE = 512 << 20;
/** Plans kept (most recently used first); older ones are deleted. */
const KEEP_PLANS = 8;
/** Parse results kept in the parsed store beyond those of the current run. */
const KEEP_ENTRIES = 20_000;
/** Rule files to parse above which a cold start parses on every core (a worker starts in ~0.1 s). */
const PARALLEL_PARSE_FILES = 400;

interface RuleFile {
  path: string;
  /** An Elastic .toml rule (else Sigma YAML). */
  elastic: boolean;
  /** undefined: unreadable or too large (parseSigmaFile reports it; never in the parsed store). */
  bytes?: Buffer;
  entryKey?: string;
  /** For a file without bytes: what its problem depends on (part of the plan's key). */
  setPart?: string;
}

const sha = (...parts: Array<string | Buffer>): string => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex');
};

/** Rule files as listed (listRuleFiles) with the problems met. */
export interface ListedRuleFiles {
  files: string[];
  problems: Problem[];
}

export async function compileRules(paths: string[], opts: CompileOptions = {}): Promise<CompiledRules> {
  const listProblems: Problem[] = opts.listed ? [...opts.listed.problems] : [];
  const listed = opts.listed ? opts.listed.files : listRuleFiles(paths, listProblems);
  mark('rule files listed');
  opts.onListed?.(listed);
  const code = codeVersion();
  const ph = JSON.stringify(opts.placeholders ?? null);
  const prefix = `${code}\0${ph}`;
  const dir = opts.cacheDir;
  const note = opts.onNote ?? (() => undefined);
  // A file whose stat equals its manifest entry is not read: its entry key is the manifest's (see FileManifest).
  const manifest = dir ? readManifest(join(dir, `files-${sha(code, ph).slice(0, 40)}.bin`), sha(code, ph), opts.now?.() ?? Date.now(), note) : undefined;
  // No file known to the cache (a new cache folder, or none): a cold start is all but certain, so the
  // parser threads start now and load their modules while this thread reads and hashes the files.
  const early = earlyParsers(listed, opts, !manifest || manifest.size === 0);
  const readRule = (path: string): RuleFile => {
    const elastic = isElasticRuleFile(path);
    try {
      const { bytes, stat } = readRuleBytes(path);
      // Too large: parseSigmaFile reports it (with its size, part of the key). Elastic files have no such bound.
      if (!elastic && bytes.length > MAX_RULE_FILE_BYTES) {
        manifest?.forget(path);
        return { path, elastic, setPart: `too-large:${bytes.length}:${path}` };
      }
      // Placeholders are Sigma's only: an Elastic file's parse depends on the code and its bytes.
      const entryKey = elastic ? sha(code, 'elastic', path, bytes) : sha(prefix, path, bytes);
      manifest?.record(path, stat, entryKey);
      return { path, elastic, bytes, entryKey };
    } catch (e) {
      manifest?.forget(path);
      return { path, elastic, setPart: `unreadable:${(e as Error).message}` };
    }
  };
  const files: RuleFile[] = listed.map((path) => {
    const known = manifest?.lookup(path);
    return known ? { path, elastic: isElasticRuleFile(path), entryKey: known } : readRule(path);
  });
  mark('rule files read and hashed');
  let key = sha(code, ph, ...files.map((f) => f.entryKey ?? f.setPart!));
  let planFile = dir ? join(dir, `plan-${key.slice(0, 40)}.bin`) : undefined;
  if (planFile) {
    const blob = await readCacheFileParallel(planFile, note);
    mark('plan file read');
    if (blob) {
      opts.onPlanRead?.({ blob, key });
      try {
        const r = restorePlan(blob, key, false);
        mark('plan restored');
        stopParsers(early);
        touch(planFile);
        const store = (): void => manifest?.write(note);
        if (!opts.deferStore) store();
        return { ruleSet: { ...r.stored, files: listed.length, problems: [...listProblems, ...r.stored.problems] }, matcher: r.matcher, plan: { blob, key }, store, cache: 'hit', parsed: 0, read: manifest?.reads ?? files.length };
      } catch (e) {
        note(`cache: ${planFile} ignored (${(e as Error).message}); compiling the rules again`);
      }
    }
  }
  // Cold: parse what the parsed store does not hold, then compile.
  const storeFile = dir ? join(dir, `parsed-${code.slice(0, 40)}.bin`) : undefined;
  const store = storeFile ? readParsedStore(storeFile, code, note) : { sigma: new Map<string, ParseResult>(), elastic: new Map<string, ParseResult>() };
  // Each kind's entries are looked up in its own map: a forged store cannot pass one kind's result as the other's.
  const storeOf = (f: RuleFile): Map<string, ParseResult> => (f.elastic ? store.elastic : store.sigma);
  let results: Array<ParseResult | undefined> = files.map((f) => (f.entryKey ? storeOf(f).get(f.entryKey) : undefined));
  // A file known by its manifest entry that must be parsed is read now, and its key taken from what is read.
  if (files.some((f, i) => !results[i] && f.entryKey && !f.bytes)) {
    files.forEach((f, i) => {
      if (!results[i] && f.entryKey && !f.bytes) files[i] = readRule(f.path);
    });
    results = files.map((f) => (f.entryKey ? storeOf(f).get(f.entryKey) : undefined));
    key = sha(code, ph, ...files.map((f) => f.entryKey ?? f.setPart!));
    planFile = join(dir!, `plan-${key.slice(0, 40)}.bin`);
  }
  const todo = files.flatMap((f, i) => (results[i] ? [] : [i]));
  const sigmaTodo = todo.filter((i) => !files[i].elastic);
  // The matcher is compiled as the Sigma files are parsed, in file order: the rules of the files
  // parsed so far while the other threads parse the rest. Filters change the rules they name
  // (anywhere in the set): with a filter, the rules are compiled again once all are parsed.
  const compiling = earlyMatcher(files, results);
  const fresh = await parseFiles(sigmaTodo.map((i) => files[i]), opts, (j, r) => {
    results[sigmaTodo[j]] = r;
    compiling.advance();
  }, early);
  sigmaTodo.forEach((i, j) => (results[i] = fresh[j]));
  mark('rule files parsed');
  compiling.advance();
  const elasticTodo = todo.filter((i) => files[i].elastic);
  if (elasticTodo.length) {
    const parser = await import('../../formats/elastic/load.js');
    for (const i of elasticTodo) results[i] = parseElastic(parser, files[i]);
  }
  const storeChanged = !!storeFile && todo.some((i) => files[i].entryKey);
  if (storeChanged) for (const i of todo) if (files[i].entryKey) storeOf(files[i]).set(files[i].entryKey!, results[i]!);
  // Elastic rules and their problems (before the Sigma files' problems, as the files are listed); the runner does not change them.
  const elasticRules: Rule[] = [];
  const problems: Problem[] = [];
  const sigmaResults: ParseResult[] = [];
  files.forEach((f, i) => {
    if (!f.elastic) sigmaResults.push(compiling.copies[i] ?? copyParseResult(results[i]!));
    else {
      elasticRules.push(...results[i]!.rules);
      problems.push(...results[i]!.problems);
    }
  });
  // Filters change the rules they apply to: the rule set gets copies, the parsed store keeps the rules as parsed.
  const stored = assembleRuleSet(sigmaResults, problems, files.length, elasticRules);
  mark('rule set assembled');
  const matcher = compiling.finish(stored.detections, stored.filters.length > 0);
  mark('matcher built');
  let blob: Uint8Array | undefined;
  // The plan stores the Elastic rules' EQL queries parsed, when it is encoded (a run with no cache and
  // no worker never encodes it); each is parsed once per thread (parsed-queries.ts): the runner's parse is reused.
  const parseEql = stored.elastic.length ? (await import('../../formats/eql/parser.js')).parse : undefined;
  const planBlob = (): Uint8Array => (blob ??= encodePlan(key, stored, matcher.toPlan(), stored.elastic.map((r) => storableQuery(r, parseEql!))));
  let pending = !!(dir && planFile && storeFile);
  const writeFiles = (): void => {
    if (!pending) return;
    pending = false;
    if (storeChanged) writeCacheFile(storeFile!, encodeParsedStore(code, store, new Set(files.map((f) => f.entryKey!).filter(Boolean))), note);
    writeCacheFile(planFile!, planBlob(), note);
    prunePlans(dir!, planFile!);
    manifest?.write(note);
  };
  if (!opts.deferStore) writeFiles();
  return {
    ruleSet: { ...stored, files: listed.length, problems: [...listProblems, ...stored.problems] },
    matcher,
    get plan() {
      return { blob: planBlob(), key };
    },
    store: writeFiles,
    cache: dir ? 'built' : 'off',
    parsed: todo.length,
    read: manifest?.reads ?? files.length,
  };
}

/** A parse result whose rules can be changed (by filters) without changing the original. */
function copyParseResult(r: ParseResult): ParseResult {
  return { ...r, rules: r.rules.map((x) => ({ ...x, extra: { ...x.extra } })) };
}

/**
 * The matcher of a cold start, compiled while the rule files are parsed: `advance` compiles the
 * detection rules of the Sigma files whose results are in, up to the first file still missing (so
 * the rules come in file order, as in the rule set); the rules are copies (see copyParseResult),
 * which the rule set then takes. `finish` gives that matcher if it holds exactly the rule set's
 * detections and no filter changed them, else compiles the rule set's detections again.
 */
function earlyMatcher(files: RuleFile[], results: Array<ParseResult | undefined>): {
  copies: Array<ParseResult | undefined>;
  advance(): void;
  finish(detections: Rule[], filtered: boolean): Matcher;
} {
  const builder = Matcher.builder();
  const copies: Array<ParseResult | undefined> = [];
  let next = 0;
  let stopped = false;
  return {
    copies,
    advance(): void {
      for (; next < files.length && !stopped; next++) {
        if (files[next].elastic) continue;
        const r = results[next];
        if (!r) return;
        const copy = (copies[next] = copyParseResult(r));
        // A filter: the rules are compiled after it is applied (finish); compiling more now is wasted.
        if (copy.rules.some((x) => x.type === 'filter')) stopped = true;
        else for (const rule of copy.rules) if (rule.type === 'detection') builder.add(rule);
      }
    },
    finish(detections: Rule[], filtered: boolean): Matcher {
      const same = !stopped && !filtered && builder.rules.length === detections.length && detections.every((r, i) => builder.rules[i] === r);
      return same ? builder.finish() : new Matcher(detections);
    },
  };
}

/** An Elastic rule file as a scan keeps it (see scan-rule.ts). */
function parseElastic({ parseElasticFile, parseElasticText }: typeof import('../../formats/elastic/load.js'), f: RuleFile): ParseResult {
  return scanElasticParseResult(f.bytes ? parseElasticText(f.bytes.toString('utf8'), f.path) : parseElasticFile(f.path));
}

/**
 * Parser threads started at once for a cold start of many Sigma files (see parse-threads.ts), when
 * `likelyCold` (no file known to the cache) and the thread count is left to this module.
 */
function earlyParsers(listed: string[], opts: CompileOptions, likelyCold: boolean): EarlyParsers | undefined {
  if (!likelyCold || opts.parseThreads !== undefined) return undefined;
  const threads = availableParallelism();
  if (threads < 2) return undefined;
  let sigma = 0;
  for (const f of listed) if (!isElasticRuleFile(f)) sigma++;
  return sigma >= PARALLEL_PARSE_FILES ? startParsers(threads - 1) : undefined;
}

/** Parses `files`; `onParsed(j, result)` is called once for each file (`files[j]`) as soon as its result is here, in no set order. */
async function parseFiles(files: RuleFile[], opts: CompileOptions, onParsed: (j: number, r: ParseResult) => void, early?: EarlyParsers): Promise<ParseResult[]> {
  if (files.length === 0) {
    stopParsers(early);
    return [];
  }
  // Imported here: a scan from the rule cache never parses a rule file.
  const [{ parseSigmaFile, parseSigmaText }, { parseInWorkers }] = await Promise.all([import('../../formats/sigma/index.js'), import('./parse-pool.js')]);
  const readable = files.flatMap((f, j) => (f.bytes ? [j] : []));
  const threads = opts.parseThreads ?? (readable.length >= PARALLEL_PARSE_FILES ? availableParallelism() : 1);
  const out: ParseResult[] = new Array<ParseResult>(files.length);
  const done = (j: number, r: ParseResult): void => {
    out[j] = r;
    onParsed(j, r);
  };
  if (threads > 1) {
    const texts = readable.map((j): [string, string] => [files[j].path, files[j].bytes!.toString('utf8')]);
    await parseInWorkers(texts, opts.placeholders, threads, (from, results) => results.forEach((r, k) => done(readable[from + k], r)), undefined, early);
  }
  stopParsers(early);
  files.forEach((f, j) => {
    if (!f.bytes) done(j, scanParseResult(parseSigmaFile(f.path, { placeholders: opts.placeholders })));
    else if (threads <= 1) done(j, scanParseResult(parseSigmaText(f.bytes.toString('utf8'), f.path, { placeholders: opts.placeholders })));
  });
  return out;
}

/**
 * Pieces of a large cache file read at once by the libuv pool: reading the 46 MB plan of all SigmaHQ
 * rules took 130-165 ms in one read (most of it the kernel filling fresh pages) and 85-100 ms in 2 or
 * 4 pieces on this 2-core machine. Below PARALLEL_READ_BYTES, one read.
 */
const READ_PIECES = 4;
const PARALLEL_READ_BYTES = 8 << 20;

/**
 * readCacheFile, with a file of `minBytes` or more read in `pieces` pieces at once (on the libuv
 * thread pool). Exported for tests.
 */
export async function readCacheFileParallel(file: string, note: (line: string) => void, pieces = READ_PIECES, minBytes = PARALLEL_READ_BYTES): Promise<Uint8Array | undefined> {
  const f = openCacheFile(file, note);
  if (!f) return undefined;
  try {
    if (f.size < minBytes) return readWhole(f.fd, f.size);
    const buf = new Uint8Array(new SharedArrayBuffer(f.size));
    const step = Math.max(4096, Math.ceil(f.size / pieces / 4096) * 4096);
    const reads: Array<Promise<number>> = [];
    for (let at = 0; at < f.size; at += step) reads.push(readFully(f.fd, buf, at, Math.min(step, f.size - at)));
    const got = (await Promise.all(reads)).reduce((a, b) => a + b, 0);
    if (got === f.size) return buf;
    // Cut while it was read (a piece came back short: the bytes after it are missing).
    note(`cache: ${file} ignored (${got} of its ${f.size} bytes could be read)`);
    return undefined;
  } catch (e) {
    note(`cache: ${file} ignored (${(e as Error).message})`);
    return undefined;
  } finally {
    closeSync(f.fd);
  }
}

/** Reads buf[at, at + length) from the same offset of fd (short reads continued); the bytes read. */
async function readFully(fd: number, buf: Uint8Array, at: number, length: number): Promise<number> {
  let got = 0;
  while (got < length) {
    const n = await new Promise<number>((res, rej) => read(fd, buf, at + got, length - got, at + got, (e, k) => (e ? rej(e) : res(k))));
    if (n === 0) break;
    got += n;
  }
  return got;
}

/** A cache file read into shared memory, or undefined (absent, or not plausibly ours: noted). */
function readCacheFile(file: string, note: (line: string) => void): Uint8Array | undefined {
  const f = openCacheFile(file, note);
  if (!f) return undefined;
  try {
    return readWhole(f.fd, f.size);
  } catch (e) {
    note(`cache: ${file} ignored (${(e as Error).message})`);
    return undefined;
  } finally {
    closeSync(f.fd);
  }
}

/** An open cache file and its size, or undefined (absent; too large or unreadable: noted, and closed). */
function openCacheFile(file: string, note: (line: string) => void): { fd: number; size: number } | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size <= MAX_CACHE_FILE) return { fd, size };
    note(`cache: ${file} ignored (${size} bytes is larger than a cache file can be)`);
  } catch (e) {
    note(`cache: ${file} ignored (${(e as Error).message})`);
  }
  closeSync(fd);
  return undefined;
}

/** The `size` bytes of an open file in one read, into shared memory (fewer if it ends sooner). */
function readWhole(fd: number, size: number): Uint8Array {
  const buf = new Uint8Array(new SharedArrayBuffer(size));
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buf, got, size - got, got);
    if (n === 0) break;
    got += n;
  }
  return got === size ? buf : buf.subarray(0, got);
}

function writeCacheFile(file: string, data: Uint8Array, note: (line: string) => void): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    mkdirSync(join(file, '..'), { recursive: true, mode: 0o700 });
    writeFileSync(tmp, data, { mode: 0o600 });
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    note(`cache: cannot write ${file} (${(e as Error).message}); the next run compiles the rules again`);
  }
}

function touch(file: string): void {
  try {
    // Most recently used plans are kept longest (see prunePlans).
    const now = new Date();
    utimesSync(file, now, now);
  } catch {
    // A plan deleted meanwhile: nothing to keep fresh.
  }
}

function prunePlans(dir: string, keep: string): void {
  try {
    const plans = readdirSync(dir)
      .filter((n) => /^plan-[0-9a-f]+\.bin$/.test(n))
      .map((n) => ({ f: join(dir, n), t: statSync(join(dir, n)).mtimeMs }))
      .filter((p) => p.f !== keep)
      .sort((a, b) => b.t - a.t);
    for (const p of plans.slice(KEEP_PLANS - 1)) unlinkSync(p.f);
  } catch {
    // Another run pruning at the same time; the next run tries again.
  }
}

/** Parse results by content key: Sigma files' (section `entries`) and Elastic files' (section `elastic`). */
interface ParsedStore {
  sigma: Map<string, ParseResult>;
  elastic: Map<string, ParseResult>;
}

function readParsedStore(file: string, code: string, note: (line: string) => void): ParsedStore {
  const empty = (): ParsedStore => ({ sigma: new Map(), elastic: new Map() });
  const blob = readCacheFile(file, note);
  if (!blob) return empty();
  try {
    const sections = decodeContainer(blob, PARSED_KIND, code);
    return { sigma: readEntries(jsonSection(sections, 'entries'), checkRules), elastic: readEntries(jsonSection(sections, 'elastic'), checkElasticRules) };
  } catch (e) {
    note(`cache: ${file} ignored (${(e as Error).message}); parsing every rule file again`);
    return empty();
  }
}

function readEntries(entries: unknown, check: (rules: unknown) => Rule[]): Map<string, ParseResult> {
  if (!Array.isArray(entries)) throw new CacheFormatError('bad entry list');
  const out = new Map<string, ParseResult>();
  for (const e of entries as unknown[]) {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !e[1] || typeof e[1] !== 'object') throw new CacheFormatError('bad entry');
    const r = e[1] as Record<string, unknown>;
    out.set(e[0], { rules: check(r.rules), problems: checkProblems(r.problems) });
  }
  return out;
}

function encodeParsedStore(code: string, store: ParsedStore, used: Set<string>): Uint8Array {
  // This run's entries first, then others (other rule sets) up to the bound.
  const kept = (m: Map<string, ParseResult>): Array<[string, ParseResult]> => {
    const entries = [...m].sort((a, b) => Number(used.has(b[0])) - Number(used.has(a[0])));
    return entries.slice(0, Math.max(used.size, KEEP_ENTRIES));
  };
  return encodeContainer(PARSED_KIND, code, new Map([['entries', { json: kept(store.sigma) }], ['elastic', { json: kept(store.elastic) }]]));
}

/** A rule file's bytes, and the stat of the open file they were read from. */
function readRuleBytes(path: string): { bytes: Buffer; stat: Stats } {
  const fd = openSync(path, 'r');
  try {
    const stat = fstatSync(fd);
    return { bytes: readFileSync(fd), stat };
  } finally {
    closeSync(fd);
  }
}

const MANIFEST_KIND = 'rule-file-manifest';
/** Manifest entries kept beyond those of the current run (other rule folders). */
const KEEP_MANIFEST = 20_000;
/**
 * A file changed less than this long before a run read it is not put in the manifest: the clock
 * that stamps file times can lag the system clock (a coarse tick; a network file system's own clock).
 */
export const SETTLE_MS = 2_000;

/**
 * A file's identity: device, inode, size, modification and change times (ms, as doubles: to a
 * fraction of a microsecond, far finer than SETTLE_MS, all the precision the invariant needs).
 */
const statKey = (s: Stats): string => `${s.dev}:${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;

/**
 * The manifest of a cache folder (one per code version and placeholders): per rule file path, the
 * identity (statKey) the file had when it was last read and the entry key of the bytes read then.
 * A listed file whose stat still gives that identity is not read or hashed again.
 *
 * Why the entry key stays the key of the file's content: every write to a file sets its change time
 * (ctime) to the current time, and nothing else can set it (utimes sets mtime, never ctime); a file
 * replaced by another (rename, a new copy) has another inode or device. An entry is recorded only
 * when the file's ctime and mtime are at least SETTLE_MS older than the moment the run began reading
 * (the stat taken from the open file, before its bytes): any change made after that moment, during
 * the read included, gives a ctime later than the recorded one, so the stat differs and the file is
 * read again. Files changed within SETTLE_MS of a run are read by every run until they settle.
 * What this does not cover: a system clock set back by more than SETTLE_MS between a change and the
 * run that recorded the file, and file systems without a real ctime.
 */
class FileManifest {
  /** Rule files read in this run (not known by their entry). */
  reads = 0;
  private changed = false;
  private readonly used = new Set<string>();
  private readonly settled: number;

  constructor(private readonly file: string, private readonly key: string, private readonly entries: Map<string, [string, string]>, now: number) {
    this.settled = now - SETTLE_MS;
  }

  /** Files with an entry (none: a new cache folder, or another code version). */
  get size(): number {
    return this.entries.size;
  }

  /** The entry key of a file whose stat equals its entry, else undefined (the file must be read). */
  lookup(path: string): string | undefined {
    const e = this.entries.get(path);
    if (!e) return undefined;
    let stat: Stats | undefined;
    try {
      stat = statSync(path, { throwIfNoEntry: false });
    } catch {
      return undefined;
    }
    if (!stat || statKey(stat) !== e[0]) return undefined;
    this.used.add(path);
    return e[1];
  }

  /** A file read in this run: recorded if it is settled, else any entry it had is dropped. */
  record(path: string, stat: Stats, entryKey: string): void {
    this.reads++;
    this.used.add(path);
    const old = this.entries.get(path);
    if (stat.ctimeMs < this.settled && stat.mtimeMs < this.settled) {
      const id = statKey(stat);
      if (old && old[0] === id && old[1] === entryKey) return;
      this.entries.set(path, [id, entryKey]);
      this.changed = true;
    } else if (old) {
      this.entries.delete(path);
      this.changed = true;
    }
  }

  forget(path: string): void {
    this.reads++;
    if (this.entries.delete(path)) this.changed = true;
  }

  /** Writes the manifest if this run changed it (once). */
  write(note: (line: string) => void): void {
    if (!this.changed) return;
    this.changed = false;
    // This run's entries first, then other folders' up to the bound.
    const all = [...this.entries].sort((a, b) => Number(this.used.has(b[0])) - Number(this.used.has(a[0])));
    const kept = all.slice(0, Math.max(this.used.size, KEEP_MANIFEST)).map(([path, [id, entryKey]]) => [path, id, entryKey]);
    writeCacheFile(this.file, encodeContainer(MANIFEST_KIND, this.key, new Map([['entries', { json: kept }]])), note);
  }
}

function readManifest(file: string, key: string, now: number, note: (line: string) => void): FileManifest {
  const entries = new Map<string, [string, string]>();
  const blob = readCacheFile(file, note);
  if (blob) {
    try {
      const list = jsonSection(decodeContainer(blob, MANIFEST_KIND, key), 'entries');
      if (!Array.isArray(list)) throw new CacheFormatError('bad entry list');
      for (const e of list as unknown[]) {
        if (!Array.isArray(e) || e.length !== 3 || !e.every((x) => typeof x === 'string')) throw new CacheFormatError('bad entry');
        entries.set(e[0] as string, [e[1] as string, e[2] as string]);
      }
    } catch (e) {
      entries.clear();
      note(`cache: ${file} ignored (${(e as Error).message}); reading every rule file again`);
    }
  }
  return new FileManifest(file, key, entries, now);
}
