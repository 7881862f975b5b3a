/**
 * Putting a freshly written vault in place without touching what is not ours. The marker file at
 * the vault root is a manifest of every note detectory wrote there; an export over an existing
 * vault replaces exactly those notes (each by a rename), removes the ones the new export no longer
 * has, and leaves everything else alone: the user's own notes, `.obsidian/` and other settings.
 * A note of the user's with the name of one of ours is kept and reported, never overwritten.
 */
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rename, rm, rmdir, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve, sep } from 'node:path';
import { processAlive } from '../util/process-alive.js';

/** Written at the vault root: which export wrote the vault, and the files it wrote. */
export const VAULT_MARKER = '.detectory-vault.json';

export interface VaultManifest {
  tool: 'detectory';
  release: string;
  notes: number;
  written_at: string;
  /** Paths relative to the vault root, forward slashes, `.md` included. */
  files: string[];
}

export class VaultError extends Error {}

/**
 * A manifest path is trusted only if it is one of ours could be: a relative `.md` path with no
 * `..`, no hidden part (`.obsidian/...`), inside the vault. The manifest is a file on disk that
 * anyone could have edited.
 */
export function isOwnNotePath(p: unknown): p is string {
  if (typeof p !== 'string' || !p.endsWith('.md') || p.includes('\\') || p.includes('\0')) return false;
  const parts = p.split('/');
  return parts.every((x) => x !== '' && x !== '..' && !x.startsWith('.'));
}

/** Folders a vault written before manifests listed their files held (their .md files were all ours). */
const LEGACY_FOLDERS = ['tactics', 'techniques', 'detection-strategies', 'analytics', 'data-components', 'data-sources', 'mitigations', 'groups', 'software', 'campaigns', 'rules'];

/**
 * What the target holds before an export: undefined when it does not exist (the new vault is
 * renamed into place whole), else the set of files detectory wrote there (empty for a folder that
 * is not a vault, accepted only with `force` or when empty).
 */
export async function inspectTarget(target: string, force: boolean): Promise<Set<string> | undefined> {
  if (!existsSync(target)) {
    const parent = dirname(target);
    if (!existsSync(parent)) throw new VaultError(`cannot write ${target}: folder ${parent} does not exist`);
    return undefined;
  }
  let entries: string[];
  try {
    entries = await readdir(target);
  } catch {
    throw new VaultError(`${target} exists and is not a folder`);
  }
  if (entries.includes(VAULT_MARKER)) return ownedFiles(target);
  if (entries.length > 0 && !force) {
    throw new VaultError(`${target} exists, is not empty and is not a detectory vault; choose another folder, or pass --force to add the notes to it (nothing there is removed)`);
  }
  return new Set();
}

async function ownedFiles(target: string): Promise<Set<string>> {
  let manifest: Partial<VaultManifest> | undefined;
  try {
    manifest = JSON.parse(await readFile(join(target, VAULT_MARKER), 'utf8')) as Partial<VaultManifest>;
  } catch {
    manifest = undefined;
  }
  if (manifest && Array.isArray(manifest.files)) return new Set(manifest.files.filter(isOwnNotePath));
  // A vault from before manifests: the notes of our folders and the index were ours.
  const owned = new Set<string>(existsSync(join(target, 'index.md')) ? ['index.md'] : []);
  for (const folder of LEGACY_FOLDERS) for (const f of await mdFiles(target, folder)) owned.add(f);
  return owned;
}

async function mdFiles(root: string, rel: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(join(root, rel), { withFileTypes: true });
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const e of entries) {
    const p = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await mdFiles(root, p)));
    else if (e.isFile() && e.name.endsWith('.md')) out.push(p);
  }
  return out;
}

export async function writeManifest(dir: string, m: VaultManifest): Promise<void> {
  const tmp = join(dir, `${VAULT_MARKER}.tmp-${process.pid}`);
  await writeFile(tmp, `${JSON.stringify(m)}\n`);
  await rename(tmp, join(dir, VAULT_MARKER));
}

export interface InstallResult {
  /** Notes of the export not written because a file of the user's has that name. */
  kept: string[];
  /** Notes of the previous export that the new one no longer has, removed. */
  removed: number;
}

/**
 * Moves the notes from `tmp` (a complete export, its manifest listing `files`) into `target`.
 * `owned` undefined: the target does not exist and `tmp` is renamed to it whole.
 */
export async function installVault(tmp: string, target: string, manifest: VaultManifest, owned: Set<string> | undefined): Promise<InstallResult> {
  if (owned === undefined) {
    await rename(tmp, target);
    return { kept: [], removed: 0 };
  }
  const inside = (p: string): string => {
    const abs = resolve(target, p);
    if (!abs.startsWith(target + sep)) throw new VaultError(`${p} is outside the vault`);
    return abs;
  };
  const kept: string[] = [];
  const written: string[] = [];
  const isOurs = async (p: string): Promise<boolean> => owned.has(p) || !(await exists(inside(p)));
  // Claim every note first (old and new): an interruption leaves no note of ours unlisted.
  const claimed = new Set(owned);
  for (const f of manifest.files) if (await isOurs(f)) claimed.add(f);
  await writeManifest(target, { ...manifest, files: [...claimed] });
  for (const f of manifest.files) {
    if (!claimed.has(f)) {
      kept.push(f);
      continue;
    }
    const to = inside(f);
    try {
      await mkdir(dirname(to), { recursive: true });
      await rename(join(tmp, f), to);
      written.push(f);
    } catch {
      kept.push(f); // a folder of the user's in the way, for one
    }
  }
  const fresh = new Set(written);
  let removed = 0;
  for (const f of owned) {
    if (fresh.has(f)) continue;
    const abs = inside(f);
    try {
      if ((await lstat(abs)).isFile()) {
        await unlink(abs);
        removed++;
      }
    } catch {
      // already gone
    }
    await removeEmptyParents(dirname(abs), target);
  }
  await writeManifest(target, { ...manifest, files: written });
  await rm(tmp, { recursive: true, force: true });
  return { kept, removed };
}

async function exists(p: string): Promise<boolean> {
  try {
    await lstat(p);
    return true;
  } catch {
    return false;
  }
}

/** Removes `dir` and its parents up to (not including) `root` while they are empty. */
async function removeEmptyParents(dir: string, root: string): Promise<void> {
  for (let d = dir; d.startsWith(root + sep); d = dirname(d)) {
    try {
      await rmdir(d);
    } catch {
      return; // not empty (or not ours to remove)
    }
  }
}

/** The prefix of the hidden temporary folders an export of `target` works in (siblings of it). */
export function tempPrefix(target: string): string {
  return `.${basename(target)}.tmp-`;
}

/**
 * Removes temporary folders left by exports that were interrupted (their process is gone): they
 * would otherwise stay forever next to the vault. Returns the names removed.
 */
export async function removeStaleTemps(target: string): Promise<string[]> {
  const parent = dirname(target);
  const prefix = tempPrefix(target);
  let names: string[];
  try {
    names = await readdir(parent);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number(/^(\d+)-/.exec(name.slice(prefix.length))?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid || processAlive(pid)) continue;
    await rm(join(parent, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

