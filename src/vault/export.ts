import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { loadCatalog } from '../attack/catalog-join.js';
import { historyOfAll } from './history-load.js';
import { loadKnowledgeBase, type AObj } from '../attack/kb.js';
import type { Kind } from '../attack/kinds.js';
import { resolveInKb } from '../attack/resolve.js';
import { analyticsForRule, buildShow, ref } from '../attack/show.js';
import type { Db } from '../store/db.js';
import { frontMatter, mdCell } from './markdown.js';
import { describeFsError } from '../util/fs-error.js';
import { NoteNames, safeFileName, wikiLink } from './names.js';
import { objectNote, ruleNote, type NoteContext } from './notes.js';
import { inspectTarget, installVault, removeStaleTemps, tempPrefix, VaultError, writeManifest, type VaultManifest } from './install.js';

export { VAULT_MARKER, VaultError } from './install.js';

/** Folder per kind of note; kinds not listed get no note (identity, marking, matrix, relationship). */
export const VAULT_FOLDERS: Partial<Record<Kind, string>> = {
  tactic: 'tactics',
  technique: 'techniques',
  'detection-strategy': 'detection-strategies',
  analytic: 'analytics',
  'data-component': 'data-components',
  'data-source': 'data-sources',
  mitigation: 'mitigations',
  group: 'groups',
  software: 'software',
  campaign: 'campaigns',
};

export interface VaultSummary {
  outDir: string;
  release: string;
  notes: number;
  links: number;
  byKind: Record<string, number>;
  /** Notes not written because a file of the user's has their name. */
  kept: string[];
  /** Notes of the previous export that this one no longer has, removed. */
  removed: number;
  /** Temporary folders of interrupted exports, removed. */
  staleRemoved: string[];
  seconds: number;
}

const collator = new Intl.Collator('en', { numeric: true });

