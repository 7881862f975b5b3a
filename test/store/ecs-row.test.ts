/** The ECS part of a store row reads back as the Elastic engine reads the document (store/ecs-row.ts). */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { leafFields, toEcs } from '../../src/events/ecs/index.js';
import { listEventFiles, readEventFile } from '../../src/events/read.js';
import { getField } from '../../src/engine/eql/values.js';
import { docFromEcsRow, ecsRowPart } from '../../src/store/ecs-row.js';
import { ECS_PROMOTED_FIELDS } from '../../src/store/ecs-promoted-fields.js';
import { requireShared } from '../helpers/shared.js';

function roundTrip(doc: Record<string, unknown>): Record<string, unknown> {
  const p = ecsRowPart(doc);
  return docFromEcsRow(JSON.parse(p.singleJson), p.listsJson ? JSON.parse(p.listsJson) : null, p.typed);
}

/** Every path of the document (leaves and the objects above them) reads the same from both. */
function sameReads(doc: Record<string, unknown>, back: Record<string, unknown>): string[] {
  const paths = new Set<string>();
  for (const leaf of leafFields(doc)) {
    const parts = leaf.split('.');
    for (let i = 1; i <= parts.length; i++) paths.add(parts.slice(0, i).join('.'));
  }
  const bad: string[] = [];
  for (const p of paths) {
    const a = getField(doc, p.split('.'));
    const b = getField(back, p.split('.'));
    if (JSON.stringify(a) !== JSON.stringify(b)) bad.push(`${p}: ${JSON.stringify(a)} != ${JSON.stringify(b)}`);
  }
  return bad;
}

test('numbers, booleans, one-element and empty arrays, arrays of objects, nulls read back the same', () => {
  const doc = {
    '@timestamp': '2026-01-01T00:00:00Z',
    event: { category: ['process'], type: ['start', 'info'], sequence: 7 },
    process: { pid: 4, name: 'cmd.exe', args: ['cmd.exe', '/c', 'x'], args_count: 3, code_signature: { trusted: false }, parent: { pid: 0 } },
    powershell: { command: { invocation_details: [{ type: 'a', value: 'v1' }, { type: 'b', value: 'v2' }] } },
    empty: [],
    nothing: null,
    mixed: [1, 2],
  };
  const back = roundTrip(doc);
  assert.deepEqual(sameReads(doc, back), []);
  assert.equal(back['process.pid'], 4);
  assert.equal(back['process.code_signature.trusted'], false);
  assert.deepEqual(back['powershell.command.invocation_details.type'], ['a', 'b']);
  const p = ecsRowPart(doc);
  assert.deepEqual(p.typed.sort(), ['event.sequence', 'mixed', 'process.args_count', 'process.code_signature.trusted', 'process.parent.pid', 'process.pid']);
  assert.equal(p.promoted[ECS_PROMOTED_FIELDS.indexOf('process.name')], 'cmd.exe');
  assert.equal(p.promoted[ECS_PROMOTED_FIELDS.indexOf('event.category')], 'process');
  assert.equal(p.promoted[ECS_PROMOTED_FIELDS.indexOf('event.type')], null, 'several values stay in the lists');
});

test('every ECS document of EVTX-ATTACK-SAMPLES reads back the same, path for path', async (t) => {
  const shared = requireShared(t, 'EVTX-ATTACK-SAMPLES');
  if (!shared) return;
  let docs = 0;
  const bad: string[] = [];
  for (const f of listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => {}).files) {
    for await (const batch of readEventFile(f, () => {})) {
      for (const rec of batch) {
        const doc = toEcs(rec);
        docs++;
        for (const b of sameReads(doc, roundTrip(doc))) if (bad.length < 10) bad.push(`${f}#${rec.recordId}: ${b}`);
      }
    }
  }
  assert.ok(docs > 8000);
  assert.deepEqual(bad, []);
});
