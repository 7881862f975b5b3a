import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { importAttack, type AttackProblem } from '../attack/import.js';
import { buildCatalog, type BuildSummary } from '../catalog/build.js';
import { tableExists } from '../catalog/table-exists.js';
import { refreshTechniqueStatus } from '../catalog/technique-status.js';
import type { Db } from '../store/db.js';
import { fetchAttackIndex, fetchBundle, releasesToFetch, type FetchedBundle } from './attack-index.js';
import { diffRules, snapshotRules, type RuleChanges } from './changes.js';
import { fetchCorpus, SyncError, type FetchedCorpus } from './rule-archive.js';
import { RULE_SOURCES, type RuleVendor, type SourceName } from './sources.js';
import type { UnpackLimits } from './unpack.js';
import { processAlive } from '../util/process-alive.js';

export interface SyncOptions {
  /** Cache folder: sigma/, elastic/, splunk/, attack/ and state.json inside. */
  cache: string;
  /** Only this source (default: all four). */
  only?: SourceName;
  /** Mirror base (URL or folder), see sources.ts for the layout. */
  from?: string;
  /** Oldest ATT&CK release to fetch (default: the oldest loaded, or the newest listed on an empty catalog). */
  attackSince?: string;
  limits?: UnpackLimits;
  onProgress?: (line: string) => void;
}

export interface SourceReport {
  source: SourceName;
  version: string;
  url: string;
  bytes: number;
  sha256: string;
  files?: number;
  skipped_links?: number;
}

export interface SyncReport {
  cache: string;
  sources: SourceReport[];
  rules: RuleChanges;
  attack: { added: string[]; loaded: string[]; failed: Array<{ file: string; reason: string }> };
  catalog?: Pick<BuildSummary, 'files' | 'parsedFiles' | 'reusedFiles' | 'removedFiles' | 'rules'>;
  problems: string[];
  seconds: number;
}

const STATE = 'state.json';

/**
 * Brings the cache and the catalog up to date. Order matters for atomicity: everything is downloaded,
 * verified and unpacked into a temporary folder inside the cache first; any failure there removes the
 * temporary folder and leaves cache and catalog as they were. Then the new folders replace the old by
 * rename, and the catalog is rebuilt (one transaction; ATT&CK one per release). Should the rebuild
 * fail, the old folders are renamed back.
 */
export async function runSync(db: Db, o: SyncOptions): Promise<SyncReport> {
  const t0 = performance.now();
  const say = o.onProgress ?? ((): void => {});
  mkdirSync(o.cache, { recursive: true });
  const lock = join(o.cache, '.sync.lock');
  takeLock(lock);
  // temporary folders of a sync that was killed: nothing in them was ever swapped in
  for (const name of readdirSync(o.cache)) if (name.startsWith('.tmp-')) rmSync(join(o.cache, name), { recursive: true, force: true });
  const tmp = mkdtempSync(join(o.cache, '.tmp-'));
  try {
    return await syncIn(db, o, tmp, say, t0);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
    rmSync(lock, { force: true });
  }
}

