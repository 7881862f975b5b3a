import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canonicalJson, contentHash, diffFields } from '../../src/attack/hash.js';
import { eventCategoryOf, eventIdsOf } from '../../src/attack/log-source-map.js';

test('content hash: independent of key order, ignores modified, sees every other change', () => {
  const a = { type: 't', id: 'x', b: [1, { z: 1, y: 2 }], modified: '2020' };
  const b = { modified: '2021', b: [1, { y: 2, z: 1 }], id: 'x', type: 't' };
  assert.equal(canonicalJson({ b: 1, a: [2, 1] }), '{"a":[2,1],"b":1}');
  assert.equal(contentHash(a), contentHash(b));
  assert.notEqual(contentHash(a), contentHash({ ...b, b: [{ y: 2, z: 1 }, 1] }));
  assert.match(contentHash(a), /^[0-9a-f]{64}$/);
});

test('field diff: added, removed, changed', () => {
  assert.deepEqual(diffFields({ a: 1, b: { x: 1 }, c: 3 }, { a: 1, b: { x: 2 }, d: 4 }), { added: ['d'], removed: ['c'], changed: ['b'] });
});

test('log-source channels: event ids and event categories', () => {
  assert.deepEqual(eventIdsOf('EventCode=4103, 4104, 4105, 4106'), [4103, 4104, 4105, 4106]);
  assert.deepEqual(eventIdsOf('EventCode=4103-4106'), [4103, 4104, 4105, 4106]);
  assert.deepEqual(eventIdsOf('execve'), []);
  assert.deepEqual(eventCategoryOf('WinEventLog:Sysmon', 'EventCode=10'), { product: 'windows', service: 'sysmon', categories: ['process_access'] });
  assert.deepEqual(eventCategoryOf('WinEventLog:PowerShell', 'EventCode=4103, 4104')?.categories, ['ps_module', 'ps_script']);
  assert.deepEqual(eventCategoryOf('WinEventLog:Security', 'EventCode=4688')?.categories, ['process_creation']);
  assert.equal(eventCategoryOf('auditd:SYSCALL', 'execve'), undefined);
});
