import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { importAttack, type AttackProblem, type Summary } from '../../src/attack/import.js';
import { openDb, type Db } from '../../src/store/db.js';

export const RELEASE_FILES: Record<string, string> = {
  '17.1': 'enterprise-attack-17.1.json.gz',
  '18.0': 'enterprise-attack-18.0.json.gz',
  '18.1': 'enterprise-attack-18.1.json',
};

export interface Fixture {
  db: Db;
  dir: string;
  summary: Summary;
  problems: AttackProblem[];
  close(): void;
}

/** A temporary database with the given shared releases imported through importAttack. */
export async function importedDb(shared: string, releases: string[]): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-attack-test-'));
  const db = await openDb(join(dir, 'test.duckdb'));
  const problems: AttackProblem[] = [];
  const summary = await importAttack(db, releases.map((r) => join(shared, 'attack', RELEASE_FILES[r])), (p) => problems.push(p));
  return {
    db, dir, summary, problems,
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Reads a bundle straight from disk, independently of src/attack. */
type RawBundle = { objects: Array<Record<string, unknown> & { type: string; id: string }> };
const rawCache = new Map<string, RawBundle>();

export function rawBundle(shared: string, release: string): RawBundle {
  const key = `${shared}:${release}`;
  if (!rawCache.has(key)) rawCache.set(key, readRaw(shared, release));
  return rawCache.get(key)!;
}

function readRaw(shared: string, release: string): RawBundle {
  const path = join(shared, 'attack', RELEASE_FILES[release]);
  let buf = readFileSync(path);
  if (path.endsWith('.gz')) buf = gunzipSync(buf);
  return JSON.parse(buf.toString('utf8'));
}

export function rawAttackId(o: Record<string, unknown>): string | undefined {
  const refs = (o.external_references ?? []) as Array<Record<string, unknown>>;
  return refs.find((r) => r.source_name === 'mitre-attack')?.external_id as string | undefined;
}