async function syncIn(db: Db, o: SyncOptions, tmp: string, say: (l: string) => void, t0: number): Promise<SyncReport> {
  const want = (s: SourceName): boolean => o.only === undefined || o.only === s;
  const vendors = (Object.keys(RULE_SOURCES) as RuleVendor[]).filter(want);

  // 1. fetch everything (nothing in the cache or catalog changes here)
  const corpora: FetchedCorpus[] = [];
  for (const v of vendors) {
    say(`${v}: downloading`);
    corpora.push(await fetchCorpus(RULE_SOURCES[v], o.from, tmp, o.limits));
  }
  const bundles: FetchedBundle[] = [];
  if (want('attack')) {
    say('attack: reading the collection index');
    const listed = await fetchAttackIndex(o.from);
    const loaded = await loadedReleases(db);
    const todo = releasesToFetch(listed, loaded, o.attackSince);
    mkdirSync(join(tmp, 'attack'), { recursive: true });
    for (const r of todo) {
      say(`attack: downloading ${r.version}`);
      bundles.push(await fetchBundle(r, o.from, join(tmp, 'attack')));
    }
  }

  // 2. swap the new folders in
  const swapped: RuleVendor[] = [];
  const swapBack = (): void => {
    for (const v of swapped) {
      renameSync(join(o.cache, v), join(tmp, `${v}.failed`));
      if (existsSync(join(tmp, `${v}.old`))) renameSync(join(tmp, `${v}.old`), join(o.cache, v));
    }
  };
  for (const c of corpora) {
    if (existsSync(join(o.cache, c.vendor))) renameSync(join(o.cache, c.vendor), join(tmp, `${c.vendor}.old`));
    renameSync(c.dir, join(o.cache, c.vendor));
    swapped.push(c.vendor);
  }

  // 3. rebuild the catalog over every corpus in the cache (a vendor not given would lose its rows)
  const before = await snapshotRules(db);
  let catalog: SyncReport['catalog'];
  const problems: string[] = [];
  if (corpora.length > 0) {
    const dirs = (v: RuleVendor): string[] =>
      existsSync(join(o.cache, v)) ? RULE_SOURCES[v].catalogDirs.map((d) => join(o.cache, v, d)).filter((d) => existsSync(d)) : [];
    say('catalog: parsing changed files');
    try {
      const s = await buildCatalog(db, { sigma: dirs('sigma'), elastic: dirs('elastic'), splunk: dirs('splunk') });
      catalog = { files: s.files, parsedFiles: s.parsedFiles, reusedFiles: s.reusedFiles, removedFiles: s.removedFiles, rules: s.rules };
      for (const p of s.runProblems) problems.push(`${p.file}: ${p.reason}: ${p.message}`);
    } catch (e) {
      swapBack();
      throw new SyncError(`catalog rebuild failed, previous cache restored: ${(e as Error).message.split('\n')[0]}`);
    }
  }
  const after = await snapshotRules(db);

  const attack: SyncReport['attack'] = { added: [], loaded: [], failed: [] };
  if (bundles.length > 0) {
    mkdirSync(join(o.cache, 'attack'), { recursive: true });
    const files = bundles.map((b) => {
      const dest = join(o.cache, 'attack', `enterprise-attack-${b.version}.json`);
      renameSync(b.file, dest);
      return dest;
    });
    say('attack: importing');
    const a = await importAttack(db, files, (p: AttackProblem) => { if (p.level === 'error') problems.push(`${p.file}: ${p.message}`); });
    attack.added = a.releases.map((r) => r.release);
    attack.failed = a.failed.map((f) => ({ file: f.file, reason: f.reason }));
  }
  if (corpora.length > 0 || bundles.length > 0) await refreshTechniqueStatus(db);
  attack.loaded = [...(await loadedReleases(db))];

  writeState(o.cache, corpora, bundles);
  return {
    cache: o.cache,
    sources: [
      ...corpora.map((c): SourceReport => ({
        source: c.vendor, version: c.version, url: c.url, bytes: c.bytes, sha256: c.sha256, files: c.unpacked.files, skipped_links: c.unpacked.skippedLinks,
      })),
      ...bundles.map((b): SourceReport => ({ source: 'attack', version: b.version, url: b.url, bytes: b.bytes, sha256: b.sha256 })),
    ],
    rules: diffRules(before, after),
    attack,
    catalog,
    problems,
    seconds: (performance.now() - t0) / 1000,
  };
}

async function loadedReleases(db: Db): Promise<Set<string>> {
  if (!(await tableExists(db, 'attack_releases'))) return new Set();
  const r = await db.conn.runAndReadAll(`SELECT release FROM attack_releases ORDER BY ordinal`);
  return new Set(r.getRowObjectsJson().map((row) => String(row.release)));
}

/** Records what the cache holds (version, archive sha256, time), for the next sync's report and for people. */
function writeState(cache: string, corpora: FetchedCorpus[], bundles: FetchedBundle[]): void {
  const path = join(cache, STATE);
  let state: Record<string, unknown> = {};
  try {
    state = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch {
    state = {};
  }
  const at = new Date().toISOString();
  for (const c of corpora) state[c.vendor] = { version: c.version, url: c.url, sha256: c.sha256, bytes: c.bytes, synced_at: at };
  for (const b of bundles) state[`attack-${b.version}`] = { version: b.version, sha256: b.sha256, bytes: b.bytes, synced_at: at };
  writeFileSync(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
}

/** One sync per cache at a time; a lock left by a process that no longer runs is taken over. */
function takeLock(lock: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      return;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new SyncError(`${lock}: ${(e as Error).message}`);
    }
    const pid = Number(readFileSync(lock, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && processAlive(pid)) break;
    rmSync(lock, { force: true });
  }
  throw new SyncError(`${lock}: another sync is running on this cache`);
}

