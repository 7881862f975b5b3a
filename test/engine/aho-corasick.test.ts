/**
 * The literal automaton (full rows for shallow states, edges and failure links for deep ones)
 * finds exactly what a naive search finds, with its start/end/whole-value marks, case-insensitively;
 * its tables survive a round trip through plain data, and bad tables are refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiteralAutomaton, newMarks } from '../../src/engine/aho-corasick.js';
import { AUTOMATON_ARRAYS, type AutomatonData } from '../../src/engine/automaton-data.js';
import { foldString } from '../../src/engine/case-fold.js';

/** Deterministic pseudo-random numbers (a test must give the same cases every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ['a', 'b', 'c', 'A', 'B', '\\', '.', 'é', 'É', 'ж', '😀'];

function randomText(r: () => number, max: number): string {
  let s = '';
  const n = 1 + Math.floor(r() * max);
  for (let i = 0; i < n; i++) s += ALPHABET[Math.floor(r() * ALPHABET.length)];
  return s;
}

function naive(patterns: string[], text: string): Map<number, string> {
  const t = foldString(text);
  const out = new Map<number, string>();
  patterns.forEach((p, id) => {
    const at = t.indexOf(p);
    if (at < 0) return;
    const marks = ['hit'];
    if (t.startsWith(p)) marks.push('start');
    if (t.endsWith(p)) marks.push('end');
    if (t === p) marks.push('exact');
    out.set(id, marks.join(','));
  });
  return out;
}

function found(a: LiteralAutomaton, size: number, text: string): Map<number, string> {
  const m = newMarks(size);
  m.gen = 1;
  a.scan(text, m);
  const first = [...m.found.subarray(0, m.count)];
  const out = new Map<number, string>();
  for (let id = 0; id < size; id++) {
    if (m.hit[id] !== 1) continue;
    const marks = ['hit'];
    if (m.start[id] === 1) marks.push('start');
    if (m.end[id] === 1) marks.push('end');
    if (m.exact[id] === 1) marks.push('exact');
    out.set(id, marks.join(','));
  }
  assert.deepEqual([...first].sort((x, y) => x - y), [...out.keys()], 'each found pattern appended to found once');
  return out;
}

test('finds what a naive search finds, for random patterns and texts, shallow and deep states', () => {
  const r = rng(42);
  for (let round = 0; round < 60; round++) {
    // Long patterns give deep (sparse) states; many short ones fill the full rows.
    const patterns = [...new Set(Array.from({ length: 1 + Math.floor(r() * 40) }, () => foldString(randomText(r, round % 2 ? 12 : 4))))];
    const a = new LiteralAutomaton();
    patterns.forEach((p, id) => a.add(p, id));
    a.build();
    for (let i = 0; i < 40; i++) {
      const text = i % 5 === 0 ? patterns[i % patterns.length].toUpperCase() : randomText(r, 30);
      assert.deepEqual(found(a, patterns.length, text), naive(patterns, text), `patterns ${JSON.stringify(patterns)} text ${JSON.stringify(text)}`);
    }
  }
});

test('a long single pattern (a chain of sparse states) with overlapping prefixes', () => {
  const patterns = ['aaaaaaaaab', 'aaab', 'ab', 'baaaaaaaaa'];
  const a = new LiteralAutomaton();
  patterns.forEach((p, id) => a.add(p, id));
  a.build();
  assert.ok(a.data.dense < a.data.states, 'some states are sparse');
  for (const text of ['aaaaaaaaaaaaab', 'AAAAAAAAAB', 'baaaaaaaaab', 'aab', 'b']) {
    assert.deepEqual(found(a, patterns.length, text), naive(patterns, text), text);
  }
});

test('tables from plain data are checked: a copy works, a damaged copy is refused', () => {
  const a = new LiteralAutomaton();
  ['abc', 'bcd', 'aaaaaaaaaaaaz'].forEach((p, id) => a.add(p, id));
  a.build();
  const copy = (): AutomatonData => {
    const d = { ...a.data };
    for (const k of AUTOMATON_ARRAYS) (d as unknown as Record<string, unknown>)[k] = a.data[k].slice();
    return d;
  };
  const b = LiteralAutomaton.fromData(copy(), 3);
  assert.deepEqual(found(b, 3, 'xabcdaaaaaaaaaaaaaz'), naive(['abc', 'bcd', 'aaaaaaaaaaaaz'], 'xabcdaaaaaaaaaaaaaz'));
  const bad: Array<[string, (d: AutomatonData) => void]> = [
    ['loop', (d) => (d.fail[d.states - 1] = d.states - 1)],
    ['target', (d) => (d.delta[3] = 2 * d.states + 2)],
    ['class', (d) => (d.ascii[97] = d.k)],
    ['pattern id', (d) => (d.pid[d.states - 1] = 3)],
    ['dictionary link', (d) => (d.dict[1] = 1)],
    ['short array', (d) => (d.out = d.out.subarray(1))],
    // A target's low bit says whether the state ends a pattern: it must agree with the output links.
    ['target flag', (d) => (d.delta[0] ^= 1)],
    ['negative target', (d) => (d.delta[1] = -2)],
    ['block offset', (d) => (d.blocks[1] = 1)],
    ['pool class', (d) => (d.pool[0] = d.k)],
    ['output link', (d) => (d.out[1] = d.states)],
    ['edge target flag', (d) => (d.edgeTo[0] ^= 1)],
    ['edge class', (d) => (d.edgeClass[0] = d.k)],
    ['edge order', (d) => {
      d.edgeStart[1] = d.edgeStart[2] + 1;
    }],
  ];
  assert.ok(a.data.dense < a.data.states && a.data.edgeStart.length > 2, 'the damaged copies have sparse states to damage');
  for (const [what, damage] of bad) {
    const d = copy();
    damage(d);
    assert.throws(() => LiteralAutomaton.fromData(d, 3), /automaton table/, what);
  }
});

test('a value scanned before is replayed from the memo: the same marks and onFirst calls, in the same order, as a first scan', () => {
  const r = rng(7);
  for (let round = 0; round < 30; round++) {
    const patterns = [...new Set(Array.from({ length: 1 + Math.floor(r() * 30) }, () => foldString(randomText(r, round % 2 ? 10 : 3))))];
    const n = patterns.length + 3;
    const build = (): LiteralAutomaton => {
      const a = new LiteralAutomaton();
      patterns.forEach((p, id) => a.add(p, id));
      a.build();
      return a;
    };
    const seen = build();
    // Keyword links: a hit of some patterns is also the hit of an id no pattern has.
    const also = new Int32Array(n).fill(-1);
    for (let id = 0; id < patterns.length; id += 3) also[id] = patterns.length + (id % 3);
    const run = (a: LiteralAutomaton, m: ReturnType<typeof newMarks>, gen: number, before: string, text: string): { first: number[]; marks: string } => {
      m.gen = gen;
      m.count = 0;
      a.scan(before, m);
      m.count = 0;
      a.scan(text, m);
      const first = [...m.found.subarray(0, m.count)];
      const marks = Array.from({ length: n }, (_, id) => [m.hit, m.start, m.end, m.exact].map((x) => (x[id] === gen ? 1 : 0)).join('')).join(' ');
      return { first, marks };
    };
    const ms = newMarks(n);
    ms.also = also;
    for (let i = 0; i < 20; i++) {
      const text = i % 4 === 0 ? patterns[i % patterns.length] : randomText(r, 20);
      const before = randomText(r, 8);
      run(seen, ms, 2 * i + 1, randomText(r, 8), text); // first scan of text: remembered
      const again = run(seen, ms, 2 * i + 2, before, text); // from the memo
      const fresh = newMarks(n);
      fresh.also = also;
      const reference = run(build(), fresh, 1, before, text);
      assert.deepEqual(again, reference, `patterns ${JSON.stringify(patterns)} before ${JSON.stringify(before)} text ${JSON.stringify(text)}`);
    }
  }
});

test('the anchor gate never hides a pattern: values of common characters (GUIDs, times, numbers) next to rare ones, any case', () => {
  const r = rng(99);
  // Mostly characters of GUIDs and timestamps (never anchors while a rarer one is in the pattern),
  // a few rare ones, upper-case forms, and characters that fold across ASCII (Kelvin sign -> k).
  const common = ['0', '1', '9', 'a', 'f', 'A', 'F', '-', ':', '.', '{', '}', 'T', 'Z', 'x', ' '];
  const rare = ['q', 'Q', 'k', '\u212a', 'é', 'É', '\\', 'w', '😀'];
  const pick = (): string => {
    const from = r() < 0.85 ? common : rare;
    return from[Math.floor(r() * from.length)];
  };
  const text = (max: number): string => Array.from({ length: 1 + Math.floor(r() * max) }, pick).join('');
  let skipped = 0;
  for (let round = 0; round < 80; round++) {
    // Some patterns only of common characters: their anchor is then a common one.
    const patterns = [...new Set(Array.from({ length: 1 + Math.floor(r() * 12) }, () => foldString(text(round % 2 ? 8 : 3))))].filter((p) => p !== '');
    const a = new LiteralAutomaton();
    patterns.forEach((p, id) => a.add(p, id));
    a.build();
    const gate = a.data.gate;
    for (let i = 0; i < 60; i++) {
      const t = i % 7 === 0 ? `{${patterns[i % patterns.length].toUpperCase()}}` : text(40);
      let anchored = false;
      for (let j = 0; j < t.length && !anchored; j++) {
        const ch = t.charCodeAt(j);
        anchored = gate[ch < 128 ? a.data.ascii[ch] : a.data.pool[a.data.blocks[ch >> 8] + (ch & 255)]] !== 0;
      }
      if (!anchored) skipped++;
      assert.deepEqual(found(a, patterns.length, t), naive(patterns, t), `patterns ${JSON.stringify(patterns)} text ${JSON.stringify(t)}`);
    }
  }
  assert.ok(skipped > 100, `the gate skips values (${skipped})`);
});

test('the gate marks the class of each pattern\'s rarest character, and a value without one is not scanned', () => {
  const a = new LiteralAutomaton();
  ['mimikatz', '2024-01-01', '{0cce9210-69ae}'].forEach((p, id) => a.add(p, id));
  a.build();
  const d = a.data;
  const cls = (c: string): number => d.ascii[c.charCodeAt(0)];
  // 'k' is the rarest of "mimikatz"; the date and the GUID have only common characters: their rarest ones.
  assert.equal(d.gate[cls('k')], 1);
  assert.equal(d.gate[cls('m')], 0);
  assert.deepEqual(found(a, 3, '{4D5E6F70-1234-5678-9ABC-DEF012345678}'), new Map());
  assert.deepEqual(found(a, 3, 'MIMIKATZ.exe 2024-01-01'), naive(['mimikatz', '2024-01-01', '{0cce9210-69ae}'], 'MIMIKATZ.exe 2024-01-01'));
  assert.deepEqual(found(a, 3, 'x{0CCE9210-69AE}'), new Map([[2, 'hit,end']]));
});
