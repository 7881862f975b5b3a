import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importAttack } from '../../src/attack/import.js';
import { ensureCatalogSchema } from '../../src/catalog/schema.js';
import { openDb, type Db } from '../../src/store/db.js';
import { attackIdFromUrl, exportVault, VAULT_MARKER, VaultError } from '../../src/vault/export.js';
import { sharedDir } from '../helpers/shared.js';
import { importedDb, rawBundle, type Fixture } from '../attack/fixture.js';
import { tinyBundle } from '../attack/tiny.js';
import { frontMatterOf, isPortableName, linkTargets, notePaths, readNote } from './check.js';

function checkVault(root: string, sample: (paths: string[]) => string[]): { notes: number; links: number } {
  const paths = notePaths(root);
  const set = new Set(paths);
  let links = 0;
  for (const p of paths) {
    for (const part of p.split('/')) assert.ok(isPortableName(part), `portable name: ${p}`);
    for (const target of linkTargets(readNote(root, p))) {
      links++;
      assert.ok(set.has(target), `${p} links to [[${target}]] which is not a note`);
    }
  }
  const lower = new Set(paths.map((p) => p.toLowerCase()));
  assert.equal(lower.size, paths.length, 'paths unique case-insensitively');
  for (const p of sample(paths)) {
    const fm = frontMatterOf(readNote(root, p));
    for (const key of ['id', 'name', 'type']) assert.ok(key in fm, `${p}: front matter has ${key}`);
  }
  return { notes: paths.length, links };
}

describe('vault export of a small hostile bundle', () => {
  let dir: string;
  let db: Db;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'detectory-vault-test-'));
    db = await openDb(join(dir, 'v.duckdb'));
    const evil = 'Bad\n---\nid: injected\n[[Nowhere]] [^9] <img src=x onerror=alert(1)> (Citation: Ref A) [T0001](https://attack.mitre.org/techniques/T0001)';
    const bundle = tinyBundle([
      { type: 'intrusion-set', id: 'intrusion-set--1', name: '../../CON|[[evil]]#^', description: evil, external_references: [
        { source_name: 'mitre-attack', external_id: 'G0001' }, { source_name: 'Ref A', description: 'A ref [[x]]', url: 'https://example.org/a' }] },
      { type: 'intrusion-set', id: 'intrusion-set--2', name: '../../con|[[EVIL]]#^', external_references: [{ source_name: 'mitre-attack', external_id: 'G0002' }] },
      { type: 'relationship', id: 'relationship--2', relationship_type: 'uses', source_ref: 'intrusion-set--1', target_ref: 'attack-pattern--1', description: evil },
    ]);
    writeFileSync(join(dir, 'enterprise-attack-1.0.json'), JSON.stringify(bundle));
    await importAttack(db, [join(dir, 'enterprise-attack-1.0.json')]);
    await ensureCatalogSchema(db);
    await db.conn.run(`INSERT INTO rules (uid, id, title, vendor, path, status, level, description) VALUES
      ('x.yml#0', 'r-1', '[[pwn]] ---
<b>|CON', '../sigma', 'x.yml', 'test', 'high', '[[pwn2]] <script>'),
      ('y.yml#0', 'r-2', '[[pwn]] ---
<b>|con', '../sigma', 'y.yml', 'test', 'low', NULL)`);
    for (const [uid, t] of [['x.yml#0', 'T0001'], ['x.yml#0', 'T0002'], ['x.yml#0', 'T9999'], ['y.yml#0', 'T0001']]) {
      await db.conn.run(`INSERT INTO rule_techniques (rule_uid, rule_id, vendor, path, technique_id) VALUES ($1, 'r', '../sigma', 'x.yml', $2)`, [uid, t]);
    }
  });
  after(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('notes stay inside the vault, parse, and every link resolves', async () => {
    const out = join(dir, 'vault');
    const s = await exportVault(db, out);
    assert.equal(s.release, '1.0');
    const { notes } = checkVault(out, (p) => p);
    assert.equal(notes, s.notes);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), [], 'no temporary folder left');
    const groups = notePaths(out).filter((p) => p.startsWith('groups/'));
    assert.equal(groups.length, 2);
    const g = readNote(out, groups.find((p) => p.includes('G0001'))!);
    assert.equal(frontMatterOf(g).mitre_id, 'G0001');
    assert.ok(!g.includes('<img'));
    assert.match(g, /\[\^1\]/, 'citation becomes a footnote');
    assert.match(g, /\[\[techniques\/T0001 New Technique\|T0001\]\]/, 'ATT&CK link becomes a wiki link');
    const rules = notePaths(out).filter((p) => p.startsWith('rules/'));
    assert.equal(rules.length, 2, 'one note per catalog rule');
    assert.equal(new Set(rules.map((p) => p.toLowerCase())).size, 2);
    const r = readNote(out, rules[0]);
    assert.equal(frontMatterOf(r).type, 'rule');
    assert.ok(!r.includes('<script'));
    const t = readNote(out, 'techniques/T0001 New Technique');
    assert.equal(linkTargets(t).filter((x) => x.startsWith('rules/')).length, 2, 'technique note links its rules');
  });

  test('an existing folder: replaced when it is a previous vault, refused otherwise; nothing half-written', async () => {
    const out = join(dir, 'vault');
    assert.ok(existsSync(join(out, VAULT_MARKER)));
    await exportVault(db, out);
    const other = join(dir, 'notes');
    mkdirSync(other);
    writeFileSync(join(other, 'mine.md'), 'keep me');
    await assert.rejects(exportVault(db, other), VaultError);
    assert.deepEqual(readdirSync(other), ['mine.md']);
    await assert.rejects(exportVault(db, join(dir, 'missing-parent', 'vault')), /does not exist/);
    assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  });

  test('ATT&CK URLs map to ids', () => {
    assert.equal(attackIdFromUrl('https://attack.mitre.org/techniques/T1059/001'), 'T1059.001');
    assert.equal(attackIdFromUrl('https://attack.mitre.org/detectionstrategies/DET0466#AN1288'), 'AN1288');
    assert.equal(attackIdFromUrl('https://example.org/techniques/T1059'), undefined);
  });
});

