import { test } from 'node:test';
import assert from 'node:assert/strict';
import { disjointRoutes, type RouteVariant } from '../../../src/backends/duckdb/rule-query.js';
import { batchSql, routeKey } from '../../../src/store/duckdb/batch-sql.js';
import type { Rule } from '../../../src/model/index.js';

const v = (channel: string, eventIds: number[] | undefined, detection = 'TRUE'): RouteVariant => ({
  channel,
  eventIds,
  detection,
  route: [channel === '*' ? '' : `channel_lc = '${channel}'`, eventIds ? `event_id IN (${eventIds.join(', ')})` : ''].filter(Boolean).join(' AND '),
});

test('routes are disjoint only when no event can take two of them', () => {
  assert.equal(disjointRoutes([v('sysmon', [1]), v('security', [4688])]), true);
  assert.equal(disjointRoutes([v('security', [4624]), v('security', [4625])]), true);
  assert.equal(disjointRoutes([v('*', [1]), v('sysmon', [1])]), false);
  assert.equal(disjointRoutes([v('security', [4624, 4625]), v('security', [4625])]), false);
  assert.equal(disjointRoutes([v('security', undefined), v('security', [1])]), false);
});

test('rules of one route share one scan; rules with overlapping variants run whole', () => {
  const rule = (id: string): Rule => ({ id } as unknown as Rule);
  const a = { rule: rule('a'), where: 'WA', shown: [], variants: [v('sysmon', [1], 'DA'), v('security', [4688], 'DA2')] };
  const b = { rule: rule('b'), where: 'WB', shown: [], variants: [v('sysmon', [1], 'DB'), v('security', [4688], 'DB2')] };
  assert.equal(routeKey(a.variants), routeKey(b.variants));
  const sql = batchSql([a, b], [], () => '[]::VARCHAR[]');
  // Two routes (sysmon/1 and security/4688), each one SELECT testing both rules.
  assert.equal(sql.split('UNION ALL').length, 2);
  assert.match(sql, /CASE WHEN DA THEN 0 END,\s+CASE WHEN DB THEN 1 END/);
  assert.match(sql, /WHERE channel_lc = 'sysmon' AND event_id IN \(1\)/);
  const c = { rule: rule('c'), where: 'WC', shown: [], variants: [v('*', [1], 'DC'), v('sysmon', [1], 'DC2')] };
  assert.match(routeKey(c.variants), /^~whole/);
  const whole = batchSql([c], [], () => '[]::VARCHAR[]');
  assert.equal(whole.split('UNION ALL').length, 1);
  assert.match(whole, /CASE WHEN WC THEN 0 END/);
  assert.doesNotMatch(whole, /WHERE/);
});

test('rules reading the map are batched apart from those that do not', () => {
  assert.notEqual(routeKey([v('sysmon', [1], `fields['X'] = 'y'`)]), routeKey([v('sysmon', [1], `"l_Image" = 'y'`)]));
});
