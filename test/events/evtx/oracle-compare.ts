/**
 * Helpers for the EVTX oracle test: runs evtxexport and python-evtx (through oracle.py), summarizes
 * detectory's records the same way, normalizes value spellings and lists the differences.
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEvtxFile } from '../../../src/events/evtx/index.js';
import { type EventRecord, NOTICE_REASONS, type ReadProblem } from '../../../src/events/types.js';

export interface Summary {
  id: string | null;
  eid: string | null;
  ts: string | null;
  computer: string | null;
  channel: string | null;
  provider: string | null;
  /** Every System element text ("Channel") and attribute ("Provider@Guid"). */
  system: [string, string][];
  data: [string, string][];
}

export interface FileResult {
  file: string;
  records: Summary[];
  errors: string[];
}

/** oracle.py lives beside this file's source (dist/test/events/evtx -> test/events/evtx). */
export const ORACLE_PY = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../test/events/evtx/oracle.py');

export function listEvtx(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d).sort()) {
      const p = join(d, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (e.toLowerCase().endsWith('.evtx')) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** Oracle results are cached per (oracle, oracle.py, file content): a re-run only decodes what changed. */
export const ORACLE_CACHE = join(tmpdir(), 'detectory-evtx-oracle-cache');

function cachePath(mode: string, file: string): string {
  const h = createHash('sha256');
  h.update(mode).update('\0').update(readFileSync(ORACLE_PY)).update('\0').update(readFileSync(file));
  return join(ORACLE_CACHE, `${mode}-${h.digest('hex').slice(0, 32)}.json`);
}

/** Runs oracle.py in `procs` processes over the files not in the cache; resolves with one result per file. */
export async function runOracle(mode: 'evtxexport' | 'pyevtx', allFiles: string[], procs: number): Promise<Map<string, FileResult>> {
  const results = new Map<string, FileResult>();
  const cacheOf = new Map<string, string>();
  const files: string[] = [];
  mkdirSync(ORACLE_CACHE, { recursive: true });
  for (const f of allFiles) {
    const c = cachePath(mode, f);
    cacheOf.set(f, c);
    if (existsSync(c)) {
      try {
        results.set(f, { ...(JSON.parse(readFileSync(c, 'utf8')) as FileResult), file: f });
        continue;
      } catch {
        // A damaged cache entry: decode again.
      }
    }
    files.push(f);
  }
  const parts: string[][] = Array.from({ length: procs }, () => []);
  files.forEach((f, i) => parts[i % procs].push(f));
  await Promise.all(
    parts.map(
      (list) =>
        new Promise<void>((res, rej) => {
          const p = spawn('/usr/bin/python3', [ORACLE_PY, mode], { stdio: ['pipe', 'pipe', 'pipe'] });
          let buf = '';
          let err = '';
          p.stdout.setEncoding('utf8');
          p.stdout.on('data', (d: string) => {
            buf += d;
            let i;
            while ((i = buf.indexOf('\n')) >= 0) {
              const line = buf.slice(0, i);
              buf = buf.slice(i + 1);
              if (line) {
                const r = JSON.parse(line) as FileResult;
                results.set(r.file, r);
                const c = cacheOf.get(r.file);
                if (c && !r.errors.length) writeFileSync(c, line);
              }
            }
          });
          p.stderr.on('data', (d: Buffer) => (err += d.toString()));
          p.on('error', rej);
          p.on('close', (code) => (code === 0 ? res() : rej(new Error(`oracle.py ${mode} exited ${code}: ${err.slice(-500)}`))));
          p.stdin.end(list.join('\n') + '\n');
        }),
    ),
  );
  return results;
}

function scalarText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return String(v);
}

/** Flattens EventData / UserData of a detectory event into [name, text] pairs like oracle.py does. */
function dataPairs(node: unknown, name: string, out: [string, string][]): void {
  if (Array.isArray(node)) {
    for (const v of node) dataPairs(v, name, out);
    return;
  }
  if (node && typeof node === 'object') {
    const o = node as Record<string, unknown>;
    const keys = Object.keys(o).filter((k) => k !== '#attributes');
    if (keys.length === 1 && keys[0] === '#text') {
      dataPairs(o['#text'], name, out);
      return;
    }
    if (keys.length === 0) {
      out.push([name, '']);
      return;
    }
    for (const k of keys) dataPairs(o[k], k === '#text' ? name : k, out);
    return;
  }
  out.push([name, scalarText(node)]);
}

export function summarizeMine(r: EventRecord): Summary {
  const ev = r.event;
  const sys = (ev.System ?? {}) as Record<string, unknown>;
  const text = (v: unknown): string | null => {
    if (v === undefined) return null;
    if (v && typeof v === 'object' && !Array.isArray(v)) return scalarText((v as Record<string, unknown>)['#text']);
    return scalarText(v);
  };
  const attrs = (v: unknown) => ((v && typeof v === 'object' ? (v as Record<string, unknown>)['#attributes'] : undefined) ?? {}) as Record<string, unknown>;
  const data: [string, string][] = [];
  for (const part of ['EventData', 'UserData']) {
    const d = ev[part];
    if (d && typeof d === 'object') {
      for (const [k, v] of Object.entries(d as Record<string, unknown>)) {
        if (k === '#attributes') continue;
        if (part === 'UserData') {
          // UserData holds one element whose leaves are the values.
          const inner: [string, string][] = [];
          dataPairs(v, k, inner);
          data.push(...inner);
        } else {
          dataPairs(v, k, data);
        }
      }
    }
  }
  const system: [string, string][] = [];
  for (const [k, v] of Object.entries(sys)) {
    if (k === '#attributes') continue;
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const o = v as Record<string, unknown>;
      if ('#text' in o) system.push([k, scalarText(o['#text'])]);
      for (const [a, x] of Object.entries(attrs(v))) system.push([`${k}@${a}`, scalarText(x)]);
    } else {
      system.push([k, scalarText(v)]);
    }
  }
  const prov = attrs(sys.Provider).Name;
  return {
    id: r.recordId === undefined ? null : String(r.recordId),
    eid: text(sys.EventID),
    ts: r.timestamp ?? null,
    computer: text(sys.Computer),
    channel: text(sys.Channel),
    provider: prov === undefined ? null : String(prov),
    system,
    data,
  };
}