const shared = sharedDir();

describe('vault export of ATT&CK 18.1', { skip: shared ? false : 'DETECTORY_SHARED is not set: needs ../shared/attack' }, () => {
  let fx: Fixture;
  before(async () => {
    fx = await importedDb(shared!, ['18.0', '18.1']);
  });
  after(() => fx?.close());

  test('one note per object of the vault kinds; front matter on a sample; every link resolves', async () => {
    const out = join(fx.dir, 'vault');
    const s = await exportVault(fx.db, out);
    const kinds: Record<string, string> = {
      'attack-pattern': 'technique', 'x-mitre-tactic': 'tactic', 'x-mitre-analytic': 'analytic', 'x-mitre-detection-strategy': 'detection-strategy',
      'course-of-action': 'mitigation', 'intrusion-set': 'group', malware: 'software', tool: 'software', campaign: 'campaign',
      'x-mitre-data-component': 'data-component', 'x-mitre-data-source': 'data-source',
    };
    const expected: Record<string, number> = {};
    for (const o of rawBundle(shared!, '18.1').objects) if (kinds[o.type]) expected[kinds[o.type]] = (expected[kinds[o.type]] ?? 0) + 1;
    assert.deepEqual(s.byKind, expected);
    const { notes, links } = checkVault(out, (paths) => paths.filter((_, i) => i % 25 === 0));
    assert.equal(notes, s.notes);
    assert.ok(links > 10000);
    const t = readNote(out, 'techniques/T1216 System Script Proxy Execution');
    const fm = frontMatterOf(t);
    assert.equal(fm.mitre_id, 'T1216');
    assert.equal(fm.type, 'technique');
    assert.deepEqual(fm.tactics, ['[[tactics/TA0005 Defense Evasion|TA0005 Defense Evasion]]']);
    assert.match(t, /\[\[analytics\/AN1288 Analytic 1288\|AN1288 Analytic 1288\]\]/);
    assert.match(t, /## History/);
    const an = readNote(out, 'analytics/AN1288 Analytic 1288');
    assert.equal((an.match(/^\| WinEventLog:/gm) ?? []).length, 5);
    assert.equal(basename(out), 'vault');
  });
});
