import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { parseIndex, releasesToFetch } from '../../src/sync/attack-index.js';
import { parseRelease } from '../../src/sync/rule-archive.js';
import { mirrored } from '../../src/sync/sources.js';
import { cli } from '../helpers/cli.js';

test('mirrored maps https://HOST/PATH onto BASE/HOST/PATH, for a URL and for a folder', () => {
  const up = 'https://github.com/SigmaHQ/sigma/archive/refs/tags/r1.tar.gz';
  assert.equal(mirrored(up, undefined), up);
  assert.equal(mirrored(up, 'http://127.0.0.1:8000/m/'), 'http://127.0.0.1:8000/m/github.com/SigmaHQ/sigma/archive/refs/tags/r1.tar.gz');
  assert.equal(mirrored(up, '/srv/mirror'), pathToFileURL('/srv/mirror/github.com/SigmaHQ/sigma/archive/refs/tags/r1.tar.gz').href);
  // an index entry may not lead out of a mirror folder
  assert.throws(() => mirrored('https://raw.githubusercontent.com/..%2F..%2F..%2Fetc/passwd', '/srv/mirror'), /leaves the mirror folder/);
});

test('a release JSON gives its tag and the digest of an asset named like the archive', () => {
  const name = (tag: string): string => `${tag}.tar.gz`;
  assert.deepEqual(parseRelease(JSON.stringify({ tag_name: 'r2026-01-01', assets: [{ name: 'sigma_core.zip', digest: `sha256:${'1'.repeat(64)}`, size: 3 }] }), name),
    { tag: 'r2026-01-01', expected: {} });
  assert.deepEqual(parseRelease(JSON.stringify({ tag_name: 'v5', assets: [{ name: 'v5.tar.gz', digest: `sha256:${'a'.repeat(64)}`, size: 9 }] }), name),
    { tag: 'v5', expected: { sha256: 'a'.repeat(64), size: 9 } });
  assert.throws(() => parseRelease(JSON.stringify({ tag_name: '../../x' }), name), /tag_name/);
  assert.throws(() => parseRelease('{', name), /not valid JSON/);
});

test('ATT&CK: every listed release not loaded, from the oldest loaded on (the newest only on an empty catalog)', () => {
  const listed = parseIndex(JSON.stringify({ collections: [
    { name: 'Mobile ATT&CK', versions: [{ version: '18.1', url: 'https://x/m.json' }] },
    { name: 'Enterprise ATT&CK', versions: ['18.1', '9.0', '17.1', '18.0'].map((v) => ({ version: v, url: `https://x/e-${v}.json` })) },
  ] }));
  const v = (rs: typeof listed): string[] => rs.map((r) => r.version);
  assert.deepEqual(v(releasesToFetch(listed, new Set())), ['18.1']);
  assert.deepEqual(v(releasesToFetch(listed, new Set(['17.1']))), ['18.0', '18.1']);
  assert.deepEqual(v(releasesToFetch(listed, new Set(['17.1']), '9.0')), ['9.0', '18.0', '18.1']);
  assert.deepEqual(v(releasesToFetch(listed, new Set(['17.1', '18.0', '18.1']))), []);
  assert.throws(() => parseIndex(JSON.stringify({ collections: [{ name: 'Enterprise ATT&CK', versions: [{ version: '../1', url: 'https://x' }] }] })), /versions\[0\]/);
});

test('sync --only with an unknown source is a usage error (exit 2, one line)', () => {
  const r = cli(['sync', '--only', 'qradar', '--cache', '/nonexistent/never-created']);
  assert.equal(r.status, 2);
  assert.deepEqual(r.stderr.trim().split('\n'), ['detectory: sync: --only must be one of sigma, elastic, splunk, attack (got "qradar")']);
});
