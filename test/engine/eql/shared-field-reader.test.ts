/** Field readers shared per path (values.ts sharedFieldReader): one per path, each document its own value. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fieldReader, sharedFieldReader } from '../../../src/engine/eql/values.js';

test('a shared reader answers for each document as a plain reader does, whatever the order', () => {
  const read = sharedFieldReader(['process', 'name']);
  assert.equal(sharedFieldReader(['process', 'name']), read);
  // ['process.name'] is another path than ['process', 'name'] (the dotted key is one segment).
  assert.notEqual(sharedFieldReader(['process.name']), read);
  const docs = [
    { process: { name: 'a.exe' } },
    { process: { name: 'b.exe' } },
    { 'process.name': 'c.exe' },
    { process: { 'name': ['d.exe', 'e.exe'] } },
    {},
  ];
  const plain = fieldReader(['process', 'name']);
  for (const d of [...docs, docs[1], docs[1], docs[0], docs[4], docs[3]]) assert.deepEqual(read(d), plain(d));
});
