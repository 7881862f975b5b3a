/** The `clickhouse://` store URL and the event-time columns (no server needed). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseChUrl } from '../../../src/store/clickhouse/client.js';
import { dateTimeText, epochMicros } from '../../../src/store/clickhouse/time.js';
import { StoreError } from '../../../src/store/types.js';

test('store URLs: host, HTTP port, database (default "default"), route_groups, shared_evaluation; anything else is one clear error', () => {
  assert.deepEqual(parseChUrl('clickhouse://127.0.0.1:8123/detectory'), { http: 'http://127.0.0.1:8123', db: 'detectory' });
  assert.deepEqual(parseChUrl('clickhouse://localhost:8123'), { http: 'http://localhost:8123', db: 'default' });
  assert.throws(() => parseChUrl('clickhouse://h:1/a;DROP'), (e: unknown) => e instanceof StoreError && /not a plain identifier/.test((e as Error).message));
  assert.throws(() => parseChUrl('clickhouse://h/db'), /not a ClickHouse store URL/);
  assert.deepEqual(parseChUrl('clickhouse://h:1/db?route_groups=0'), { http: 'http://h:1', db: 'db', routeGroups: false });
  assert.deepEqual(parseChUrl('clickhouse://h:1?route_groups=1'), { http: 'http://h:1', db: 'default', routeGroups: true });
  assert.deepEqual(parseChUrl('clickhouse://h:1/db?shared_evaluation=0'), { http: 'http://h:1', db: 'db', sharedEvaluation: false });
  assert.deepEqual(parseChUrl('clickhouse://h:1/db?route_groups=1&shared_evaluation=1'), { http: 'http://h:1', db: 'db', routeGroups: true, sharedEvaluation: true });
  assert.throws(() => parseChUrl('clickhouse://h:1/db?shared_evaluation=2'), (e: unknown) => e instanceof StoreError && /shared_evaluation must be 0 or 1/.test((e as Error).message));
  assert.throws(() => parseChUrl('clickhouse://h:1/db?route_groups=no'), (e: unknown) => e instanceof StoreError && /route_groups must be 0 or 1/.test((e as Error).message));
  assert.throws(() => parseChUrl('clickhouse://h:1/db?user=x'), (e: unknown) => e instanceof StoreError && /unknown store URL option "user"/.test((e as Error).message));
  assert.throws(() => parseChUrl('clickhouse://h:1/db?__proto__=0'), /unknown store URL option/);
});

test('event times: microseconds since the epoch, zones applied, whole seconds for the sort key', () => {
  assert.equal(epochMicros('2026-01-01T00:00:01.123456Z'), Date.UTC(2026, 0, 1, 0, 0, 1) * 1000 + 123456);
  assert.equal(epochMicros('2026-01-01 00:00:01.5'), Date.UTC(2026, 0, 1, 0, 0, 1) * 1000 + 500000);
  assert.equal(epochMicros('2026-01-01T02:00:00+02:00'), Date.UTC(2026, 0, 1) * 1000);
  assert.equal(epochMicros('not a time'), null);
  assert.equal(dateTimeText(epochMicros('2026-01-01T00:00:01.999Z')), '2026-01-01 00:00:01');
  assert.equal(dateTimeText(null), '1970-01-01 00:00:00');
});
