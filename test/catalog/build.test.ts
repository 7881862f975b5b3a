import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { buildCatalog } from '../../src/catalog/build.js';
import { computeGuide } from '../../src/catalog/guide.js';
import { catalogStats } from '../../src/catalog/stats.js';
import { findRules } from '../../src/catalog/rule-detail.js';
import { rows } from '../../src/catalog/query.js';
import { FAKE_PARSERS, and, not, or, pred, withDb, write } from './fixtures.js';

/** A small three-vendor corpus: T1216 (and a sub-technique), another technique sharing an indicator, bad files. */
function corpus(dir: string): { sigma: string; elastic: string; splunk: string } {
  const sigma = join(dir, 'sigma');
  const elastic = join(dir, 'elastic');
  const splunk = join(dir, 'splunk');
  write(join(sigma, 'a.yml'), [{
    id: 's1', title: 'Pubprn', techniques: ['T1216.001'], tactics: ['defense-evasion'], logsource: { product: 'windows', category: 'process_creation' },
    detection: and(pred('Image', 'ends_with', ['\\cscript.exe']), pred('CommandLine', 'contains', ['\\pubprn.vbs', 'script:']),
      not(or(pred('ParentImage', 'starts_with', ['C:\\Windows\\System32\\']), pred('User', 'eq', ['SYSTEM'])))),
  }]);
  write(join(sigma, 'b.yml'), [{
    id: 's2', title: 'Other technique', techniques: ['T1059'], logsource: { product: 'windows', category: 'process_creation' },
    detection: and(pred('Image', 'ends_with', ['\\CSCRIPT.EXE'])),
  }, {
    id: 's3', title: 'Case-sensitive', techniques: ['T1059'], logsource: { product: 'windows', category: 'process_creation' },
    detection: pred('Image', 'ends_with', ['\\CScript.exe'], { cased: true }),
  }]);
  write(join(sigma, 'bad.yml'), '[{"id": ');
  write(join(elastic, 'r.toml'), `# elastic\n${JSON.stringify([{
    id: 'e1', title: 'Elastic T1216', type: 'eql', language: 'eql', techniques: ['T1216'], tags: ['OS: Windows'],
    logsource: { product: 'windows', category: 'process_creation' },
    detection: and(pred('process.name', 'in', ['cscript.exe', 'wscript.exe']), pred('process.command_line', 'contains', ['pubprn.vbs']),
      not(pred('process.parent.name', 'eq', ['explorer.exe']))),
  }, { id: 'e2', title: 'ML', type: 'machine_learning', language: 'none', techniques: ['T1216'] },
  { id: 'e3', title: 'Unknown', type: 'unknown', language: 'kuery', techniques: ['T1216'], query: 'x' }])}`);
  write(join(splunk, 'detections', 'endpoint', 'd.yml'), [{
    id: 'k1', title: 'Splunk T1216', type: 'TTP', techniques: ['T1216', 'T1218'], query: '| tstats count from datamodel=Endpoint.Processes where Processes.process_name=cscript.exe',
    detection: and(pred('Processes.process_name', 'eq', ['cscript.exe']), pred('Processes.process', 'wildcard', ['*pubprn.vbs*'])),
  }]);
  write(join(splunk, 'macros', 'm.yml'), 'name: x');
  return { sigma, elastic, splunk };
}

