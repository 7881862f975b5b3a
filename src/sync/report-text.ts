import { relative } from 'node:path';
import { textTable } from '../catalog/text-table.js';
import type { SyncReport } from './run.js';

const LIST_MAX = 20;

/** The sync report as text: sources fetched, rule changes per vendor, ATT&CK releases added, catalog work. */
export function renderSyncReport(r: SyncReport): string {
  const out: string[] = [];
  if (r.sources.length > 0) {
    out.push(textTable(['source', 'version', 'bytes', 'files', 'sha256'], r.sources.map((s) => [s.source, s.version, s.bytes, s.files ?? '', s.sha256.slice(0, 16)])));
    out.push('');
  }
  const vendors = Object.entries(r.rules.by_vendor);
  out.push(textTable(['vendor', 'added', 'modified', 'removed'], vendors.map(([v, c]) => [v, c.added, c.modified, c.removed])));
  for (const kind of ['added', 'modified', 'removed'] as const) {
    const list = r.rules[kind];
    if (list.length === 0) continue;
    out.push('', `${kind}:`);
    for (const c of list.slice(0, LIST_MAX)) out.push(`  ${c.vendor}  ${relative(r.cache, c.path)}  ${c.title}`);
    if (list.length > LIST_MAX) out.push(`  ... ${list.length - LIST_MAX} more (--json lists all)`);
  }
  out.push('', `ATT&CK releases added: ${r.attack.added.join(', ') || 'none'}; loaded: ${r.attack.loaded.join(', ') || 'none'}`);
  if (r.catalog) {
    const c = r.catalog;
    out.push(`catalog: ${c.files} files (${c.parsedFiles} parsed, ${c.reusedFiles} unchanged, ${c.removedFiles} removed), ${c.rules} rules; ${r.seconds.toFixed(1)} s`);
  }
  return out.join('\n');
}
