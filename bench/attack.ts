/**
 * ATT&CK import and vault export timings on the shared releases (DETECTORY_SHARED).
 * Run: npm run build && DETECTORY_SHARED=../shared npm run bench -- attack (or node dist/bench/attack.js)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCatalog } from '../src/attack/catalog-join.js';
import { importAttack } from '../src/attack/import.js';
import { loadKnowledgeBase } from '../src/attack/kb.js';
import { renderShow } from '../src/attack/render.js';
import { resolveInKb } from '../src/attack/resolve.js';
import { buildShow } from '../src/attack/show.js';
import { openDb } from '../src/store/db.js';
import { exportVault } from '../src/vault/export.js';

export async function runAttackBench(): Promise<void> {
  const shared = process.env.DETECTORY_SHARED;
  if (!shared) {
    console.log('DETECTORY_SHARED is not set; nothing to measure');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'detectory-bench-attack-'));
  try {
    const db = await openDb(join(dir, 'bench.duckdb'));
    const files = ['enterprise-attack-17.1.json.gz', 'enterprise-attack-18.0.json.gz', 'enterprise-attack-18.1.json'].map((f) => join(shared, 'attack', f));
    const s = await importAttack(db, files, (p) => console.error(`${p.level}: ${p.file}: ${p.message}`));
    console.log('release  objects  relationships  seconds');
    for (const r of s.releases) console.log(`${r.release.padEnd(8)} ${String(r.objects).padStart(7)}  ${String(r.relationships).padStart(13)}  ${r.seconds.toFixed(2).padStart(7)}`);
    console.log(`import of ${s.releases.length} releases incl. history (${s.historyRows} rows): ${s.seconds.toFixed(2)} s`);
    const t1 = performance.now();
    const kb = await loadKnowledgeBase(db);
    const catalog = await loadCatalog(db);
    const tLoad = (performance.now() - t1) / 1000;
    const t2 = performance.now();
    let shown = 0;
    for (const o of kb.objects.values()) {
      renderShow(buildShow(kb, catalog, resolveInKb(kb, o.stixId)!, o.attackId || o.stixId));
      shown++;
    }
    console.log(`knowledge base load (18.1): ${tLoad.toFixed(2)} s; attack show (text) of all ${shown} objects in process: ${((performance.now() - t2) / 1000).toFixed(2)} s`);
    const t0 = performance.now();
    const v = await exportVault(db, join(dir, 'vault'));
    console.log(`vault export (release ${v.release}): ${v.notes} notes, ${v.links} links in ${((performance.now() - t0) / 1000).toFixed(2)} s`);
    for (const [k, n] of Object.entries(v.byKind)) console.log(`  ${k.padEnd(20)} ${n}`);
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) await runAttackBench();
