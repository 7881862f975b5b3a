/** `detectory guide` for a technique ATT&CK does not have: "unknown technique", not "load ATT&CK". */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../helpers/cli.js';
import { tinyBundle } from '../attack/tiny.js';

const rule = (technique: string): string => `title: Tagged ${technique}
tags: [attack.execution, attack.${technique.toLowerCase()}]
logsource: {product: windows, category: process_creation}
detection:
  s:
    CommandLine|contains: evil
  condition: s
`;

test('guide: an unknown technique with ATT&CK loaded is "unknown technique", exit 2; known ones and a catalog without ATT&CK as before', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-guide-'));
  try {
    mkdirSync(join(dir, 'sigma'));
    writeFileSync(join(dir, 'sigma', 'a.yml'), rule('T0001'));
    writeFileSync(join(dir, 'sigma', 'b.yml'), rule('T9998'));
    writeFileSync(join(dir, 'enterprise-attack-1.0.json'), JSON.stringify(tinyBundle()));
    const withAttack = join(dir, 'a.duckdb');
    const noAttack = join(dir, 'b.duckdb');
    assert.equal(cli(['catalog', 'build', '--sigma', join(dir, 'sigma'), '--attack', join(dir, 'enterprise-attack-1.0.json'), '--db', withAttack]).status, 0);
    assert.equal(cli(['catalog', 'build', '--sigma', join(dir, 'sigma'), '--db', noAttack]).status, 0);

    const unknown = cli(['guide', 'T9999', '--db', withAttack]);
    assert.equal(unknown.status, 2);
    assert.equal(unknown.stdout, '');
    assert.match(unknown.stderr, /^detectory: guide: unknown technique T9999: not in ATT&CK 1\.0 .*no rule of the catalog is tagged with it\n$/);
    assert.doesNotMatch(unknown.stderr, /load ATT&CK/);
    assert.equal(cli(['guide', 'T9999', '--db', withAttack, '--json']).status, 2);

    const tagged = cli(['guide', 'T9998', '--db', withAttack]);
    assert.equal(tagged.status, 0, tagged.stderr);
    assert.match(tagged.stdout, /^unknown technique T9998 \(not in ATT&CK 1\.0; rules of the catalog are tagged with it\)\n/);
    assert.match(tagged.stdout, /Rules: 1 /);

    assert.match(cli(['guide', 'T0001', '--db', withAttack]).stdout, /^New Technique T0001\n/);
    const before = cli(['guide', 'T9999', '--db', noAttack]);
    assert.equal(before.status, 0);
    assert.match(before.stdout, /^\(name unknown: load ATT&CK with catalog build --attack FILE\) T9999/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
