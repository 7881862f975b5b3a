/**
 * Rules ready to match, from the cache when it can: every rule file is read and hashed; the set of
 * (path, content hash) pairs with detectory's code hash and the placeholders is the key of a plan
 * file holding the parsed rules and the compiled matcher (literal tables; tests are rebuilt on
 * use). On a miss, each file's parse result is looked up by its own content hash in the parsed
 * store, so only changed files are parsed again; the plan is then compiled and stored. Cache files
 * are checked before use (see container.ts, check-shapes.ts): a bad one is reported and rebuilt.
 */
import { createHash } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { availableParallelism } from 'node:os';
import type { Problem } from '../../model/index.js';
import { MAX_RULE_FILE_BYTES, parseSigmaFile, parseSigmaText, type ParseResult, type Placeholders } from '../../formats/sigma/index.js';
import { Matcher } from '../matcher.js';
import { assembleRuleSet, isElasticRuleFile, listRuleFiles, loadElasticRules, type RuleSet } from '../rules.js';
import { checkProblems, checkRules } from './check-shapes.js';
import { codeVersion } from './code-version.js';
import { CacheFormatError, decodeContainer, encodeContainer, jsonSection } from './container.js';
import { parseInWorkers } from './parse-pool.js';
import { scanParseResult } from './scan-rule.js';
import { encodePlan, restorePlan } from './plan-buffer.js';

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
}

const PARSED_KIND = 'parsed-rules';
/** Cache files larger than this are not ours. */
const MAX_CACHE_FILE = 512 << 20;
/** Plans kept (most recently used first); older ones are deleted. */
const KEEP_PLANS = 8;
/** Parse results kept in the parsed store beyond those of the current run. */
const KEEP_ENTRIES = 20_000;
/** Rule files to parse above which a cold start parses on every core (a worker starts in ~0.1 s). */
const PARALLEL_PARSE_FILES = 400;

