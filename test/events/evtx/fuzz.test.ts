/**
 * Bounded fuzz test: a fixed seed and a fixed number of mutations (bit flips, truncations, splices
 * of sample files, zeroed ranges, duplicated chunks). For each mutated file the reader must finish
 * without throwing, report well-formed problems, and never yield different records silently: when
 * the records differ from the original file's, at least one problem says why (every byte that
 * shapes a record is covered by a checksum or a structural check).
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { CHUNK_SIZE, FILE_HEADER_SIZE, readEvtxFile } from '../../../src/events/evtx/index.js';
import { type EventRecord, NOTICE_REASONS, type ReadProblem } from '../../../src/events/types.js';
import { requireShared } from '../../helpers/shared.js';

const ITERATIONS = 300;
const SEED = 0x5eed1234;

const SAMPLES = [
  'evtx/EVTX-ATTACK-SAMPLES/Lateral Movement/LM_5145_Remote_FileCopy.evtx',
  'evtx/EVTX-ATTACK-SAMPLES/Lateral Movement/spoolsample_5145.evtx',
  'evtx/EVTX-ATTACK-SAMPLES/Execution/rogue_msi_url_1040_1042.evtx',
  'evtx/EVTX-ATTACK-SAMPLES/Credential Access/MSSQL_multiple_failed_logon_EventID_18456.evtx',
  'evtx/EVTX-ATTACK-SAMPLES/Defense Evasion/Win_4985_T1186_Process_Doppelganging.evtx',
];

/** mulberry32: small deterministic PRNG. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readAll(path: string): Promise<{ records: EventRecord[]; problems: ReadProblem[] }> {
  const problems: ReadProblem[] = [];
  const records: EventRecord[] = [];
  // Notices (deleted records left in chunk slack) report no damage: left out here.
  for await (const r of readEvtxFile(path, (p) => (NOTICE_REASONS.has(p.reason) ? undefined : problems.push(p)), { threads: 1 })) records.push(r);
  return { records, problems };
}

const dir = mkdtempSync(join(tmpdir(), 'detectory-evtx-fuzz-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test(`fuzz: ${ITERATIONS} mutations of sample files, no throw, damage always reported`, { timeout: 300_000 }, async (t) => {
  const shared = requireShared(t, 'the EVTX fuzz test (it mutates the shared samples)');
  if (!shared) return;
  const samples = SAMPLES.map((s) => readFileSync(join(shared, s)));
  const originals: EventRecord[][] = [];
  for (let i = 0; i < samples.length; i++) {
    const p = join(dir, `orig${i}.evtx`);
    writeFileSync(p, samples[i]);
    const r = await readAll(p);
    assert.deepEqual(r.problems, []);
    originals.push(r.records.map((x) => ({ ...x, file: '' })));
  }
  const rand = rng(SEED);
  const int = (n: number) => Math.floor(rand() * n);
  const kinds: Record<string, number> = {};
  let totalRecords = 0;
  let totalProblems = 0;
  for (let it = 0; it < ITERATIONS; it++) {
    const si = int(samples.length);
    let b = Buffer.from(samples[si]);
    const kind = ['flip', 'flip-records', 'truncate', 'splice', 'zero', 'dup-chunk', 'flip-many'][int(7)];
    kinds[kind] = (kinds[kind] ?? 0) + 1;
    switch (kind) {
      case 'flip':
        b[int(b.length)] ^= 1 << int(8);
        break;
      case 'flip-records': {
        // Flips inside the Binary XML of the first chunk: exercises the token decoder.
        const p = FILE_HEADER_SIZE + 512 + int(Math.min(b.length, FILE_HEADER_SIZE + CHUNK_SIZE) - FILE_HEADER_SIZE - 512);
        b[p] ^= 1 << int(8);
        break;
      }
      case 'flip-many':
        for (let k = 0, n = 1 + int(200); k < n; k++) b[int(b.length)] ^= 1 << int(8);
        break;
      case 'truncate':
        b = b.subarray(0, int(b.length));
        break;
      case 'splice': {
        const o = samples[int(samples.length)];
        const len = 1 + int(Math.min(8192, o.length));
        const from = int(o.length - len);
        const to = int(Math.max(1, b.length - len));
        o.copy(b, to, from, from + len);
        break;
      }
      case 'zero': {
        const len = 1 + int(4096);
        const at = int(Math.max(1, b.length - len));
        b.fill(0, at, at + len);
        break;
      }
      case 'dup-chunk': {
        const chunks = Math.floor((b.length - FILE_HEADER_SIZE) / CHUNK_SIZE);
        if (chunks >= 1) {
          const c = b.subarray(FILE_HEADER_SIZE + int(chunks) * CHUNK_SIZE, FILE_HEADER_SIZE + (int(chunks) + 1) * CHUNK_SIZE);
          b = Buffer.concat([b, c]);
        }
        break;
      }
    }
    const path = join(dir, `m${it}.evtx`);
    writeFileSync(path, b);
    let res: { records: EventRecord[]; problems: ReadProblem[] };
    try {
      res = await readAll(path);
    } catch (e) {
      assert.fail(`iteration ${it} (${kind} of ${SAMPLES[si]}): reader threw ${(e as Error).stack}`);
    }
    totalRecords += res.records.length;
    totalProblems += res.problems.length;
    for (const p of res.problems) {
      assert.equal(p.file, path);
      assert.ok(p.reason && p.message, `iteration ${it}: problem without reason/message`);
    }
    for (const r of res.records) assert.ok(r.event && typeof r.event === 'object');
    const same = isDeepStrictEqual(res.records.map((x) => ({ ...x, file: '' })), originals[si]);
    if (!same && kind !== 'dup-chunk') {
      assert.ok(res.problems.length > 0, `iteration ${it} (${kind} of ${SAMPLES[si]}): records changed but no problem was reported`);
    }
    rmSync(path);
  }
  t.diagnostic(`mutations: ${JSON.stringify(kinds)}; ${totalRecords} records yielded, ${totalProblems} problems reported`);
});
