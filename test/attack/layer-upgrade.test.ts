import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { upgradeLayer } from '../../src/attack/layer-upgrade.js';
import { cli } from '../helpers/cli.js';
import { fullCatalog } from '../helpers/full-catalog.js';
import { requireShared } from '../helpers/shared.js';
import { testTempDir } from '../helpers/temp-dir.js';

const ref = (id: string, name: string) => ({ id, stix_id: `attack-pattern--${id}`, name, is_subtechnique: id.includes('.') });
const IDS = new Map([
  ['T1574.001', { status: 'active' as const, name: 'DLL', replaced_by: null }],
  ['T1574.002', { status: 'revoked' as const, name: 'DLL Side-Loading', replaced_by: ref('T1574.001', 'DLL') }],
  ['T1066', { status: 'revoked' as const, name: 'no replacement', replaced_by: null }],
  ['T1000', { status: 'deprecated' as const, name: 'old', replaced_by: null }],
  ['T1216', { status: 'active' as const, name: 'System Script Proxy Execution', replaced_by: null }],
]);

test('revoked techniques become their replacement and merge; deprecated, unknown and unreplaced ones are dropped', () => {
  const layer = {
    name: 'l', versions: { attack: '17', navigator: '5.1.0', layer: '4.5' }, techniques: [
      { techniqueID: 'T1574.002', tactic: 'persistence', score: 7, comment: 'a' },
      { techniqueID: 't1574.001', tactic: 'persistence', score: 2, comment: 'b' },
      { techniqueID: 'T1574.002', tactic: 'defense-evasion', score: 1 },
      { techniqueID: 'T1216', score: 3 }, { techniqueID: 'T1000' }, { techniqueID: 'T1066' }, { techniqueID: 'T4242' },
    ],
  };
  const up = upgradeLayer(layer, IDS, '18.1');
  const techs = up.layer.techniques as Array<{ techniqueID: string; tactic?: string; score?: number; comment?: string }>;
  assert.deepEqual(techs.map((x) => [x.techniqueID, x.tactic ?? null, x.score]), [
    ['T1574.001', 'persistence', 7], ['T1574.001', 'defense-evasion', 1], ['T1216', null, 3],
  ]);
  assert.equal(techs[0].comment, 'a\nb');
  assert.deepEqual(up.dropped.map((d) => [d.id, d.status]), [['T1000', 'deprecated'], ['T1066', 'revoked'], ['T4242', 'unknown']]);
  assert.equal(up.replaced.length, 2);
  assert.equal(up.merged.length, 1);
  assert.deepEqual(up.layer.versions, { attack: '18', navigator: '5.1.0', layer: '4.5' });
  assert.equal(layer.techniques[0].techniqueID, 'T1574.002', 'the input is not changed');
  assert.throws(() => upgradeLayer({ techniques: [{}] }, IDS, '18.1'), /techniques\[0\]: no techniqueID/);
  assert.throws(() => upgradeLayer([], IDS, '18.1'), /not a Navigator layer/);
});

test('coverage upgrade-layer moves a 17.1 layer to 18.1 on the full catalog', async (t) => {
  const shared = requireShared(t, 'the layer upgrade over the shared ATT&CK releases');
  if (!shared) return;
  const dir = testTempDir(t, 'detectory-layer-');
  const input = join(dir, 'in.json');
  writeFileSync(input, JSON.stringify({ name: 'x', versions: { attack: '17' }, techniques: [{ techniqueID: 'T1574.002', score: 1 }, { techniqueID: 'T1216', score: 2 }] }));
  const out = join(dir, 'out.json');
  const r = cli(['coverage', 'upgrade-layer', input, '--to', '18.1', '--out', out, '--db', await fullCatalog(shared), '--json']);
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout).replaced, [{ from: 'T1574.002', to: 'T1574.001', tactic: null }]);
  const layer = JSON.parse(readFileSync(out, 'utf8')) as { techniques: Array<{ techniqueID: string }> };
  assert.deepEqual(layer.techniques.map((x) => x.techniqueID), ['T1574.001', 'T1216']);
  const bad = cli(['coverage', 'upgrade-layer', input, '--to', '99', '--out', out, '--db', await fullCatalog(shared)]);
  assert.equal(bad.status, 2);
});
