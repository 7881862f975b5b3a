/**
 * The field builder of the EVTX fast path (events/field-layout.ts) against putField, the rule it
 * stands for: same names in the same order, same values, repeats dropped, names with spaces copied
 * once; maps without inherited members; and the same result past its bounds (where it grows the
 * map itself).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { FieldBuilder, layoutCounts, MAX_KEYS } from '../../src/events/field-layout.js';
import { type Fields, putField } from '../../src/events/normalize.js';

function reference(puts: [string, unknown][]): { fields: Fields; keys: string[] } {
  const fields = Object.create(null) as Fields;
  const keys: string[] = [];
  for (const [k, v] of puts) putField(fields, keys, k, v);
  return { fields, keys };
}

function built(b: FieldBuilder, puts: [string, unknown][]): { fields: Fields; keys: readonly string[] } {
  b.reset();
  for (const [k, v] of puts) b.put(k, v);
  return b.finish();
}

function same(puts: [string, unknown][], b: FieldBuilder): void {
  const want = reference(puts);
  const got = built(b, puts);
  assert.deepEqual([...got.keys], want.keys);
  assert.deepEqual(Object.keys(got.fields), want.keys);
  for (const k of want.keys) assert.deepEqual(got.fields[k], want.fields[k], k);
  // Nothing inherited: every prototype on the chain is empty and the chain ends.
  for (let p = Object.getPrototypeOf(got.fields) as object | null; p; p = Object.getPrototypeOf(p) as object | null) {
    assert.deepEqual(Reflect.ownKeys(p), []);
  }
}

test('random name sequences (repeats, spaces, stripped names met later): the same fields, order and values as putField', () => {
  const names = ['Image', 'CommandLine', 'Source Name', 'SourceName', 'A B C', 'ABC', 'Data', 'EventID', 'x', 'Channel'];
  const values: unknown[] = ['v', '', null, 7, true, ['a', 'b'], ['only'], [{ '#text': 't' }, 3]];
  let seed = 12345;
  const rnd = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  const b = new FieldBuilder();
  for (let round = 0; round < 3000; round++) {
    const puts: [string, unknown][] = [];
    const n = rnd(14);
    for (let i = 0; i < n; i++) puts.push([names[rnd(names.length)], values[rnd(values.length)]]);
    same(puts, b);
  }
});

test('a built map inherits nothing: Object.prototype names read undefined unless the event holds them', () => {
  const b = new FieldBuilder();
  const { fields } = built(b, [['Image', 'a.exe'], ['Hashes', 'MD5=1']]);
  for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf']) {
    assert.equal(fields[name], undefined, name);
    assert.equal(name in fields, false, name);
  }
  const held = built(b, [['constructor', 'c'], ['toString', 't']]).fields;
  assert.equal(held.constructor, 'c');
  assert.equal(held.toString, 't');
  assert.deepEqual(JSON.parse(JSON.stringify(held)), { constructor: 'c', toString: 't' });
});

test('names that are not identifiers (quotes, backslashes, line separators, lone surrogates) are stored as given', () => {
  const b = new FieldBuilder();
  const odd = ['a"b', 'c\\d', 'e\u2028f', '\ud800', "g'h", '${x}', '*/', '\n', ''];
  same(odd.map((k, i) => [k, `v${i}`]), b);
});

test('past MAX_KEYS names the map is grown name by name: still the same as putField', () => {
  const b = new FieldBuilder();
  const puts: [string, unknown][] = [];
  for (let i = 0; i < MAX_KEYS + 40; i++) puts.push([`k ${i % (MAX_KEYS + 20)}`, String(i)]);
  same(puts, b);
  // The builder is usable after an event that left the tree.
  same([['Image', 'x'], ['Image', 'y']], b);
});

test('records of one shape share one layout: the tree does not grow with the number of records', () => {
  const b = new FieldBuilder();
  const shape = (i: number): [string, unknown][] => [['Image', `p${i}.exe`], ['ProcessId', i], ['Channel', 'Security']];
  built(b, shape(0));
  const before = layoutCounts();
  for (let i = 1; i < 1000; i++) same(shape(i), b);
  assert.deepEqual(layoutCounts(), before);
});

test('with code generation turned off (node --disallow-code-generation-from-strings) the builder grows its maps: the same fields', () => {
  const url = new URL('../../src/events/field-layout.js', import.meta.url).href;
  const script = `const { FieldBuilder } = await import(${JSON.stringify(url)});
    const b = new FieldBuilder(); const out = [];
    for (const v of ['a', 'b']) { b.reset(); b.put('Image', v); b.put('Source Name', 'x'); b.put('Image', 'dup'); const r = b.finish(); out.push([r.keys, { ...r.fields }, Object.getPrototypeOf(r.fields)]); }
    process.stdout.write(JSON.stringify(out));`;
  const run = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), ['a', 'b'].map((v) => [['Image', 'Source Name', 'SourceName'], { Image: v, 'Source Name': 'x', SourceName: 'x' }, null]));
});
