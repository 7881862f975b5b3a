import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { fastYamlDocs } from '../../src/formats/yaml-fast.js';
import { parseSigmaText } from '../../src/formats/sigma/index.js';
import { collectFiles } from '../../src/util/walk-files.js';
import { requireShared } from '../helpers/shared.js';

/** What the `yaml` package reads: each document's data (or its first error) and its start line. */
function reference(text: string): Array<{ data: unknown; line: number }> {
  const lc = new LineCounter();
  return parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false }).map((d) => ({
    data: d.errors.length ? `error: ${d.errors[0].message}` : d.toJS({ maxAliasCount: 100 }),
    line: lc.linePos(d.range[0]).line,
  }));
}

/** The fast reader either leaves a text to the `yaml` package or reads exactly what it reads. */
function checkSame(text: string): boolean {
  const fast = fastYamlDocs(text);
  if (fast === undefined) return false;
  assert.deepStrictEqual(fast, reference(text), `fast reading differs for ${JSON.stringify(text)}`);
  return true;
}

test('reads the YAML of rule files as the yaml package does', () => {
  const texts = [
    "title: x\nid: 1\ndetection:\n    sel:\n        A|contains:\n            - 'a''b'\n            - \"c\\\\d\\x41\\u00e9\"\n        B: 5\n    condition: sel # c\nlevel: high\n",
    'a: |\n    line1\n\n      more\n    line2\n\n\nb: >-\n  folded\n  text\n\n\n  para\nc: |-\n  x\n',
    'k:\n- x\n- y: 1\n  z: 2\n-\n  n: 3\nother: ~\n',
    '# head\n---\nk: v\n---\n\n# c\nk2: 0x1F\n---\n',
    'nums: [1]\n',
    'a: null\nb: True\nc: .inf\nd: 1e3\ne: -.5\nf: 0o17\ng: 12345678901234567890\n"q k": 1\n\'s k\' : 2\n1: 4\n',
    '__proto__: 1\ntoString: 2\nk: 1\nk: 2\n',
    'a: 1\n---\n# x\n\nb: 2\n...\n---\nc: 3\n',
    '\n\n---\n\n\nk: 1\n---\n',
    'a: -x\nb: C:\\Windows\\x.exe\nc: a#b\nd: http://x/y\n',
    'a: &x 1\nb: *x\nc: {d: [1, 2]}\n',
  ];
  for (const t of texts) assert.ok(checkSame(t), `read fast: ${JSON.stringify(t)}`);
});

test('plain scalars: numbers, booleans and nulls resolved as the yaml package resolves them', () => {
  const tails = ['', 'ull', 'ULL', 'rue', 'RUE', 'alse', 'ALSE', '1', '.5', '5.', 'x1F', 'o17', 'inf', 'Inf', 'nan', 'NaN', 'e3', '1e-3', '0', '_1'];
  let taken = 0;
  for (let c = 33; c < 127; c++) {
    for (const tail of tails) {
      const v = String.fromCharCode(c) + tail;
      if (checkSame(`k: ${v}\n${v}: 1\n`)) taken++;
    }
  }
  assert.ok(taken > 1000, `only ${taken} read fast`);
});

test('leaves to the yaml package: invalid YAML, null keys, scalars over several lines, aliases of collections (a bomb), directives, tabs, CR, a BOM', () => {
  const laughs = 'a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n';
  for (const t of ['null: 3\n', 'k: "ull\n"ull: 1\n', 'a: b\n  c\n', 'a: b: c\n', 'a: [1\n', laughs, '%YAML 1.2\n---\na: 1\n', 'a:\tb\n', 'a: b\r\n', '\ufeffa: 1\n', 'k: 1\nk: [\n']) {
    assert.equal(fastYamlDocs(t), undefined, JSON.stringify(t));
  }
});

/** Deterministic pseudo-random numbers (high bits of an LCG). */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return (s >>> 8) % n;
  };
}

test('random documents and mutations: never read differently from the yaml package', () => {
  const rnd = random(7);
  const pick = <T>(a: T[]): T => a[rnd(a.length)];
  const scalars = ['a', 'b c', '1', '0x1F', '.5', '-3', 'null', '~', 'true', 'False', "'q''x'", '"d\\"e"', '"\\x41\\u00e9"', "''", '""', 'a#b', 'a #c', 'C:\\x', '-x', '1e3', 'x:y', "'a' # c"];
  const keys = ['a', 'b', 'k|contains', '1', 'null', '~', '"q"', "'s k'", 'true', 'x y', '__proto__', '0x1'];
  const noise = [' ', '\n', '\n  ', '- ', ': ', ':', '#', ' #', "'", '"', '\\', '|', '>', '---', 'a', '1', '-', '%', '@', '[', '{', '?', '&a', '*a', '!', '\t', '\r', '\u2028', '\u00a0', '\ufeff'];
  const gen = (depth: number, ind: number): string => {
    const sp = ' '.repeat(ind);
    const seq = rnd(2) === 1;
    let out = '';
    for (let i = 1 + rnd(3); i > 0; i--) {
      out += seq ? `${sp}-` : `${sp}${pick(keys)}:`;
      const r = rnd(depth > 3 ? 2 : 5);
      if (r === 0) {
        out += ` ${pick(scalars)}\n`;
      } else if (r === 1) {
        out += ` ${pick(['|', '|-', '>', '>-'])}\n`;
        const bi = ind + 1 + rnd(4);
        for (let j = 1 + rnd(4); j > 0; j--) out += rnd(4) === 0 ? `${' '.repeat(rnd(bi + 2))}\n` : `${' '.repeat(bi + (rnd(5) === 0 ? 1 : 0))}${pick(scalars)}\n`;
      } else if (r === 2 && seq) {
        out += ` ${gen(depth + 1, ind + 2).slice(ind + 2)}`;
      } else {
        out += `${rnd(5) === 0 ? ' # c' : ''}\n${gen(depth + 1, !seq && rnd(3) === 0 ? ind : ind + 1 + rnd(4))}`;
      }
    }
    return out;
  };
  let taken = 0;
  for (let i = 0; i < 8000; i++) {
    let t = (rnd(4) === 0 ? '---\n' : '') + gen(0, 0) + (rnd(4) === 0 ? `---\n${gen(0, 0)}` : '');
    for (let m = rnd(3); m > 0; m--) {
      const p = rnd(t.length + 1);
      t = t.slice(0, p) + pick(noise) + t.slice(p + rnd(2));
    }
    if (checkSame(t)) taken++;
  }
  // The test must exercise the fast reader, not only its refusals.
  assert.ok(taken > 500, `only ${taken} texts were read fast`);
});

test('SigmaHQ: the fast reader gives the same documents, rules and problems as the yaml package', (t) => {
  const shared = requireShared(t, 'the SigmaHQ corpus');
  if (!shared) return;
  const files = collectFiles([join(shared, 'corpora', 'sigma')], (n) => /\.ya?ml$/.test(n), () => undefined);
  assert.ok(files.length > 3000);
  let fast = 0;
  for (const f of files) {
    const text = readFileSync(f, 'utf8');
    if (!checkSame(text)) continue;
    fast++;
    // A tab in a final comment sends the same rules through the yaml package (line numbers unchanged).
    assert.deepStrictEqual(parseSigmaText(text, f), parseSigmaText(`${text}\n#\t`, f), f);
  }
  assert.ok(fast / files.length > 0.97, `${fast} of ${files.length} files read fast`);
});
