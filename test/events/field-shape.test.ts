/**
 * Field maps made by a generated constructor per list of names (events/field-shape.ts) against the
 * null-prototype dictionary grown name by name: the same names in the same order, the same values,
 * nothing inherited; hostile names stay data; lists that get no maker are named.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fieldMaker, growFields, makerCount, MAX_MAKER_KEYS } from '../../src/events/field-shape.js';
import type { FieldValue, Fields } from '../../src/events/normalize.js';

function sameMap(got: Fields, want: Fields): void {
  assert.deepEqual(Object.keys(got), Object.keys(want));
  assert.deepEqual(JSON.stringify(got), JSON.stringify(want));
  for (const k of Object.keys(want)) assert.equal(got[k], want[k], k);
  const seen: string[] = [];
  for (const k in got) seen.push(k);
  assert.deepEqual(seen, Object.keys(want));
  for (let p = Object.getPrototypeOf(got) as object | null; p; p = Object.getPrototypeOf(p) as object | null) assert.deepEqual(Reflect.ownKeys(p), []);
}

test('a maker gives the dictionary growFields gives: names in order (integer-like ones first, as any object orders them), values kept as they are', () => {
  const keys = ['Image', 'CommandLine', '12', 'Hashes', '0', 'User', 'Source Name', 'SourceName'];
  const make = fieldMaker(keys);
  assert.ok(make);
  const list = ['a', 'b'];
  for (const vals of [['x.exe', 'x -y', 'twelve', 'MD5=1', 'zero', null, 'n', 'n'], ['', '', '', '', '', '', '', ''], [list, null, null, list, 'z', 'u', 's', 's']] as FieldValue[][]) {
    const got = make(vals);
    sameMap(got, growFields(keys, vals));
    assert.equal(got.Hashes, vals[3]);
  }
  // Values are copied: the list passed in may be reused.
  const vals: FieldValue[] = ['1', '2', '3', '4', '5', '6', '7', '8'];
  const first = make(vals);
  vals[0] = 'changed';
  assert.equal(first.Image, '1');
});

test('a made map inherits nothing, takes fields added later (derived fields), and clones as a plain map', () => {
  const make = fieldMaker(['SubjectUserName', 'toString']);
  assert.ok(make);
  const f = make(['bob', 't']);
  for (const name of ['constructor', 'hasOwnProperty', 'valueOf', '__proto__', '__defineGetter__']) {
    assert.equal(f[name], undefined, name);
    assert.equal(name in f, false, name);
  }
  assert.equal(f.toString, 't');
  f.__User = 'DOM\\bob';
  assert.deepEqual(Object.keys(f), ['SubjectUserName', 'toString', '__User']);
  assert.deepEqual(structuredClone(f), { SubjectUserName: 'bob', toString: 't', __User: 'DOM\\bob' });
});

test('hostile names are data, never code: quotes, backslashes, line separators, lone surrogates, script', () => {
  const keys = ['a"b', 'c\\d', 'e\u2028f', '\ud800', "g'h", '${x}', '*/', '\n', '', '"]; globalThis.pwned = 1; this["', '</script>'];
  const make = fieldMaker(keys);
  assert.ok(make);
  const vals = keys.map((_, i) => `v${i}`);
  sameMap(make(vals), growFields(keys, vals));
  assert.equal((globalThis as Record<string, unknown>).pwned, undefined);
});

test('lists that get no maker (the caller grows the map): empty, naming __proto__, longer than MAX_MAKER_KEYS', () => {
  assert.equal(fieldMaker([]), undefined);
  assert.equal(fieldMaker(['Image', '__proto__']), undefined);
  const long = Array.from({ length: MAX_MAKER_KEYS + 1 }, (_, i) => `k${i}`);
  assert.equal(fieldMaker(long), undefined);
  assert.ok(fieldMaker(long.slice(0, MAX_MAKER_KEYS)));
  // growFields keeps __proto__ as a field like any other.
  const g = growFields(['Image', '__proto__'], ['a', 'p']);
  assert.deepEqual(Object.keys(g), ['Image', '__proto__']);
  assert.equal(g.__proto__, 'p');
});

test('with code generation turned off (node --disallow-code-generation-from-strings) there is no maker, and no error', () => {
  const url = new URL('../../src/events/field-shape.js', import.meta.url).href;
  const script = `const { fieldMaker } = await import(${JSON.stringify(url)});
    process.stdout.write(JSON.stringify([fieldMaker(['Image']) === undefined, fieldMaker(['Image', 'User']) === undefined]));`;
  const run = spawnSync(process.execPath, ['--disallow-code-generation-from-strings', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  assert.deepEqual(JSON.parse(run.stdout), [true, true]);
});

test('the same names give the same maker: a list met again (the next scan, in a long-running process) spends no new constructor', () => {
  const names = ['Provider_Name', 'EventID', 'Odd "name"'];
  const first = fieldMaker(names);
  const before = makerCount();
  assert.ok(first);
  assert.equal(fieldMaker([...names]), first);
  assert.equal(makerCount(), before);
  assert.notEqual(fieldMaker([...names, 'more']), first);
  assert.equal(makerCount(), before + 1);
  // Maps of one list share one prototype with no members, whichever call made them.
  assert.equal(Object.getPrototypeOf(first(['a', 'b', 'c'])), Object.getPrototypeOf(fieldMaker([...names])!(['d', 'e', 'f'])));
});