export async function summarizeFile(file: string): Promise<{ records: Summary[]; problems: ReadProblem[] }> {
  const problems: ReadProblem[] = [];
  const records: Summary[] = [];
  // Notices (leftover records in chunk slack, not read without --recover) are no read problem.
  for await (const r of readEvtxFile(file, (p) => (NOTICE_REASONS.has(p.reason) ? undefined : problems.push(p)), { threads: 1 })) records.push(summarizeMine(r));
  return { records, problems };
}

const GUID_LOWER = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/;
const PADDED_HEX = /^0x0[0-9a-f]+$/i;
const ISO = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?Z?$/;

/**
 * The documented normalizations: each one undoes a way the harness or an ORACLE departs from what
 * Windows writes. GUID braces and trailing white space are never touched: they are compared as is.
 * - line ends: XML parsers turn CR LF into LF (XML 1.0 end-of-line handling); the oracles' text went
 *   through one (oracle.py), detectory's did not;
 * - C0 control characters: oracle.py drops them (XML 1.0 cannot carry them) before parsing;
 * - booleans: python-evtx prints Python's True / False, Windows writes true / false;
 * - hex integers: both oracles zero-pad HexInt32/64 values (0x00000000000fc635); Windows writes
 *   them without padding (Event Viewer shows SubjectLogonId 0x3e7, which is what SigmaHQ rules match);
 * - GUID letters: python-evtx prints GUIDs in lower case, Windows and evtxexport in upper case;
 * - timestamps in the data (FILETIME / SYSTEMTIME values): compared at microseconds, the precision
 *   every side prints them with (python-evtx's float error is handled in compareRecords).
 */
export function normValue(v: string): string {
  const s = v.replace(/\r\n?/g, '\n').replace(/[\x00-\x08\x0b\x0c\x0e-\x1f]/g, '');
  if (s === 'True' || s === 'False') return s.toLowerCase();
  if (GUID_LOWER.test(s)) return s.toUpperCase();
  if (PADDED_HEX.test(s)) return '0x' + BigInt(s).toString(16);
  const m = ISO.exec(s);
  if (m) return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0').slice(0, 6)}Z`;
  return s;
}

