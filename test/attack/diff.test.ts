import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import type { AttackDiff } from '../../src/attack/diff.js';
import { cli } from '../helpers/cli.js';
import { fullCatalog } from '../helpers/full-catalog.js';
import { requireShared } from '../helpers/shared.js';

type Stix = { id: string; type: string; name?: string; revoked?: boolean; x_mitre_deprecated?: boolean; external_references?: Array<{ source_name?: string; external_id?: string }> };

/** One release's STIX objects by id, read straight from the shared bundle (.json or .json.gz). */
function bundle(shared: string, release: string): Map<string, Stix> {
  const dir = join(shared, 'attack');
  let raw: Buffer;
  try {
    raw = readFileSync(join(dir, `enterprise-attack-${release}.json`));
  } catch {
    raw = gunzipSync(readFileSync(join(dir, `enterprise-attack-${release}.json.gz`)));
  }
  const objs = (JSON.parse(raw.toString('utf8')) as { objects: Stix[] }).objects;
  return new Map(objs.map((o) => [o.id, o]));
}

const attackId = (o: Stix): string => o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id ?? '';

/** Counts per type computed from the raw bundles: added (new and live), newly revoked, newly deprecated. */
function expected(a: Map<string, Stix>, b: Map<string, Stix>, type: string) {
  const live = (o: Stix): boolean => !o.revoked && !o.x_mitre_deprecated;
  const of = [...b.values()].filter((o) => o.type === type);
  return {
    added: of.filter((o) => !a.has(o.id) && live(o)).map(attackId).sort(),
    revoked: of.filter((o) => o.revoked && !a.get(o.id)?.revoked).map(attackId).sort(),
    deprecated: of.filter((o) => o.x_mitre_deprecated && !o.revoked && !a.get(o.id)?.x_mitre_deprecated).map(attackId).sort(),
  };
}

const ids = (l: Array<{ id: string }>): string[] => l.map((x) => x.id).sort();

for (const [from, to] of [['17.1', '18.1'], ['18.0', '18.1']]) {
  test(`attack diff ${from} ${to} matches counts recomputed from the raw bundles`, async (t) => {
    const shared = requireShared(t, 'attack diff over the shared bundles');
    if (!shared) return;
    const db = await fullCatalog(shared);
    const r = cli(['attack', 'diff', from, to, '--db', db, '--json'], { timeoutMs: 300_000 });
    assert.equal(r.status, 0, r.stderr);
    const d = JSON.parse(r.stdout) as AttackDiff;
    const a = bundle(shared, from);
    const b = bundle(shared, to);
    const sections = [['attack-pattern', d.techniques], ['x-mitre-detection-strategy', d.detection_strategies], ['x-mitre-analytic', d.analytics]] as const;
    for (const [type, got] of sections) {
      const want = expected(a, b, type);
      assert.deepEqual(ids(got.added), want.added, `${type} added`);
      assert.deepEqual(ids(got.revoked), want.revoked, `${type} revoked`);
      assert.deepEqual(ids(got.deprecated), want.deprecated, `${type} deprecated`);
      assert.equal(d.objects[type].added, want.added.length);
    }
    // every other type too, by count (17.1 -> 18.1 deprecates the data sources)
    for (const type of new Set([...b.values()].map((o) => o.type).filter((x) => x !== 'relationship'))) {
      const want = expected(a, b, type);
      assert.deepEqual(
        { added: d.objects[type]?.added, revoked: d.objects[type]?.revoked, deprecated: d.objects[type]?.deprecated },
        { added: want.added.length, revoked: want.revoked.length, deprecated: want.deprecated.length }, type);
    }
    // changed strategies/analytics: present in both, not revoked in TO, different content once `modified` is set aside
    const canon = (v: unknown): string => (v && typeof v === 'object' && !Array.isArray(v)
      ? `{${Object.keys(v).sort().filter((k) => k !== 'modified' && (v as Record<string, unknown>)[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canon((v as Record<string, unknown>)[k])}`).join(',')}}`
      : Array.isArray(v) ? `[${v.map(canon).join(',')}]` : JSON.stringify(v));
    for (const [type, got] of sections.slice(1)) {
      const changed = [...b.values()].filter((o) => o.type === type && !o.revoked && a.has(o.id) && canon(a.get(o.id)) !== canon(o)).map(attackId).sort();
      assert.ok('changed' in got);
      assert.deepEqual(ids(got.changed), changed, `${type} changed`);
    }
    if (from === '17.1') {
      assert.ok(d.detection_strategies.added.length > 600, `${d.detection_strategies.added.length} strategies added`);
      assert.ok(d.objects['x-mitre-data-source'].deprecated > 0);
      assert.ok(d.techniques.renamed.some((x) => x.id === 'T1552.003' && x.from_name === 'Bash History'));
    } else {
      assert.ok(d.analytics.changed.some((x) => x.id === 'AN1288'), 'AN1288 changed in 18.1');
    }
    // rules under a revoked id, with the replacement
    const dll = d.rules.find((x) => x.technique_id === 'T1574.002');
    assert.ok(dll, 'T1574.002 listed');
    assert.equal(dll.status, 'revoked');
    assert.equal(dll.replaced_by?.id, 'T1574.001');
    assert.deepEqual(dll.suggested.map((s) => s.id), ['T1574.001']);
    assert.ok(dll.rules.length > 0);
    // every listed id is indeed revoked, deprecated or absent in TO's bundle
    const techs = [...b.values()].filter((o) => o.type === 'attack-pattern');
    for (const issue of d.rules) {
      const o = techs.filter((x) => attackId(x).toUpperCase() === issue.technique_id);
      const live = o.some((x) => !x.revoked && !x.x_mitre_deprecated);
      assert.ok(!live, `${issue.technique_id} is live in ${to}`);
      assert.equal(issue.status, o.length === 0 ? 'unknown' : o.some((x) => x.revoked) ? 'revoked' : 'deprecated', issue.technique_id);
    }
    const text = cli(['attack', 'diff', from, to, '--db', db], { timeoutMs: 300_000 });
    assert.equal(text.status, 0, text.stderr);
    assert.match(text.stdout, /T1574\.002 revoked \(DLL Side-Loading\) -> T1574\.001/);
  });
}

test('attack diff with a release that is not imported is a usage error', async (t) => {
  const shared = requireShared(t, 'attack diff over the shared bundles');
  if (!shared) return;
  const r = cli(['attack', 'diff', '17.1', '99.9', '--db', await fullCatalog(shared)]);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /99\.9 is not imported/);
});
