import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { requireShared } from '../helpers/shared.js';
import { openDb } from '../../src/store/db.js';
import { buildCatalog } from '../../src/catalog/build.js';
import { computeGuide } from '../../src/catalog/guide.js';
import { catalogStats } from '../../src/catalog/stats.js';
import { rows } from '../../src/catalog/query.js';
import { tempDir } from './fixtures.js';

function walk(dir: string, ext: RegExp, out: string[] = []): string[] {
  for (const n of readdirSync(dir)) {
    const p = join(dir, n);
    if (statSync(p).isDirectory()) walk(p, ext, out);
    else if (ext.test(n)) out.push(p);
  }
  return out;
}

const T1216 = /^T1216(\.\d{3})?$/i;

/** Independent counts from the raw corpus files: YAML / TOML text read with a simple scan, not the project's parsers. */
function independent(shared: string): { sigma: string[]; elastic: string[]; splunk: string[]; sigmaProcessCreation: number } {
  const sigma: string[] = [];
  let sigmaProcessCreation = 0;
  for (const f of walk(join(shared, 'corpora/sigma'), /\.ya?ml$/)) {
    const text = readFileSync(f, 'utf8');
    if (!/attack\.t1216/i.test(text)) continue;
    for (const doc of parseAllDocuments(text)) {
      const d = doc.toJS() as { tags?: unknown; logsource?: { category?: string } } | null;
      const tags = Array.isArray(d?.tags) ? d.tags.map(String) : [];
      if (tags.some((t) => T1216.test(t.replace(/^attack\./i, '')))) {
        sigma.push(f);
        if (d?.logsource?.category === 'process_creation') sigmaProcessCreation++;
      }
    }
  }
  const elastic = walk(join(shared, 'corpora/elastic'), /\.toml$/)
    .filter((f) => /^\s*id\s*=\s*"T1216(\.\d{3})?"\s*$/m.test(readFileSync(f, 'utf8')));
  const splunk = walk(join(shared, 'corpora/splunk/detections'), /\.ya?ml$/).filter((f) => {
    try {
      const d = parse(readFileSync(f, 'utf8')) as { tags?: { mitre_attack_id?: unknown } } | null;
      const ids = d?.tags?.mitre_attack_id;
      return Array.isArray(ids) && ids.some((x) => T1216.test(String(x)));
    } catch {
      return false;
    }
  });
  return { sigma, elastic, splunk, sigmaProcessCreation };
}

