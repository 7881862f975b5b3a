/** --out written through one reused buffer: the file holds exactly the text written, in order. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOutput } from '../../../src/cli/output/open-output.js';

test('small, multi-byte, buffer-sized and larger-than-buffer writes arrive byte for byte', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-out-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'alerts.jsonl');
  const parts: string[] = [];
  for (let i = 0; i < 20000; i++) parts.push(`{"n":${i},"v":"é😀${'x'.repeat(i % 97)}"}\n`);
  parts.push('€'.repeat(400_000), 'a'.repeat(3 << 20), '\n', 'b'.repeat((1 << 20) / 3), '😀'.repeat(200_000), 'end\n');
  const out = openOutput(file);
  for (const p of parts) out.write(p);
  out.close();
  assert.ok(readFileSync(file).equals(Buffer.from(parts.join(''), 'utf8')));
});
