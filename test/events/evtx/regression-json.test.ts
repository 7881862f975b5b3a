/**
 * The sigma-regression corpus ships each .evtx with the evtx_dump JSON of its events. detectory's
 * reader must produce exactly that JSON ({"Event": event}) for every record.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { readEvtxFile } from '../../../src/events/evtx/index.js';
import { NOTICE_REASONS, type ReadProblem } from '../../../src/events/types.js';
import { requireShared } from '../../helpers/shared.js';
import { listEvtx } from './oracle-compare.js';

/** A .json file there may hold several pretty-printed JSON objects one after another. */
export function parseConcatenatedJson(text: string): unknown[] {
  const out: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (i >= text.length) break;
    let depth = 0;
    let inStr = false;
    let esc = false;
    let j = i;
    for (; j < text.length; j++) {
      const c = text[j];
      if (inStr) {
        if (esc) esc = false;
        else if (c === '\\') esc = true;
        else if (c === '"') inStr = false;
      } else if (c === '"') inStr = true;
      else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        depth--;
        if (depth === 0) {
          j++;
          break;
        }
      }
    }
    out.push(JSON.parse(text.slice(i, j)));
    i = j;
  }
  return out;
}

/**
 * Two spellings where evtx_dump (the .json files) departs from what Windows writes, and detectory
 * follows Windows (as libevtx and python-evtx do, see oracles.test.ts):
 * - GUIDs: Windows renders them in braces ({54849625-5478-4994-A5BA-3E3B0328C30D}: Event Viewer's
 *   XML, evtxexport, python-evtx, and SigmaHQ rules that match SubcategoryGuid); evtx_dump drops them;
 * - trailing white space: Windows keeps a value as stored (LogonProcessName "NtLmSsp "); evtx_dump
 *   trims it.
 */
const GUID_IN_BRACES = /^\{[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}\}$/;
export function evtxDumpSpelling(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  if (GUID_IN_BRACES.test(v)) return v.slice(1, -1);
  return v.trimEnd();
}

function diffPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (isDeepStrictEqual(a, b)) return;
  if (typeof a === 'string' && evtxDumpSpelling(a) === b) return;
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const ao = a as Record<string, unknown>;
    const bo = b as Record<string, unknown>;
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) diffPaths(ao[k], bo[k], `${path}/${k}`, out);
    return;
  }
  out.push(`${path}: detectory=${JSON.stringify(a)} json=${JSON.stringify(b)}`);
}

/**
 * Known differences, each explained. The one file below disagrees with its own .json:
 * - its SystemTime has 9 fractional digits: that .json came from an evtx_dump version that prints
 *   nanoseconds, while the 174 other events were dumped with microseconds (truncated), which is the
 *   form detectory follows; the 100 ns value 08:31:26.7511565 is the same in both;
 * - ParentCommandLine reads "C:\Windows\Explorer.EXE" in the binary record (evtxexport and
 *   python-evtx print Explorer.EXE too; the oracle test checks it), the .json says "Explorer.exe":
 *   the .json was edited or produced from another copy of the event. detectory is right.
 */
const KNOWN: Record<string, string[]> = {
  'ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx#0': [
    '/Event/System/TimeCreated/#attributes/SystemTime: detectory="2026-03-20T08:31:26.751156Z" json="2026-03-20T08:31:26.751156500Z"',
    '/Event/EventData/ParentCommandLine: detectory="C:\\\\Windows\\\\Explorer.EXE" json="C:\\\\Windows\\\\Explorer.exe"',
  ],
};

test('EVTX reader output equals the evtx_dump JSON beside each sigma-regression .evtx', async (t) => {
  const shared = requireShared(t, 'the sigma-regression EVTX/JSON comparison');
  if (!shared) return;
  const files = listEvtx(join(shared, 'conformance/sigma-regression'));
  assert.ok(files.length > 0);
  let compared = 0;
  const unexpected: string[] = [];
  const knownSeen = new Set<string>();
  for (const f of files) {
    const expected = parseConcatenatedJson(readFileSync(f.replace(/\.evtx$/i, '.json'), 'utf8'));
    const problems: ReadProblem[] = [];
    const got: unknown[] = [];
    for await (const r of readEvtxFile(f, (p) => (NOTICE_REASONS.has(p.reason) ? undefined : problems.push(p)))) got.push({ Event: r.event });
    assert.deepEqual(problems, [], `${f}: read problems`);
    assert.equal(got.length, expected.length, `${f}: record count`);
    for (let i = 0; i < got.length; i++) {
      compared++;
      const d: string[] = [];
      diffPaths(got[i], expected[i], '', d);
      if (!d.length) continue;
      const key = `${f.split('/').pop()}#${i}`;
      if (KNOWN[key] && isDeepStrictEqual(d, KNOWN[key])) knownSeen.add(key);
      else unexpected.push(`${f} record ${i}:\n  ${d.join('\n  ')}`);
    }
  }
  t.diagnostic(`${files.length} files, ${compared} records compared, ${knownSeen.size} known (explained) differences`);
  assert.deepEqual(unexpected, []);
  assert.deepEqual([...knownSeen].sort(), Object.keys(KNOWN).sort(), 'each known difference still occurs');
});

test('timestamp keeps 100 ns precision while SystemTime follows evtx_dump', async (t) => {
  const shared = requireShared(t, 'the sigma-regression EVTX files');
  if (!shared) return;
  const f = listEvtx(join(shared, 'conformance/sigma-regression')).find((p) => p.endsWith('ad691d92-15f2-4181-9aa4-723c74f9ddc3.evtx'));
  assert.ok(f);
  for await (const r of readEvtxFile(f, () => undefined)) {
    assert.equal(r.timestamp, '2026-03-20T08:31:26.7511565Z');
    assert.equal(r.recordId, 23419552);
    break;
  }
});