test('build: rules, predicates with canonical and authored fields, exclusions, techniques, problems', () => withDb(async (db, dir) => {
  const c = corpus(dir);
  const s = await buildCatalog(db, { sigma: [c.sigma], elastic: [c.elastic], splunk: [c.splunk], parsers: FAKE_PARSERS });
  assert.equal(s.files, 5);
  assert.equal(s.rules, 8); // 3 sigma + 1 failed placeholder + 3 elastic + 1 splunk
  assert.equal(s.failed, 1);
  assert.equal(s.partial, 2); // e3 (no predicates) and e1 (its file has a problem); e2 is ML: parsed, no predicates by design
  assert.equal(s.problems, 2);

  const probs = await rows(db, `SELECT file, line, "column", reason FROM parse_problems ORDER BY reason`);
  assert.deepEqual(probs.map((p) => [String(p.file).split('/').pop(), p.line, p.reason]), [['bad.yml', 1, 'malformed-json'], ['r.toml', 2, 'unknown-rule-type']]);

  const e1 = await rows(db, `SELECT field, vendor_field, op, value, authored_value, exclusion, negated FROM predicates WHERE rule_id = 'e1' ORDER BY tree_path, value_index`);
  assert.deepEqual(e1, [
    { field: 'Image', vendor_field: 'process.name', op: 'ends_with', value: '\\cscript.exe', authored_value: 'cscript.exe', exclusion: false, negated: false },
    { field: 'Image', vendor_field: 'process.name', op: 'ends_with', value: '\\wscript.exe', authored_value: 'wscript.exe', exclusion: false, negated: false },
    { field: 'CommandLine', vendor_field: 'process.command_line', op: 'contains', value: 'pubprn.vbs', authored_value: 'pubprn.vbs', exclusion: false, negated: false },
    { field: 'ParentImage', vendor_field: 'process.parent.name', op: 'ends_with', value: '\\explorer.exe', authored_value: 'explorer.exe', exclusion: true, negated: true },
  ]);
  const k1 = await rows(db, `SELECT field, op, value FROM predicates WHERE rule_id = 'k1' ORDER BY tree_path`);
  assert.deepEqual(k1, [{ field: 'Image', op: 'ends_with', value: '\\cscript.exe' }, { field: 'CommandLine', op: 'wildcard', value: '*pubprn.vbs*' }]);

  const t = await rows(db, `SELECT rule_id, technique_id, parent_id, is_subtechnique FROM rule_techniques ORDER BY rule_id, technique_id`);
  assert.deepEqual(t.find((r) => r.rule_id === 's1'), { rule_id: 's1', technique_id: 'T1216.001', parent_id: 'T1216', is_subtechnique: true });

  const st = await rows(db, `SELECT id, parse_status, parse_note FROM rules ORDER BY vendor, id`);
  const status = Object.fromEntries(st.map((r) => [r.id, r.parse_status]));
  assert.equal(status.e1, 'partial');
  assert.equal(status.e2, 'parsed');
  assert.equal(st.find((r) => r.id === 'e2')?.parse_note, 'machine-learning rule: no query, no predicates');
  assert.equal(status.s1, 'parsed');
  assert.equal(status.k1, 'parsed');
  assert.ok(st.some((r) => r.parse_status === 'failed' && String(r.parse_note).startsWith('malformed-json')));

  const events = await rows(db, `SELECT rule_uid, event FROM rule_events WHERE event = 'process_creation'`);
  assert.equal(events.length, 5); // s1 s2 s3 e1 (logsource) k1 (datamodel)

  const found = await findRules(db, 'e1');
  assert.equal(found.length, 1);
  assert.equal(found[0].predicates.length, 4);
  assert.equal((await findRules(db, join(c.sigma, 'a.yml')))[0].id, 's1');

  const stats = await catalogStats(db);
  assert.deepEqual(stats.vendors.map((v) => [v.vendor, v.rules, v.failed]), [['sigma', 4, 1], ['elastic', 3, 0], ['splunk', 1, 0]]);
}));

test('guide: rules by vendor, sub-techniques marked, fields merged across vendors, indicators with corpus reach, exclusions', () => withDb(async (db, dir) => {
  const c = corpus(dir);
  await buildCatalog(db, { sigma: [c.sigma], elastic: [c.elastic], splunk: [c.splunk], parsers: FAKE_PARSERS });
  const g = (await computeGuide(db, 't1216'))!;
  assert.equal(g.technique.id, 'T1216');
  assert.equal(g.rules.total, 5);
  assert.deepEqual(g.rules.by_vendor, { sigma: 1, elastic: 3, splunk: 1 });
  assert.deepEqual(g.rules.list.find((r) => r.id === 's1')?.subtechniques, ['T1216.001']);
  assert.deepEqual(g.rules.list.find((r) => r.id === 'e1')?.subtechniques, []);
  assert.deepEqual(g.events_covered, [{ event: 'process_creation', rules: 3 }]);

  const image = g.fields.find((f) => f.field === 'Image')!;
  assert.equal(image.rules, 3);
  assert.deepEqual(image.vendor_fields, { elastic: ['process.name'], sigma: ['Image'], splunk: ['Processes.process_name'] });
  assert.deepEqual(image.operators, { ends_with: 3 });
  assert.equal(image.samples[0], '\\cscript.exe');

  const cscript = g.indicators.find((i) => i.field === 'Image' && i.value === '\\cscript.exe')!;
  assert.equal(cscript.op, 'ends_with');
  assert.equal(cscript.rules, 3);
  assert.equal(cscript.corpus_reach, 4); // + s2 (\CSCRIPT.EXE, case-insensitive); s3 is case-sensitive: a different value
  const inOp = g.indicators.find((i) => i.value === '\\wscript.exe')!;
  assert.equal(inOp.op, 'ends_with');

  assert.deepEqual(g.exclusions.map((e) => [e.field, e.op, e.value, e.rules]), [
    ['ParentImage', 'ends_with', '\\explorer.exe', 1],
    ['ParentImage', 'starts_with', 'c:\\windows\\system32\\', 1],
    ['User', 'eq', 'system', 1],
  ]);
  assert.ok(!g.indicators.some((i) => i.field === 'User'));

  const sub = (await computeGuide(db, 'T1216.001'))!;
  assert.equal(sub.rules.total, 1);
  assert.equal(await computeGuide(db, 'nonsense'), undefined);
}));

