/**
 * Keyword rules whose literals have a cover (store/clickhouse/literal-cover.ts) on a real 2-shard
 * cluster: the PREWHERE of needles only narrows the rows, the exact test decides. Hostile keywords
 * (quotes, backslashes, `%`, `_`, SQL text) match literally, events holding a needle but no keyword
 * do not fire, and the cluster's alerts equal the compiled matcher's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Matcher } from '../../../src/engine/matcher.js';
import { flattenEvent } from '../../../src/events/normalize.js';
import { rule, sysmon1 } from '../../helpers/sigma.js';
import { ingestedCluster, requireCluster } from '../../helpers/clickhouse.js';
import { chCoverSql } from '../../../src/store/clickhouse/prefilter.js';
import { chRuleQuery } from '../../../src/backends/clickhouse/rule-query.js';

const KEYWORDS = ["it's::a", 'back\\slash::b', "x\\';--::c", '100%::d', 'a_b::e'];
const VALUES = [
  'pre IT\'S::A post', 'back\\slash::b', "X\\';--::C", '100%::d', 'a_b::e',
  // A needle without a keyword, a wildcard read as one, SQL text, a backslash dropped: none fire.
  'only :: here', 'axb::e', '100::d', "x';--::c", 'backslash::b', "it's:a",
];

const events = VALUES.map((v, i) => sysmon1({ CommandLine: `cmd ${i}`, Details: v }, { EventRecordID: i + 1 }));
const stored = ingestedCluster('events.jsonl', () => events.map((e) => JSON.stringify(e)));

test('hostile keywords behind a cover match literally on the cluster, as the engine matches', async (t) => {
  if (!requireCluster(t, stored.cluster)) return;
  const r = rule(`title: k\nid: 33333333-3333-3333-3333-333333333333\nlogsource:\n  product: windows\ndetection:\n  keywords:\n${KEYWORDS.map((k) => `    - '${k.replace(/'/g, "''")}'`).join('\n')}\n  condition: keywords\nlevel: high\n`);
  const q = chRuleQuery(r, { listFields: new Set() });
  assert.ok('where' in q && q.need);
  assert.equal(chCoverSql(q.need), "ifNull(position(all_values, '::') > 0, 0)", 'the rule takes the cover path');
  const got: number[] = [];
  const skipped: string[] = [];
  await stored.store!.hunt({ detections: [r], correlations: [], filters: [], elastic: [], problems: [], files: 0 }, {
    onAlert: (a) => got.push(Number(a.event.record_id)),
    onSkip: (_, reason, message) => skipped.push(`${reason}: ${message}`),
  });
  assert.deepEqual(skipped, []);
  const m = new Matcher([r]);
  const engine = events.flatMap((e, i) => (m.match(flattenEvent({ file: stored.file, event: e, recordId: i + 1 })).length ? [i + 1] : []));
  assert.deepEqual(engine, [1, 2, 3, 4, 5]);
  assert.deepEqual(got.sort((a, b) => a - b), engine);
});
