import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireShared } from '../../helpers/shared.js';
import { loadSplunkDataSources, loadSplunkMacros, loadSplunkStories, walkSplunkDetections } from '../../../src/formats/splunk/index.js';
import type { Problem } from '../../../src/model/index.js';

test('splunk macros: arguments, arity keys, bad files as problems', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-macros-'));
  try {
    writeFileSync(join(dir, 'a.yml'), 'name: ctime\narguments:\n- field\ndefinition: convert ctime($field$)\n');
    writeFileSync(join(dir, 'b.yml'), 'name: plain\ndefinition: sourcetype=x\n');
    writeFileSync(join(dir, 'c.yml'), "name: broken\ndefinition: 'unterminated\n");
    writeFileSync(join(dir, 'd.yml'), 'description: no name\n');
    const r = loadSplunkMacros(dir);
    assert.deepEqual([...r.macros.keys()].sort(), ['ctime(1)', 'plain']);
    assert.deepEqual(r.problems.map((p) => [p.file.slice(dir.length + 1), p.reason]), [['c.yml', 'yaml'], ['d.yml', 'macro-invalid']]);
    assert.equal(loadSplunkMacros(join(dir, 'missing')).problems[0].reason, 'unreadable');
    const problems: Problem[] = [];
    assert.deepEqual(walkSplunkDetections(join(dir, 'missing'), problems), []);
    assert.equal(problems[0].reason, 'unreadable');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('splunk corpus side files: macros, stories, data sources load', (t) => {
  const shared = requireShared(t, 'the Splunk side files');
  if (!shared) return;
  const root = join(shared, 'corpora', 'splunk');
  const m = loadSplunkMacros(join(root, 'macros'));
  t.diagnostic(`macros ${m.macros.size}, problems ${m.problems.length}`);
  assert.ok(m.macros.has('security_content_ctime(1)'));
  assert.ok(m.macros.has('process_netsh'));
  const s = loadSplunkStories(join(root, 'stories'));
  t.diagnostic(`stories ${s.stories.size}, problems ${s.problems.length}`);
  assert.ok(s.stories.has('Living Off The Land'));
  const d = loadSplunkDataSources(join(root, 'data_sources'));
  t.diagnostic(`data sources ${d.dataSources.size}, problems ${d.problems.length}`);
  const sysmon1 = d.dataSources.get('Sysmon EventID 1');
  assert.equal(sysmon1?.source, 'XmlWinEventLog:Microsoft-Windows-Sysmon/Operational');
  for (const p of [...m.problems, ...s.problems, ...d.problems]) assert.ok(p.reason && p.file, 'problems carry a file and reason');
});
