/**
 * `npm ci` installs exactly the lock file, and fails when it lacks what package.json asks or what the
 * machine needs: every platform's optional DuckDB bindings must be locked (with integrity hashes), and
 * the lock's top-level dependencies must be those of package.json.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/cli/paths.js';

interface LockEntry { version?: string; integrity?: string; os?: string[]; cpu?: string[]; optional?: boolean; optionalDependencies?: Record<string, string>; dependencies?: Record<string, string>; devDependencies?: Record<string, string> }
interface Lock { lockfileVersion: number; packages: Record<string, LockEntry> }
interface Pkg { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }

/** The platforms detectory is installed on: Linux, macOS (both CPUs) and Windows. */
const PLATFORMS: Array<[os: string, cpu: string]> = [['linux', 'x64'], ['linux', 'arm64'], ['darwin', 'arm64'], ['darwin', 'x64'], ['win32', 'x64']];
const BINDINGS = '@duckdb/node-bindings';

/** What keeps `npm ci` from installing on every platform; empty when the lock is complete. */
function lockProblems(lock: Lock, pkg: Pkg): string[] {
  const out: string[] = [];
  if (lock.lockfileVersion < 2) out.push(`lockfileVersion ${lock.lockfileVersion} has no "packages" section`);
  const root = lock.packages?.[''] ?? {};
  for (const field of ['dependencies', 'devDependencies'] as const) {
    const sorted = (m: Record<string, string> = {}): string => JSON.stringify(Object.entries(m).sort());
    if (sorted(root[field]) !== sorted(pkg[field])) out.push(`the lock's ${field} differ from package.json's`);
  }
  const bindings = lock.packages?.[`node_modules/${BINDINGS}`];
  if (!bindings) return [...out, `${BINDINGS} is not locked`];
  for (const [os, cpu] of PLATFORMS) {
    const name = `${BINDINGS}-${os}-${cpu}`;
    const wanted = bindings.optionalDependencies?.[name];
    const e = lock.packages[`node_modules/${name}`];
    if (!wanted) out.push(`${BINDINGS} does not list ${name}`);
    if (!e) {
      out.push(`${name} is not locked`);
      continue;
    }
    if (wanted && e.version !== wanted) out.push(`${name}: locked ${e.version}, ${BINDINGS} wants ${wanted}`);
    if (!/^sha512-[A-Za-z0-9+/]{86}==$/.test(e.integrity ?? '')) out.push(`${name}: no sha512 integrity hash`);
    if (!e.os?.includes(os) || !e.cpu?.includes(cpu) || !e.optional) out.push(`${name}: not marked optional for ${os}/${cpu}`);
  }
  return out;
}

const read = <T>(name: string): T => JSON.parse(readFileSync(join(PACKAGE_ROOT, name), 'utf8')) as T;

test('package-lock.json locks the DuckDB bindings of linux-x64, linux-arm64, darwin-arm64, darwin-x64 and win32-x64, and matches package.json', () => {
  assert.deepEqual(lockProblems(read<Lock>('package-lock.json'), read<Pkg>('package.json')), []);
});

test('the check fails on a lock written on one platform only (what npm install on Linux alone leaves), or out of date', () => {
  const lock = read<Lock>('package-lock.json');
  const pkg = read<Pkg>('package.json');
  const linuxOnly: Lock = structuredClone(lock);
  for (const k of Object.keys(linuxOnly.packages)) if (k.startsWith(`node_modules/${BINDINGS}-`) && !k.endsWith('linux-x64')) delete linuxOnly.packages[k];
  assert.deepEqual(lockProblems(linuxOnly, pkg), ['linux-arm64', 'darwin-arm64', 'darwin-x64', 'win32-x64'].map((p) => `${BINDINGS}-${p} is not locked`));
  const noHash: Lock = structuredClone(lock);
  delete noHash.packages[`node_modules/${BINDINGS}-win32-x64`].integrity;
  assert.deepEqual(lockProblems(noHash, pkg), [`${BINDINGS}-win32-x64: no sha512 integrity hash`]);
  assert.deepEqual(lockProblems(lock, { ...pkg, dependencies: { ...pkg.dependencies, 'left-pad': '^1.0.0' } }), ["the lock's dependencies differ from package.json's"]);
});
