/**
 * UTF-16 JSON and NDJSON: what Windows PowerShell 5.1 writes with `ConvertTo-Json > file` (UTF-16LE
 * with a BOM, CRLF, four-space indents), the same without a BOM, and big-endian.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEventFile } from '../../../src/events/read.js';
import type { EventRecord, ReadProblem } from '../../../src/events/types.js';
import { detectEncoding } from '../../../src/events/json/text-encoding.js';
import { cli } from '../../helpers/cli.js';
import { tempDir } from '../../helpers/temp-dir.js';

const dir = tempDir('detectory-utf16-');

const ev = (rid: number, cl: string): Record<string, unknown> => ({
  Event: { System: { EventID: 1, EventRecordID: rid, Channel: 'Microsoft-Windows-Sysmon/Operational' }, EventData: { Image: 'C:\\Windows\\System32\\certutil.exe', CommandLine: cl } },
});
// Non-ASCII text too: a character outside the BMP (a surrogate pair) and accented letters.
const EVENTS = [ev(1, 'certutil -urlcache -f http://x/é.exe'), ev(2, 'notepad 😀 ünïcode'), ev(3, 'cmd /c whoami')];

function encode(text: string, encoding: 'utf16le' | 'utf16be', bom: boolean): Buffer {
  const le = Buffer.from((bom ? '\ufeff' : '') + text, 'utf16le');
  return encoding === 'utf16le' ? le : Buffer.from(le).swap16();
}

async function read(name: string, content: Buffer): Promise<{ events: EventRecord[]; problems: ReadProblem[] }> {
  const file = join(dir, name);
  writeFileSync(file, content);
  const events: EventRecord[] = [];
  const problems: ReadProblem[] = [];
  for await (const b of readEventFile(file, (p) => problems.push(p))) events.push(...b);
  return { events, problems };
}

const pretty = JSON.stringify(EVENTS, null, 4).replace(/\n/g, '\r\n') + '\r\n';
const lines = EVENTS.map((e) => JSON.stringify(e)).join('\r\n') + '\r\n';

for (const encoding of ['utf16le', 'utf16be'] as const) {
  for (const bom of [true, false]) {
    const label = `${encoding}${bom ? ' with BOM' : ' without BOM'}`;
    test(`${label}: .json (ConvertTo-Json array) and .jsonl are read whole`, async () => {
      for (const [name, text] of [['ps.json', pretty], ['ps.jsonl', lines]]) {
        const r = await read(`${encoding}-${bom}-${name}`, encode(text, encoding, bom));
        assert.deepEqual(r.problems, [], `${label} ${name}`);
        assert.deepEqual(r.events.map((e) => e.recordId), [1, 2, 3], `${label} ${name}`);
        assert.deepEqual(r.events.map((e) => (e.event.EventData as { CommandLine: string }).CommandLine), EVENTS.map((e) => ((e.Event as Record<string, unknown>).EventData as { CommandLine: string }).CommandLine));
      }
    });
  }
}

test('a UTF-16 file read in many small chunks keeps characters split across chunks whole', async () => {
  // 1 MiB chunks: make the file larger than one chunk, with an odd split point inside a surrogate pair.
  const many = Array.from({ length: 20_000 }, (_, i) => JSON.stringify(ev(i + 1, `x😀${'é'.repeat(i % 7)}`))).join('\n') + '\n';
  const r = await read('big.jsonl', encode(many, 'utf16le', true));
  assert.deepEqual(r.problems, []);
  assert.equal(r.events.length, 20_000);
  assert.equal((r.events[19_999].event.EventData as { CommandLine: string }).CommandLine, `x😀${'é'.repeat(19_999 % 7)}`);
});

test('encoding detection: BOMs, zero-byte patterns, and UTF-8 that merely holds a NUL is not UTF-16', () => {
  assert.deepEqual(detectEncoding(Buffer.from([0xff, 0xfe, 0x7b, 0])), { encoding: 'utf-16le', bomBytes: 2 });
  assert.deepEqual(detectEncoding(Buffer.from([0xfe, 0xff, 0, 0x7b])), { encoding: 'utf-16be', bomBytes: 2 });
  assert.deepEqual(detectEncoding(Buffer.from([0xef, 0xbb, 0xbf, 0x7b])), { encoding: 'utf-8', bomBytes: 3 });
  assert.deepEqual(detectEncoding(Buffer.from('{"a":1}', 'utf16le')), { encoding: 'utf-16le', bomBytes: 0 });
  assert.deepEqual(detectEncoding(Buffer.from('{"a":1}', 'utf16le').swap16()), { encoding: 'utf-16be', bomBytes: 0 });
  assert.deepEqual(detectEncoding(Buffer.from('{"a":"\u0000x"}')), { encoding: 'utf-8', bomBytes: 0 });
  assert.deepEqual(detectEncoding(Buffer.alloc(0)), { encoding: 'utf-8', bomBytes: 0 });
});

test('scan over a PowerShell 5.1 file finds the alert', () => {
  const file = join(dir, 'powershell.json');
  writeFileSync(file, encode(pretty, 'utf16le', true));
  const r = cli(['scan', file, '--format', 'jsonl', '--json']);
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stderr.trim().split('\n').pop()!) as { events: number; event_problems: number };
  assert.equal(s.events, 3);
  assert.equal(s.event_problems, 0);
  assert.match(r.stdout, /Certutil Used to Download a File/);
});
