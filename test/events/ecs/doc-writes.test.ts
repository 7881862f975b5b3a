/**
 * The mapping's document writes against the forms they replace: setPartsIfAbsent against a getParts
 * check then setParts (a rename processor), deleteEach against deleting every name, on documents
 * whose path is missing, a scalar or a list on the way, already set, or set to an empty value.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getParts, partsOf, setParts, setPartsIfAbsent } from '../../../src/events/ecs/doc.js';
import { deleteEach } from '../../../src/events/ecs/empty-values.js';
import { newEventData } from '../../../src/events/ecs/event-source.js';

/** The rename's store as it was written: a check, then a store. */
function reference(doc: Record<string, unknown>, parts: readonly string[], value: unknown): boolean {
  if (getParts(doc, parts) !== undefined) return false;
  setParts(doc, parts, value);
  return true;
}

const docs = (): Array<Record<string, unknown>> => [
  {},
  { process: {} },
  { process: 'cmd.exe' },
  { process: ['a', 'b'] },
  { process: null },
  { process: { parent: {} } },
  { process: { parent: 'x' } },
  { process: { parent: { name: 'explorer.exe' } } },
  { process: { parent: { name: '' } } },
  { process: { parent: { name: null } } },
  { process: { parent: { name: 0 } } },
  { process: { parent: { pid: 4 } } },
];

test('setPartsIfAbsent: the same document and answer as a getParts check then setParts', () => {
  const values: unknown[] = ['cmd.exe', '', null, undefined, [], ['a'], 0, false];
  for (const path of ['process.parent.name', 'process.parent', 'process', 'process.parent.name.x']) {
    for (const value of values) {
      for (let i = 0; i < docs().length; i++) {
        const a = docs()[i];
        const b = docs()[i];
        const got = setPartsIfAbsent(a, partsOf(path), value);
        const want = reference(b, partsOf(path), value);
        const what = `${path} <- ${JSON.stringify(value)} on ${JSON.stringify(docs()[i])}`;
        assert.equal(got, want, what);
        assert.deepEqual(a, b, what);
      }
    }
  }
});

test('deleteEach: what deleting every name leaves, key order included', () => {
  const names = ['ProcessId', 'User', 'Absent', 'UtcTime', 'constructor', '__proto__'];
  const make = (): Record<string, string> => {
    const d = newEventData();
    for (const [k, v] of [['UtcTime', 't'], ['Image', 'i'], ['ProcessId', '4'], ['CommandLine', 'c'], ['User', 'u']]) d[k] = v;
    return d;
  };
  const a = make();
  const b = make();
  deleteEach(a, names);
  for (const f of names) delete b[f];
  assert.deepEqual(Object.keys(a), Object.keys(b));
  assert.deepEqual(Object.keys(a), ['Image', 'CommandLine']);
  assert.deepEqual({ ...a }, { ...b });
});
