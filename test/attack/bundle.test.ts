import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { BundleError, readBundle } from '../../src/attack/bundle.js';
import { importAttack, type AttackProblem } from '../../src/attack/import.js';
import { loadKnowledgeBase } from '../../src/attack/kb.js';
import { compareReleases, parseFileSpec, releaseFromFileName } from '../../src/attack/release.js';
import { resolveInKb } from '../../src/attack/resolve.js';
import { openDb, type Db } from '../../src/store/db.js';
import { tinyBundle } from './tiny.js';

describe('bundle loading and bad input', () => {
  let dir: string;
  let db: Db;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'detectory-bundle-test-'));
    db = await openDb(join(dir, 't.duckdb'));
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, content: string | Buffer): string => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };

  test('release names: collection, then MITRE file name, then FILE@RELEASE', async () => {
    assert.deepEqual(releaseFromFileName('/x/enterprise-attack-18.1.json.gz'), { domain: 'enterprise-attack', release: '18.1' });
    assert.equal(releaseFromFileName('/x/attack.json'), undefined);
    assert.deepEqual(parseFileSpec('a/b.json@19.0'), { path: 'a/b.json', release: '19.0' });
    assert.deepEqual(parseFileSpec('a/b@c/d.json'), { path: 'a/b@c/d.json' });
    assert.deepEqual(['18.1', '9.0', '18.0', '17.1'].sort(compareReleases), ['9.0', '17.1', '18.0', '18.1']);

    const withCollection = write('whatever.json', JSON.stringify(tinyBundle([], '19.2')));
    assert.equal((await readBundle({ path: withCollection })).release, '19.2');
    const named = write('enterprise-attack-5.1.json.gz', gzipSync(JSON.stringify(tinyBundle())));
    const b = await readBundle({ path: named });
    assert.deepEqual([b.release, b.releaseSource, b.domain], ['5.1', 'file-name', 'enterprise-attack']);
    const plain = write('plain.json', JSON.stringify(tinyBundle()));
    assert.equal((await readBundle(parseFileSpec(`${plain}@7.7`))).release, '7.7');
    await assert.rejects(readBundle({ path: plain }), /cannot tell which ATT&CK release/);
  });

  test('not a bundle, truncated JSON, truncated gzip, missing file: one clear line each, the other files still import', async () => {
    const files = [
      write('enterprise-attack-1.0.json', JSON.stringify([{ type: 'attack-pattern' }])),
      write('enterprise-attack-1.1.json', JSON.stringify({ type: 'report', objects: [] })),
      write('enterprise-attack-1.2.json', JSON.stringify(tinyBundle()).slice(0, 200)),
      write('enterprise-attack-1.3.json.gz', gzipSync(JSON.stringify(tinyBundle())).subarray(0, 60)),
      join(dir, 'enterprise-attack-1.4.json'),
      write('enterprise-attack-2.0.json', JSON.stringify(tinyBundle())),
    ];
    const problems: AttackProblem[] = [];
    const s = await importAttack(db, files, (p) => problems.push(p));
    assert.deepEqual(s.releases.map((r) => r.release), ['2.0']);
    assert.equal(s.failed.length, 5);
    for (const p of problems) assert.ok(!p.message.includes('\n'), `one line: ${p.message}`);
    const msg = (i: number) => problems.find((p) => p.file === files[i])!.message;
    assert.match(msg(0), /not a STIX bundle/);
    assert.match(msg(1), /not a STIX bundle \(type is "report"/);
    assert.match(msg(2), /not valid JSON .*truncated/);
    assert.match(msg(3), /not a readable gzip file/);
    assert.match(msg(4), /cannot read \(ENOENT\)/);
    assert.equal(problems.find((p) => p.file === files[4])!.unreadable, true);
    const n = (await db.conn.runAndReadAll(`SELECT count(DISTINCT release) AS n FROM attack_objects`)).getRowObjectsJson()[0].n;
    assert.equal(Number(n), 1, 'nothing half-written for the failed files');
  });

  test('unknown object types are kept, marked and reported; objects without id are skipped and reported', async () => {
    const p = write('enterprise-attack-3.0.json', JSON.stringify(tinyBundle([
      { type: 'x-mitre-future-thing', id: 'x-mitre-future-thing--1', name: 'Future', external_references: [{ source_name: 'mitre-attack', external_id: 'FT0001' }] },
      { type: 'attack-pattern', name: 'no id' },
      'not an object',
    ])));
    const problems: AttackProblem[] = [];
    const s = await importAttack(db, [p], (x) => problems.push(x));
    assert.deepEqual(s.releases[0].unknownTypes, { 'x-mitre-future-thing': 1 });
    assert.ok(problems.some((x) => /1 object\(s\) of unknown type "x-mitre-future-thing": kept/.test(x.message)));
    assert.equal(problems.filter((x) => /skipped/.test(x.message)).length, 2);
    const row = (await db.conn.runAndReadAll(`SELECT kind FROM attack_objects WHERE release = '3.0' AND type = 'x-mitre-future-thing'`)).getRowObjectsJson();
    assert.deepEqual(row, [{ kind: 'unknown' }]);
    const kb = await loadKnowledgeBase(db, '3.0');
    assert.equal(resolveInKb(kb, 'FT0001')?.obj.kind, 'unknown');
  });

  test('a revoked object resolves to its replacement; the history spans releases', async () => {
    const kb = await loadKnowledgeBase(db);
    assert.equal(kb.release, '3.0');
    const r = resolveInKb(kb, 't0002')!;
    assert.equal(r.obj.attackId, 'T0001');
    assert.equal(r.revokedChain[0].attackId, 'T0002');
    const h = (await db.conn.runAndReadAll(
      `SELECT release, present, change FROM attack_history WHERE stix_id = 'x-mitre-future-thing--1' ORDER BY ordinal`)).getRowObjectsJson();
    assert.deepEqual(h, [{ release: '2.0', present: false, change: 'absent' }, { release: '3.0', present: true, change: 'added' }]);
  });

  test('releases imported out of order are put in version order, and the history follows', async () => {
    const p = write('enterprise-attack-2.5.json', JSON.stringify(tinyBundle()));
    const s = await importAttack(db, [p]);
    assert.deepEqual(s.failed, []);
    const rel = (await db.conn.runAndReadAll('SELECT release FROM attack_releases ORDER BY ordinal')).getRowObjectsJson().map((r) => r.release);
    assert.deepEqual(rel, ['2.0', '2.5', '3.0']);
    const h = (await db.conn.runAndReadAll(
      `SELECT release, change FROM attack_history WHERE stix_id = 'x-mitre-future-thing--1' ORDER BY ordinal`)).getRowObjectsJson();
    assert.deepEqual(h, [{ release: '2.0', change: 'absent' }, { release: '2.5', change: 'absent' }, { release: '3.0', change: 'added' }]);
    const t = (await db.conn.runAndReadAll(
      `SELECT release, change FROM attack_history WHERE stix_id = 'attack-pattern--1' ORDER BY ordinal`)).getRowObjectsJson();
    assert.deepEqual(t.map((r) => r.change), ['initial', 'unchanged', 'unchanged']);
  });

  test('STIX 2.1 bundles (no bundle spec_version, objects carry it) load', async () => {
    const b = tinyBundle() as { spec_version?: string; objects: Array<Record<string, unknown>> };
    delete b.spec_version;
    for (const o of b.objects) o.spec_version = '2.1';
    const p = write('enterprise-attack-4.0.json', JSON.stringify(b));
    const got = await readBundle({ path: p });
    assert.equal(got.specVersion, '2.1');
    assert.equal(got.objects.length, b.objects.length);
  });

  test('BundleError carries the path', () => {
    assert.match(new BundleError('/a/b.json', 'bad').message, /^\/a\/b\.json: bad$/);
  });
});
