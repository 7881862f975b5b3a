/**
 * A cold start parses rule files on worker threads (parse-pool.ts) and YAML with the fast reader
 * where it can: on the whole SigmaHQ corpus, the rules and problems must be those of one thread, and
 * a warm start from the cache must give them again.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileRules, type CompiledRules } from '../../../src/engine/cache/rule-cache.js';
import { requireShared } from '../../helpers/shared.js';

/**
 * What a compiled rule set holds, as JSON: the cache stores rules as JSON, so a property set to
 * undefined (kept by one path, dropped by another) is no difference.
 */
function model(c: CompiledRules): unknown {
  const { detections, correlations, filters, problems, files } = c.ruleSet;
  const skipped = c.matcher.skipped.map((s) => [s.rule.id, s.reason, s.message]);
  return JSON.parse(JSON.stringify({ detections, correlations, filters, problems, files, loaded: c.matcher.loaded.length, skipped })) as unknown;
}

test('SigmaHQ: parsing on two threads, on one thread and from the cache give the same rules and problems', async (t) => {
  const shared = requireShared(t, 'the SigmaHQ corpus');
  if (!shared) return;
  const paths = ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => join(shared, 'corpora', 'sigma', d));
  const dir = mkdtempSync(join(tmpdir(), 'detectory-parse-pool-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const one = await compileRules(paths, { parseThreads: 1 });
  const two = await compileRules(paths, { parseThreads: 2, cacheDir: dir });
  const warm = await compileRules(paths, { cacheDir: dir });
  assert.equal(two.cache, 'built');
  assert.equal(two.parsed, one.parsed);
  assert.equal(warm.cache, 'hit');
  assert.ok(one.ruleSet.detections.length > 3000, `${one.ruleSet.detections.length} rules`);
  assert.deepStrictEqual(model(two), model(one));
  assert.deepStrictEqual(model(warm), model(one));
});