test('incremental rebuild: unchanged files are not parsed, changed and removed files are replaced', () => withDb(async (db, dir) => {
  const c = corpus(dir);
  let calls = 0;
  const counting = { ...FAKE_PARSERS, sigma: (p: string) => { calls++; return FAKE_PARSERS.sigma!(p); } };
  const opts = { sigma: [c.sigma], elastic: [c.elastic], splunk: [c.splunk], parsers: counting };
  await buildCatalog(db, opts);
  assert.equal(calls, 3);
  const again = await buildCatalog(db, opts);
  assert.equal(calls, 3);
  assert.equal(again.parsedFiles, 0);
  assert.equal(again.rules, 8);

  // touched but same content: not parsed again
  utimesSync(join(c.sigma, 'a.yml'), new Date(), new Date(Date.now() + 5000));
  const touched = await buildCatalog(db, opts);
  assert.equal(calls, 3);
  assert.equal(touched.rules, 8);

  // changed content: parsed again, its rows replaced
  write(join(c.sigma, 'b.yml'), [{ id: 's2b', title: 'Changed', techniques: ['T1216'], detection: pred('Image', 'ends_with', ['\\x.exe']) }]);
  const changed = await buildCatalog(db, opts);
  assert.equal(calls, 4);
  assert.equal(changed.parsedFiles, 1);
  assert.equal(changed.rules, 7);
  assert.equal((await rows(db, `SELECT count(*) AS n FROM predicates WHERE rule_id IN ('s2', 's3')`))[0].n, 0);

  // a changed Splunk macro: every Splunk detection is parsed again (macros expand into their searches)
  let splunkCalls = 0;
  const counting2 = { ...counting, splunk: (p: string, m: unknown) => { splunkCalls++; return FAKE_PARSERS.splunk!(p, m); } };
  await buildCatalog(db, { ...opts, parsers: counting2 });
  assert.equal(splunkCalls, 0);
  write(join(c.splunk, 'macros', 'm.yml'), 'name: x\ndefinition: changed\n');
  await buildCatalog(db, { ...opts, parsers: counting2 });
  assert.equal(splunkCalls, 1);

  // removed file and folder no longer given: rows gone
  rmSync(join(c.sigma, 'bad.yml'));
  const removed = await buildCatalog(db, { ...opts, splunk: [] });
  assert.equal(removed.removedFiles, 2);
  assert.equal(removed.failed, 0);
  assert.equal((await rows(db, `SELECT count(*) AS n FROM rules WHERE vendor = 'splunk'`))[0].n, 0);
  assert.equal((await rows(db, `SELECT count(*) AS n FROM parse_problems WHERE file LIKE '%bad.yml'`))[0].n, 0);
}));

test('a missing parser is reported, its files skipped, the rest built', () => withDb(async (db, dir) => {
  const c = corpus(dir);
  const s = await buildCatalog(db, { sigma: [c.sigma], elastic: [c.elastic], parsers: { ...FAKE_PARSERS, elastic: undefined, missing: { elastic: 'not there' } } });
  assert.equal(s.rules, 4);
  assert.deepEqual(s.runProblems.map((p) => p.reason), ['parser-unavailable']);
  const nope = await buildCatalog(db, { sigma: [join(dir, 'nope')], parsers: FAKE_PARSERS });
  assert.deepEqual(nope.runProblems.map((p) => p.reason), ['unreadable']);
}));
