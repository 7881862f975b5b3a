/** Rule technique ids checked against the newest imported ATT&CK release (revoked, deprecated, unknown). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { requireShared } from '../helpers/shared.js';
import { testTempDir } from '../helpers/temp-dir.js';

test('catalog stats flags technique ids the newest release revokes or does not know', (t) => {
  const shared = requireShared(t, 'the ATT&CK 18.1 bundle');
  if (!shared) return;
  const dir = testTempDir(t, 'detectory-tstatus-');
  const rules = join(dir, 'sigma');
  mkdirSync(rules);
  const rule = (name: string, tags: string[]): void => writeFileSync(join(rules, `${name}.yml`),
    `title: ${name}\nid: 00000000-0000-4000-8000-${String(tags.length).padStart(12, '0')}${name.length}\ntags: [${tags.join(', ')}]\n`
    + `logsource: {product: windows, category: process_creation}\ndetection:\n  s: {Image|endswith: '\\\\${name}.exe'}\n  condition: s\n`);
  rule('old', ['attack.execution', 'attack.t1086']);
  rule('current', ['attack.t1059.001']);
  rule('future', ['attack.t9999']);
  const db = join(dir, 'c.duckdb');
  const b = cli(['catalog', 'build', '--sigma', rules, '--attack', join(shared, 'attack', 'enterprise-attack-18.1.json'), '--db', db]);
  assert.equal(b.status, 0, b.stderr);
  assert.match(b.stdout, /techniques: 2 of the 3 technique ids named by rules are revoked, deprecated or unknown/);
  const s = cli(['catalog', 'stats', '--json', '--db', db]);
  assert.equal(s.status, 0, s.stderr);
  const flags = (JSON.parse(s.stdout) as { technique_flags: Array<{ technique_id: string; status: string; replaced_by: string | null; release: string }> }).technique_flags;
  assert.deepEqual(flags.map((f) => [f.technique_id, f.status, f.replaced_by, f.release]).sort(), [
    ['T1086', 'revoked', 'T1059.001', '18.1'],
    ['T9999', 'unknown', null, '18.1'],
  ]);
});