test('guide T1216 over the full shared corpora (acceptance of issue 4)', { timeout: 300_000 }, async (t) => {
  const shared = requireShared(t, 'the T1216 acceptance');
  if (!shared) return;
  const dir = tempDir();
  const dbPath = join(dir, 'catalog.duckdb');
  const db = await openDb(dbPath);
  try {
    const s = await buildCatalog(db, {
      sigma: [join(shared, 'corpora/sigma')], elastic: [join(shared, 'corpora/elastic')], splunk: [join(shared, 'corpora/splunk')],
    });
    t.diagnostic(`build: ${s.files} files, ${s.rules} rules, ${s.parsed} parsed, ${s.partial} partial, ${s.failed} failed, ${s.problems} problems, ${s.seconds.toFixed(1)} s`);
    assert.deepEqual(s.runProblems, []);

    const ind = independent(shared);
    // Sigma files tagged T1216 that the catalog could not read must be recorded as parse problems, not dropped.
    const failed = new Set((await rows(db, `SELECT path FROM rules WHERE parse_status = 'failed'`)).map((r) => String(r.path)));
    const sigmaFailed = ind.sigma.filter((f) => failed.has(f));
    for (const f of sigmaFailed) {
      const n = await rows(db, `SELECT count(*) AS n FROM parse_problems WHERE file = $1`, [f]);
      assert.ok(Number(n[0].n) > 0, `${f}: failed without a recorded problem`);
    }
    const expected = { sigma: ind.sigma.length - sigmaFailed.length, elastic: ind.elastic.length, splunk: ind.splunk.length };
    t.diagnostic(`independent: sigma ${ind.sigma.length} tagged (${sigmaFailed.length} unreadable by the Sigma parser), elastic ${ind.elastic.length}, splunk ${ind.splunk.length}`);

    const g = (await computeGuide(db, 'T1216'))!;
    assert.deepEqual(g.rules.by_vendor, expected);
    assert.equal(g.rules.total, expected.sigma + expected.elastic + expected.splunk);
    assert.ok(expected.sigma > 0 && expected.elastic > 0 && expected.splunk > 0, 'all three vendors have T1216 rules');
    assert.deepEqual(new Set(g.rules.list.filter((r) => r.vendor === 'elastic').map((r) => r.path)), new Set(ind.elastic));
    assert.deepEqual(new Set(g.rules.list.filter((r) => r.vendor === 'splunk').map((r) => r.path)), new Set(ind.splunk));
    assert.deepEqual(new Set(g.rules.list.filter((r) => r.vendor === 'sigma').map((r) => r.path)), new Set(ind.sigma.filter((f) => !failed.has(f))));
    // sub-technique rules count toward the parent and are marked
    const subs = g.rules.list.filter((r) => r.subtechniques.length > 0);
    const rawSubs = ind.sigma.filter((f) => /attack\.t1216\.\d{3}/i.test(readFileSync(f, 'utf8')) && !failed.has(f));
    assert.equal(subs.filter((r) => r.vendor === 'sigma').length, rawSubs.length);

    // events: every Sigma process_creation rule, the Elastic and Splunk rules (process events) too
    const pc = g.events_covered.find((e) => e.event === 'process_creation');
    assert.equal(pc?.rules, ind.sigmaProcessCreation + expected.elastic + expected.splunk);

    // one Image row for Sigma's Image, Elastic's process.name and Splunk's Processes.process_name
    const image = g.fields.find((f) => f.field === 'Image')!;
    assert.ok(image.vendor_fields.sigma?.includes('Image'));
    assert.ok(image.vendor_fields.elastic?.includes('process.name'));
    assert.ok(image.vendor_fields.splunk?.includes('Processes.process_name'));
    const cmd = g.fields.find((f) => f.field === 'CommandLine')!;
    assert.ok(cmd.vendor_fields.splunk?.includes('Processes.process'));
    assert.ok(cmd.rules >= 10 && (cmd.operators.contains ?? 0) >= 10, JSON.stringify(cmd));

    // the cscript indicator: Sigma Image|endswith, Elastic process.name : (...), Splunk process_name IN (...)
    const cscript = g.indicators.find((i) => i.field === 'Image' && i.op === 'ends_with' && i.value === '\\cscript.exe')!;
    assert.ok(cscript, 'Image ends_with \\cscript.exe is an indicator');
    const cscriptRules = new Set((await rows(db, `SELECT DISTINCT r.vendor FROM predicates p JOIN rules r ON r.uid = p.rule_uid JOIN rule_techniques t ON t.rule_uid = r.uid
        WHERE t.parent_id = 'T1216' AND p.field = 'Image' AND p.value_norm = '\\cscript.exe' AND NOT p.exclusion`)).map((r) => String(r.vendor)));
    assert.deepEqual(cscriptRules, new Set(['sigma', 'elastic', 'splunk']));
    assert.ok(cscript.corpus_reach > 50 && cscript.corpus_reach >= cscript.rules, `corpus reach ${cscript.corpus_reach}`);
    const pubprn = g.indicators.find((i) => i.value === '\\pubprn.vbs')!;
    assert.equal(pubprn.field, 'CommandLine');
    assert.equal(pubprn.corpus_reach, 1);

    // exclusions: Sigma `and not filter`, and the Elastic sequence stage's `not (...)` clauses
    assert.ok(g.exclusions.some((e) => e.field === 'Image' && e.op === 'starts_with' && e.value === 'c:\\windows\\system32\\'));
    assert.ok(g.exclusions.some((e) => e.field === 'CurrentDirectory' && e.op === 'wildcard' && e.value === '?:\\users\\*\\appdata\\local\\temp\\qbtools\\'));
    assert.ok(g.exclusions.some((e) => e.field === 'ParentCommandLine' && e.op === 'contains' && e.value === 'screenconnectconfigurator.cmd'));

    // coverage goals of issue 4
    const st = await catalogStats(db);
    for (const v of st.vendors) {
      t.diagnostic(`coverage ${v.vendor}: ${(v.coverage * 100).toFixed(1)}% (${v.coverage_with_predicates}/${v.coverage_base}), goal ${v.coverage_goal * 100}%`);
      assert.ok(v.coverage >= v.coverage_goal, `${v.vendor} coverage ${v.coverage}`);
    }
    db.close();

    // the CLI prints exactly the contract shape
    const out = execFileSync(process.execPath, ['bin/detectory.js', 'guide', 'T1216', '--json', '--db', dbPath], { encoding: 'utf8' });
    const j = JSON.parse(out) as Record<string, unknown>;
    assert.deepEqual(Object.keys(j), ['technique', 'rules', 'events_covered', 'fields', 'indicators', 'exclusions']);
    assert.deepEqual(Object.keys(j.technique as object), ['id', 'name', 'tactics']);
    assert.deepEqual(Object.keys(j.rules as object), ['total', 'by_vendor', 'list']);
    assert.deepEqual(j.rules, JSON.parse(JSON.stringify(g.rules)));
    const f0 = (j.fields as object[])[0];
    assert.deepEqual(Object.keys(f0), ['field', 'vendor_fields', 'rules', 'operators', 'samples']);
    assert.deepEqual(Object.keys((j.indicators as object[])[0]), ['field', 'op', 'value', 'rules', 'corpus_reach']);
    assert.deepEqual(Object.keys((j.exclusions as object[])[0]), ['field', 'op', 'value', 'rules']);
    assert.deepEqual(Object.keys((j.events_covered as object[])[0]), ['event', 'rules']);
  } finally {
    try {
      db.close();
    } catch {
      // closed above
    }
    rmSync(dir, { recursive: true, force: true });
  }
});