/** Timestamp with 7 fractional digits (100 ns), from any of the spellings. */
export function ts100ns(v: string | null): string | null {
  if (v === null) return null;
  const m = ISO.exec(v);
  if (!m) return v;
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(7, '0').slice(0, 7)}Z`;
}

/** Microseconds since the epoch (for python-evtx, which prints microseconds computed with floats). */
export function tsMicros(v: string | null): number | null {
  if (v === null) return null;
  const m = ISO.exec(v);
  if (!m) return null;
  return Date.parse(`${m[1]}T${m[2]}Z`) * 1000 + Number((m[3] ?? '').padEnd(6, '0').slice(0, 6));
}

/** How far python-evtx's float-computed microseconds may stray (see compareRecords). */
export const PY_TS_TOLERANCE_US = 4;

export interface Difference {
  file: string;
  record: number;
  field: string;
  mine: string;
  theirs: string;
}

/** Compares detectory's summaries with an oracle's, field by field. tsTolerance: microseconds allowed (python-evtx rounding). */
/**
 * python-evtx spells two kinds of values its own way: binary data as base64 (others: hex), and a
 * string array (value type 0x81) as one text "<string>a</string>\n<string>b</string>" (others: one
 * value per item). This turns them into the common spelling.
 */
export function pyevtxPairs(data: [string, string][]): [string, string][] {
  const out: [string, string][] = [];
  for (const [k, v] of data) {
    if (k === 'Binary' && /^[A-Za-z0-9+/]+=*$/.test(v)) {
      out.push([k, Buffer.from(v, 'base64').toString('hex').toUpperCase()]);
    } else if (/^<string>[\s\S]*<\/string>$/.test(v.trim())) {
      for (const m of v.matchAll(/<string>([\s\S]*?)<\/string>/g)) out.push([k, m[1]]);
    } else {
      out.push([k, v]);
    }
  }
  return out;
}

export function compareRecords(file: string, mine: Summary[], theirs: Summary[], tsMode: '100ns' | 'us'): Difference[] {
  const out: Difference[] = [];
  if (mine.length !== theirs.length) out.push({ file, record: -1, field: 'count', mine: String(mine.length), theirs: String(theirs.length) });
  const n = Math.min(mine.length, theirs.length);
  for (let i = 0; i < n; i++) {
    const a = mine[i];
    const b = theirs[i];
    const d = (field: string, x: unknown, y: unknown) => out.push({ file, record: i, field, mine: String(x), theirs: String(y) });
    if (a.id !== b.id) d('EventRecordID', a.id, b.id);
    if (a.eid !== b.eid) d('EventID', a.eid, b.eid);
    if (tsMode === '100ns') {
      if (ts100ns(a.ts) !== ts100ns(b.ts)) d('timestamp', a.ts, b.ts);
    } else {
      const x = tsMicros(a.ts);
      const y = tsMicros(b.ts);
      // python-evtx converts FILETIME through a float of seconds since 1601 (about 1.3e10, where a double
      // resolves ~2 us): its microseconds stray up to PY_TS_TOLERANCE_US from the exact value.
      if (x === null || y === null || Math.abs(x - y) > PY_TS_TOLERANCE_US) d('timestamp', a.ts, b.ts);
    }
    if ((a.computer ?? '') !== (b.computer ?? '')) d('Computer', a.computer, b.computer);
    if ((a.channel ?? '') !== (b.channel ?? '')) d('Channel', a.channel, b.channel);
    if ((a.provider ?? '') !== (b.provider ?? '')) d('Provider', a.provider, b.provider);
    // System: every element and attribute. TimeCreated@SystemTime is the record's timestamp,
    // compared above at full precision (detectory's JSON spells it with microseconds, as evtx_dump).
    // Empty values are left out on both sides: python-evtx writes absent attributes as "" (Qualifiers="").
    const sysKey = ([k, v]: [string, string]) => (k === 'TimeCreated@SystemTime' || normValue(v) === '' ? null : `${k}=${normValue(v)}`);
    const as = a.system.map(sysKey).filter((x): x is string => x !== null).sort();
    const bsys = b.system.map(sysKey).filter((x): x is string => x !== null).sort();
    if (as.join('\n') !== bsys.join('\n')) {
      d('System', as.filter((x) => !bsys.includes(x)).join(' | '), bsys.filter((x) => !as.includes(x)).join(' | '));
    }
    // Empty values are left out on both sides: evtxexport omits empty elements such as <Binary/>.
    const am = a.data.filter(([, v]) => normValue(v) !== '').map(([k, v]) => `${k.replace(/_\d+$/, '')}=${normValue(v)}`).sort();
    const bdata = tsMode === 'us' ? pyevtxPairs(b.data) : b.data;
    const bm = bdata.filter(([, v]) => normValue(v) !== '').map(([k, v]) => `${k}=${normValue(v)}`).sort();
    const bs = new Map<string, number>();
    for (const x of bm) bs.set(x, (bs.get(x) ?? 0) + 1);
    const extraMine: string[] = [];
    for (const x of am) {
      const c = bs.get(x);
      if (c) bs.set(x, c - 1);
      else extraMine.push(x);
    }
    let extraTheirs: string[] = [];
    for (const [x, c] of bs) for (let k = 0; k < c; k++) extraTheirs.push(x);
    if (tsMode === 'us' && extraMine.length && extraTheirs.length) {
      // FILETIME values in the data: python-evtx's float microseconds (see PY_TS_TOLERANCE_US).
      const left: string[] = [];
      for (const x of extraMine) {
        const [k, v] = [x.slice(0, x.indexOf('=')), x.slice(x.indexOf('=') + 1)];
        const t = tsMicros(v);
        const j = t === null ? -1 : extraTheirs.findIndex((y) => {
          const u = y.startsWith(k + '=') ? tsMicros(y.slice(k.length + 1)) : null;
          return u !== null && Math.abs(u - t!) <= PY_TS_TOLERANCE_US;
        });
        if (j >= 0) extraTheirs = extraTheirs.filter((_, i) => i !== j);
        else left.push(x);
      }
      extraMine.splice(0, extraMine.length, ...left);
    }
    if (extraMine.length || extraTheirs.length) d('data', extraMine.join(' | '), extraTheirs.join(' | '));
  }
  return out;
}
