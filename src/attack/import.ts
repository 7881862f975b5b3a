import { INTEGER, LIST, VARCHAR, listValue, type DuckDBAppender } from '@duckdb/node-api';
import type { Db } from '../store/db.js';
import { BundleError, readBundle, type Bundle } from './bundle.js';
import {
  attackIdOf, attackUrlOf, bool, dataComponentLogSources, logSourceRefs, mutableElements, phaseNames, str, strList, type Json,
} from './fields.js';
import { contentHash } from './hash.js';
import { rebuildHistory } from './history.js';
import { isKnownType, kindOf } from './kinds.js';
import { eventCategoryOf, eventIdsOf } from './log-source-map.js';
import { compareReleases, parseFileSpec } from './release.js';
import { ensureAttackSchema, PER_RELEASE_TABLES } from './schema.js';

/** One problem met while importing; reported, never fatal to the other files. */
export interface AttackProblem {
  file: string;
  level: 'error' | 'warning';
  message: string;
  /** True when the file could not be read at all (the CLI exits 3 for these). */
  unreadable?: boolean;
}

export interface ReleaseSummary {
  release: string;
  domain: string;
  file: string;
  releaseSource: Bundle['releaseSource'];
  objects: number;
  relationships: number;
  byType: Record<string, number>;
  unknownTypes: Record<string, number>;
  skipped: number;
  seconds: number;
}

export interface Summary {
  releases: ReleaseSummary[];
  failed: Array<{ file: string; reason: string; unreadable: boolean }>;
  problems: number;
  historyRows: number;
  seconds: number;
}

/**
 * Imports ATT&CK STIX bundles (plain or gzip JSON; each argument may be FILE@RELEASE) into the catalog
 * database, then rebuilds the history over every imported release. A file that fails is reported
 * through `onProblem` and counted in `failed`; the others are still imported. Each release is written
 * in one transaction: a failed file leaves no rows behind.
 */
export async function importAttack(db: Db, files: string[], onProblem: (p: AttackProblem) => void = () => {}): Promise<Summary> {
  const t0 = performance.now();
  await ensureAttackSchema(db);
  const summary: Summary = { releases: [], failed: [], problems: 0, historyRows: 0, seconds: 0 };
  const report = (p: AttackProblem): void => {
    summary.problems++;
    onProblem(p);
  };
  for (const arg of files) {
    const spec = parseFileSpec(arg);
    const t1 = performance.now();
    let bundle: Bundle;
    try {
      bundle = await readBundle(spec);
    } catch (e) {
      const unreadable = e instanceof BundleError && e.unreadable;
      const reason = e instanceof BundleError ? e.message.slice(spec.path.length + 2) : (e as Error).message;
      summary.failed.push({ file: spec.path, reason, unreadable });
      report({ file: spec.path, level: 'error', message: reason, unreadable });
      continue;
    }
    for (const s of bundle.skipped.slice(0, 20)) report({ file: bundle.path, level: 'warning', message: `objects[${s.index}] skipped: ${s.reason}` });
    if (bundle.skipped.length > 20) report({ file: bundle.path, level: 'warning', message: `${bundle.skipped.length - 20} more objects skipped` });
    try {
      const rs = await writeRelease(db, bundle);
      rs.seconds = (performance.now() - t1) / 1000;
      for (const [type, n] of Object.entries(rs.unknownTypes)) {
        report({ file: bundle.path, level: 'warning', message: `${n} object(s) of unknown type "${type}": kept as kind "unknown"` });
      }
      const dangling = await danglingRefs(db, bundle.release);
      if (dangling > 0) report({ file: bundle.path, level: 'warning', message: `${dangling} relationship(s) point to objects missing from release ${bundle.release}` });
      summary.releases.push(rs);
    } catch (e) {
      summary.failed.push({ file: spec.path, reason: (e as Error).message, unreadable: false });
      report({ file: spec.path, level: 'error', message: `import failed: ${(e as Error).message}` });
    }
  }
  if (summary.releases.length > 0) summary.historyRows = await rebuildHistory(db);
  summary.seconds = (performance.now() - t0) / 1000;
  return summary;
}

async function danglingRefs(db: Db, release: string): Promise<number> {
  const r = await db.conn.runAndReadAll(
    `SELECT count(*) AS n FROM attack_relationships r WHERE r.release = $1 AND (
       NOT EXISTS (SELECT 1 FROM attack_objects o WHERE o.release = r.release AND o.stix_id = r.source_ref) OR
       NOT EXISTS (SELECT 1 FROM attack_objects o WHERE o.release = r.release AND o.stix_id = r.target_ref))`, [release]);
  return Number(r.getRowObjectsJson()[0]?.n ?? 0);
}

const VARCHAR_LIST = LIST(VARCHAR);
const INTEGER_LIST = LIST(INTEGER);

function appendStr(a: DuckDBAppender, v: string | undefined | null): void {
  if (v === undefined || v === null) a.appendNull();
  else a.appendVarchar(v);
}