/** Maps https://attack.mitre.org/techniques/T1059/001 (and tactics/, software/, ...) to an ATT&CK id. */
export function attackIdFromUrl(url: string): string | undefined {
  const m = /^https?:\/\/attack\.mitre\.org\/([a-z-]+)\/([A-Za-z]+\d+)(?:\/(\d{3}))?\/?(?:#([A-Za-z]+\d+))?$/.exec(url.trim());
  if (!m) return undefined;
  if (m[4]) return m[4].toUpperCase();
  return (m[3] ? `${m[2]}.${m[3]}` : m[2]).toUpperCase();
}

/**
 * Writes a Markdown vault (YAML front matter, [[wiki links]], footnoted references) for one release
 * and the catalog's rules. Notes are written into a temporary sibling folder first: a failed export
 * leaves nothing half-written. A new OUTDIR is that folder renamed; over an existing vault only the
 * notes detectory wrote are replaced (install.ts), the user's own files stay.
 */
export async function exportVault(db: Db, outDir: string, opts: { release?: string; force?: boolean } = {}): Promise<VaultSummary> {
  const t0 = performance.now();
  const target = resolve(outDir);
  const owned = await inspectTarget(target, !!opts.force);
  const staleRemoved = await removeStaleTemps(target);
  // Made before any work, so that a place where nothing can be written fails at once. Not
  // recursive: the parent exists, and a recursive mkdir under /proc never returns.
  const tmp = join(dirname(target), `${tempPrefix(target)}${process.pid}-${Date.now()}`);
  try {
    await mkdir(tmp);
  } catch (e) {
    throw new VaultError(`cannot write ${target}: ${describeFsError(e)}`);
  }
  try {
    return await writeVault(db, target, tmp, owned, staleRemoved, t0, opts.release);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function writeVault(db: Db, target: string, tmp: string, owned: Set<string> | undefined, staleRemoved: string[], t0: number, release?: string): Promise<VaultSummary> {
  const kb = await loadKnowledgeBase(db, release);
  const catalog = await loadCatalog(db);
  const history = await historyOfAll(db);

  const names = new NoteNames();
  const noteOf = new Map<string, string>();
  const objs: AObj[] = [...kb.objects.values()]
    .filter((o) => VAULT_FOLDERS[o.kind])
    .sort((a, b) => Number(a.revoked || a.deprecated) - Number(b.revoked || b.deprecated) || collator.compare(a.attackId, b.attackId) || collator.compare(a.stixId, b.stixId));
  for (const o of objs) noteOf.set(o.stixId, names.take(VAULT_FOLDERS[o.kind]!, o.attackId ? `${o.attackId} ${o.name}` : o.name || o.stixId));
  const ruleNoteOf = new Map<string, string>();
  const rules = [...catalog.rules.values()].sort((a, b) => a.vendor.localeCompare(b.vendor) || a.title.localeCompare(b.title) || a.key.localeCompare(b.key));
  for (const r of rules) ruleNoteOf.set(r.key, names.take(`rules/${safeFileName(r.vendor || 'unknown')}`, r.title || r.id || r.key));

  const ctx: NoteContext = {
    release: kb.release,
    noteOf: (id) => noteOf.get(id),
    ruleNoteOf: (id) => ruleNoteOf.get(id),
    resolveUrl: (url, text) => {
      const id = attackIdFromUrl(url);
      if (!id) return undefined;
      const res = resolveInKb(kb, id, { followRevoked: false });
      const note = res && noteOf.get(res.obj.stixId);
      return note ? wikiLink(note, text) : undefined;
    },
  };

  const files: Array<[string, string]> = [];
  const byKind: Record<string, number> = {};
  for (const o of objs) {
    const rep = buildShow(kb, catalog, { obj: o, revokedChain: [], alsoNamed: [] }, o.attackId || o.stixId);
    files.push([noteOf.get(o.stixId)!, objectNote(ctx, o, rep, history.get(o.stixId) ?? [])]);
    byKind[o.kind] = (byKind[o.kind] ?? 0) + 1;
  }
  for (const r of rules) {
    const techs = r.techniques.map((id) => {
      const res = resolveInKb(kb, id, { followRevoked: false });
      return { id, note: res ? noteOf.get(res.obj.stixId) : undefined, name: res?.obj.name };
    });
    const analytics = catalog.hasEvents ? analyticsForRule(kb, catalog, r).map(ref) : [];
    files.push([ruleNoteOf.get(r.key)!, ruleNote(ctx, r, techs, analytics)]);
    byKind.rule = (byKind.rule ?? 0) + 1;
  }
  files.push(['index', indexNote(kb.release, objs, noteOf, rules.length, catalog.built)]);

  const folders = new Set(files.map(([p]) => dirname(p)).filter((d) => d !== '.'));
  for (const f of folders) await mkdir(join(tmp, f), { recursive: true });
  for (let i = 0; i < files.length; i += 64) {
    await Promise.all(files.slice(i, i + 64).map(([p, text]) => writeFile(join(tmp, `${p}.md`), text, { flag: 'wx' })));
  }
  const manifest: VaultManifest = { tool: 'detectory', release: kb.release, notes: files.length, written_at: new Date().toISOString(), files: files.map(([p]) => `${p}.md`) };
  await writeManifest(tmp, manifest);
  const installed = await installVault(tmp, target, manifest, owned);
  let links = 0;
  for (const [, text] of files) links += text.split('[[').length - 1;
  return { outDir: target, release: kb.release, notes: files.length - installed.kept.length, links, byKind, ...installed, staleRemoved, seconds: (performance.now() - t0) / 1000 };
}

function indexNote(release: string, objs: AObj[], noteOf: Map<string, string>, ruleCount: number, catalogBuilt: boolean): string {
  const out = [frontMatter({ id: `attack-${release}-index`, name: `ATT&CK ${release}`, type: 'index', attack_release: release }), `# ATT&CK ${mdCell(release)}`, ''];
  const counts = new Map<string, number>();
  for (const o of objs) counts.set(o.kind, (counts.get(o.kind) ?? 0) + 1);
  out.push('| Kind | Notes |', '| --- | --- |', ...[...counts].map(([k, n]) => `| ${k} | ${n} |`), `| rule | ${ruleCount} |`, '');
  if (!catalogBuilt) out.push('Catalog not built: no rule notes.', '');
  out.push('## Tactics', '');
  for (const t of objs.filter((o) => o.kind === 'tactic' && !o.deprecated && !o.revoked)) out.push(`- ${wikiLink(noteOf.get(t.stixId)!, `${t.attackId} ${t.name}`)}`);
  out.push('');
  return out.join('\n');
}
