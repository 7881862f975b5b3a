/**
 * The reader reads the next batch of chunks while the caller decodes the current one (reader.ts
 * batches). What it yields must not depend on the batch size or the chunk range, and a caller that
 * stops early must leave no read running and no file open.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { CHUNK_SIZE, FILE_HEADER_SIZE, readEvtxRecordLists } from '../../../src/events/evtx/index.js';
import type { EventRecord } from '../../../src/events/types.js';
import { requireShared } from '../../helpers/shared.js';

const FILE = join('evtx', 'EVTX-ATTACK-SAMPLES', 'Command and Control', 'bits_openvpn.evtx');

async function ids(path: string, opts: Parameters<typeof readEvtxRecordLists>[2]): Promise<string[]> {
  const out: string[] = [];
  for await (const list of readEvtxRecordLists(path, () => undefined, { flat: true, ...opts })) {
    for (const r of list as EventRecord[]) out.push(`${r.recordId}@${r.timestamp}`);
  }
  return out;
}

const openFds = (): number => readdirSync('/proc/self/fd').length;

test('the same records whatever the batch size and chunk ranges', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const path = join(shared, FILE);
  const chunks = Math.floor((statSync(path).size - FILE_HEADER_SIZE) / CHUNK_SIZE);
  assert.ok(chunks >= 4, `a file of several chunks (${chunks})`);
  const whole = await ids(path, { batchChunks: 16 });
  assert.ok(whole.length > 100);
  for (const batchChunks of [1, 2, 3]) assert.deepEqual(await ids(path, { batchChunks }), whole, `batches of ${batchChunks}`);
  // Ranges read one after the other give the whole file (each range reads ahead only inside itself).
  const parts: string[] = [];
  for (let first = 0; first < chunks; first += 3) parts.push(...await ids(path, { batchChunks: 2, chunkRange: { first, count: 3 } }));
  assert.deepEqual(parts, whole);
});

test('a caller that stops after the first list leaves no read running and the file closed', async (t) => {
  const shared = requireShared(t);
  if (!shared) return;
  const path = join(shared, FILE);
  const rejections: unknown[] = [];
  const onRejection = (e: unknown): void => void rejections.push(e);
  process.on('unhandledRejection', onRejection);
  try {
    const before = openFds();
    for (let i = 0; i < 20; i++) {
      for await (const list of readEvtxRecordLists(path, () => undefined, { batchChunks: 1 })) {
        assert.ok(list.length > 0);
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(openFds(), before, 'every file handle is closed');
    assert.deepEqual(rejections, []);
  } finally {
    process.off('unhandledRejection', onRejection);
  }
});