async function writeRelease(db: Db, bundle: Bundle): Promise<ReleaseSummary> {
  const { release } = bundle;
  const byType: Record<string, number> = {};
  const unknownTypes: Record<string, number> = {};
  const typeOf = new Map<string, string>();
  for (const o of bundle.objects) {
    typeOf.set(o.id, o.type);
    byType[o.type] = (byType[o.type] ?? 0) + 1;
    if (!isKnownType(o.type)) unknownTypes[o.type] = (unknownTypes[o.type] ?? 0) + 1;
  }
  const conn = db.conn;
  await conn.run('BEGIN TRANSACTION');
  try {
    for (const t of PER_RELEASE_TABLES) await conn.run(`DELETE FROM ${t} WHERE release = $1`, [release]);
    await conn.run('DELETE FROM attack_releases WHERE release = $1', [release]);

    const objects = await conn.createAppender('attack_objects');
    const rels = await conn.createAppender('attack_relationships');
    const refs = await conn.createAppender('attack_embedded_refs');
    const logs = await conn.createAppender('attack_log_sources');
    const muts = await conn.createAppender('attack_mutable_elements');
    let relCount = 0;
    for (const o of bundle.objects as Json[]) {
      const type = str(o, 'type');
      const id = str(o, 'id');
      objects.appendVarchar(release);
      objects.appendVarchar(id);
      objects.appendVarchar(attackIdOf(o));
      objects.appendVarchar(type);
      objects.appendVarchar(kindOf(type));
      objects.appendVarchar(str(o, 'name'));
      objects.appendVarchar(str(o, 'description'));
      objects.appendVarchar(str(o, 'created'));
      objects.appendVarchar(str(o, 'modified'));
      objects.appendVarchar(str(o, 'x_mitre_version'));
      objects.appendBoolean(bool(o, 'x_mitre_deprecated'));
      objects.appendBoolean(bool(o, 'revoked'));
      objects.appendBoolean(bool(o, 'x_mitre_is_subtechnique'));
      objects.appendList(listValue(strList(o, 'x_mitre_platforms')), VARCHAR_LIST);
      objects.appendList(listValue(phaseNames(o)), VARCHAR_LIST);
      objects.appendVarchar(str(o, 'x_mitre_shortname'));
      objects.appendVarchar(attackUrlOf(o));
      objects.appendVarchar(contentHash(o));
      objects.appendVarchar(JSON.stringify(o));
      objects.endRow();

      if (type === 'relationship') {
        relCount++;
        const src = str(o, 'source_ref');
        const dst = str(o, 'target_ref');
        rels.appendVarchar(release);
        rels.appendVarchar(id);
        rels.appendVarchar(str(o, 'relationship_type'));
        rels.appendVarchar(src);
        rels.appendVarchar(dst);
        appendStr(rels, typeOf.get(src) ?? src.split('--')[0]);
        appendStr(rels, typeOf.get(dst) ?? dst.split('--')[0]);
        rels.appendVarchar(str(o, 'description'));
        rels.appendBoolean(bool(o, 'x_mitre_deprecated'));
        rels.appendBoolean(bool(o, 'revoked'));
        rels.endRow();
        continue;
      }
      const embedded: Array<[string, string]> = [];
      for (const t of strList(o, 'x_mitre_analytic_refs')) embedded.push(['x_mitre_analytic_refs', t]);
      for (const t of strList(o, 'tactic_refs')) embedded.push(['tactic_refs', t]);
      if (str(o, 'x_mitre_data_source_ref')) embedded.push(['x_mitre_data_source_ref', str(o, 'x_mitre_data_source_ref')]);
      const lsr = logSourceRefs(o);
      for (const l of lsr) if (l.dataComponentRef) embedded.push(['x_mitre_log_source_references', l.dataComponentRef]);
      for (const [field, target] of embedded) {
        refs.appendVarchar(release);
        refs.appendVarchar(id);
        refs.appendVarchar(field);
        refs.appendVarchar(target);
        refs.endRow();
      }
      const sources = [
        ...lsr.map((l) => ({ dc: l.dataComponentRef, name: l.name, channel: l.channel })),
        ...(type === 'x-mitre-data-component' ? dataComponentLogSources(o).map((l) => ({ dc: id, name: l.name, channel: l.channel })) : []),
      ];
      sources.forEach((l, i) => {
        const cat = eventCategoryOf(l.name, l.channel);
        logs.appendVarchar(release);
        logs.appendVarchar(id);
        logs.appendVarchar(type);
        logs.appendInteger(i);
        logs.appendVarchar(l.dc);
        logs.appendVarchar(l.name);
        logs.appendVarchar(l.channel);
        logs.appendList(listValue(eventIdsOf(l.channel)), INTEGER_LIST);
        appendStr(logs, cat?.product ?? null);
        appendStr(logs, cat?.service ?? null);
        logs.appendList(listValue(cat?.categories ?? []), VARCHAR_LIST);
        logs.endRow();
      });
      mutableElements(o).forEach((m, i) => {
        muts.appendVarchar(release);
        muts.appendVarchar(id);
        muts.appendInteger(i);
        muts.appendVarchar(m.field);
        muts.appendVarchar(m.description);
        muts.endRow();
      });
    }
    for (const a of [objects, rels, refs, logs, muts]) a.closeSync();

    await conn.run(
      `INSERT INTO attack_releases VALUES ($1, 0, $2, $3, $4, $5, $6, current_timestamp::TIMESTAMP, $7, $8)`,
      [release, bundle.domain, bundle.path, bundle.releaseSource, bundle.bundleId, bundle.specVersion, bundle.objects.length - relCount, relCount]);
    await renumberReleases(db);
    await conn.run('COMMIT');
    return {
      release, domain: bundle.domain, file: bundle.path, releaseSource: bundle.releaseSource,
      objects: bundle.objects.length - relCount, relationships: relCount, byType, unknownTypes,
      skipped: bundle.skipped.length, seconds: 0,
    };
  } catch (e) {
    await conn.run('ROLLBACK');
    throw e;
  }
}

/** Sets attack_releases.ordinal to the version order (1 = oldest). */
async function renumberReleases(db: Db): Promise<void> {
  const rows = (await db.conn.runAndReadAll('SELECT release FROM attack_releases')).getRowObjectsJson();
  const names = rows.map((r) => String(r.release)).sort(compareReleases);
  for (let i = 0; i < names.length; i++) await db.conn.run('UPDATE attack_releases SET ordinal = $1 WHERE release = $2', [i + 1, names[i]]);
}