interface RuleFile {
  path: string;
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

export async function compileRules(paths: string[], opts: CompileOptions = {}): Promise<CompiledRules> {
  const listProblems: Problem[] = [];
  const listed = listRuleFiles(paths, listProblems);
  // Elastic rules are parsed on each run (not cached: they run in the main thread's Elastic runner).
  const elastic = loadElasticRules(listed.filter(isElasticRuleFile), listProblems);
  const paths2 = listed.filter((f) => !isElasticRuleFile(f));
  const code = codeVersion();
  const ph = JSON.stringify(opts.placeholders ?? null);
  const prefix = `${code}\0${ph}`;
  const files: RuleFile[] = paths2.map((path) => {
    try {
      const bytes = readFileSync(path);
      // Too large: parseSigmaFile reports it (with its size, part of the key).
      if (bytes.length > MAX_RULE_FILE_BYTES) return { path, setPart: `too-large:${bytes.length}:${path}` };
      return { path, bytes, entryKey: sha(prefix, path, bytes) };
    } catch (e) {
      return { path, setPart: `unreadable:${(e as Error).message}` };
    }
  });
  const key = sha(code, ph, ...files.map((f) => f.entryKey ?? f.setPart!));
  const dir = opts.cacheDir;
  const note = opts.onNote ?? (() => undefined);
  const planFile = dir ? join(dir, `plan-${key.slice(0, 40)}.bin`) : undefined;
  if (planFile) {
    const blob = readCacheFile(planFile, note);
    if (blob) {
      opts.onPlanRead?.({ blob, key });
      try {
        const r = restorePlan(blob, key, false);
        touch(planFile);
        return { ruleSet: { ...r.stored, elastic, files: listed.length, problems: [...listProblems, ...r.stored.problems] }, matcher: r.matcher, plan: { blob, key }, store: () => undefined, cache: 'hit', parsed: 0 };
      } catch (e) {
        note(`cache: ${planFile} ignored (${(e as Error).message}); compiling the rules again`);
      }
    }
  }
  // Cold: parse what the parsed store does not hold, then compile.
  const storeFile = dir ? join(dir, `parsed-${code.slice(0, 40)}.bin`) : undefined;
  const store = storeFile ? readParsedStore(storeFile, code, note) : new Map<string, ParseResult>();
  const results: Array<ParseResult | undefined> = files.map((f) => (f.entryKey ? store.get(f.entryKey) : undefined));
  const todo = files.flatMap((f, i) => (results[i] ? [] : [i]));
  const fresh = await parseFiles(todo.map((i) => files[i]), opts);
  todo.forEach((i, j) => (results[i] = fresh[j]));
  const storeChanged = !!storeFile && todo.some((i) => files[i].entryKey);
  if (storeChanged) for (const i of todo) if (files[i].entryKey) store.set(files[i].entryKey!, results[i]!);
  // Filters change the rules they apply to: the rule set gets copies, the parsed store keeps the rules as parsed.
  const stored = assembleRuleSet((results as ParseResult[]).map(copyParseResult), [], files.length);
  const matcher = new Matcher(stored.detections);
  let blob: Uint8Array | undefined;
  const planBlob = (): Uint8Array => (blob ??= encodePlan(key, stored, matcher.toPlan()));
  let pending = !!(dir && planFile && storeFile);
  const writeFiles = (): void => {
    if (!pending) return;
    pending = false;
    if (storeChanged) writeCacheFile(storeFile!, encodeParsedStore(code, store, new Set(files.map((f) => f.entryKey!).filter(Boolean))), note);
    writeCacheFile(planFile!, planBlob(), note);
    prunePlans(dir!, planFile!);
  };
  if (!opts.deferStore) writeFiles();
  return {
    ruleSet: { ...stored, elastic, files: listed.length, problems: [...listProblems, ...stored.problems] },
    matcher,
    get plan() {
      return { blob: planBlob(), key };
    },
    store: writeFiles,
    cache: dir ? 'built' : 'off',
    parsed: todo.length,
  };
}

/** A parse result whose rules can be changed (by filters) without changing the original. */
function copyParseResult(r: ParseResult): ParseResult {
  return { ...r, rules: r.rules.map((x) => ({ ...x, extra: { ...x.extra } })) };
}

async function parseFiles(files: RuleFile[], opts: CompileOptions): Promise<ParseResult[]> {
  const readable = files.filter((f) => f.bytes);
  const threads = opts.parseThreads ?? (readable.length >= PARALLEL_PARSE_FILES ? availableParallelism() : 1);
  const parsed = threads > 1 ? await parseInWorkers(readable.map((f) => [f.path, f.bytes!.toString('utf8')]), opts.placeholders, threads) : undefined;
  let next = 0;
  return files.map((f) => {
    if (!f.bytes) return scanParseResult(parseSigmaFile(f.path, { placeholders: opts.placeholders }));
    return parsed ? parsed[next++] : scanParseResult(parseSigmaText(f.bytes.toString('utf8'), f.path, { placeholders: opts.placeholders }));
  });
}

/** A cache file read into shared memory, or undefined (absent, or not plausibly ours: noted). */
function readCacheFile(file: string, note: (line: string) => void): Uint8Array | undefined {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_CACHE_FILE) {
      note(`cache: ${file} ignored (${size} bytes is larger than a cache file can be)`);
      return undefined;
    }
    const buf = new Uint8Array(new SharedArrayBuffer(size));
    let got = 0;
    while (got < size) {
      const n = readSync(fd, buf, got, size - got, got);
      if (n === 0) break;
      got += n;
    }
    return got === size ? buf : buf.subarray(0, got);
  } catch (e) {
    note(`cache: ${file} ignored (${(e as Error).message})`);
    return undefined;
  } finally {
    closeSync(fd);
  }
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

function readParsedStore(file: string, code: string, note: (line: string) => void): Map<string, ParseResult> {
  const blob = readCacheFile(file, note);
  if (!blob) return new Map();
  try {
    const entries = jsonSection(decodeContainer(blob, PARSED_KIND, code), 'entries');
    if (!Array.isArray(entries)) throw new CacheFormatError('bad entry list');
    const out = new Map<string, ParseResult>();
    for (const e of entries as unknown[]) {
      if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !e[1] || typeof e[1] !== 'object') throw new CacheFormatError('bad entry');
      const r = e[1] as Record<string, unknown>;
      out.set(e[0], { rules: checkRules(r.rules), problems: checkProblems(r.problems) });
    }
    return out;
  } catch (e) {
    note(`cache: ${file} ignored (${(e as Error).message}); parsing every rule file again`);
    return new Map();
  }
}

function encodeParsedStore(code: string, store: Map<string, ParseResult>, used: Set<string>): Uint8Array {
  // This run's entries first, then others (other rule sets) up to the bound.
  const entries = [...store].sort((a, b) => Number(used.has(b[0])) - Number(used.has(a[0])));
  const kept = entries.slice(0, Math.max(used.size, KEEP_ENTRIES));
  return encodeContainer(PARSED_KIND, code, new Map([['entries', { json: kept }]]));
}
