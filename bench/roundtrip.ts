/**
 * `npm run bench -- roundtrip`: the conversion round-trip table over the whole corpora (issue 12):
 * every rule to each text target (sigma, eql, kql, spl), read back by our own parsers, compared in
 * normal form. Needs DETECTORY_SHARED (default ../shared).
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { readCorpora } from '../src/convert/corpora.js';
import { formatTable, roundTripTable } from '../src/convert/roundtrip-table.js';

export async function runRoundTripBench(): Promise<void> {
  const shared = resolve(process.env.DETECTORY_SHARED ?? '../shared');
  if (!existsSync(shared)) {
    process.stdout.write(`no shared folder at ${shared} (set DETECTORY_SHARED)\n`);
    return;
  }
  const t0 = performance.now();
  const corpora = readCorpora(shared);
  for (const c of corpora) {
    const unread = Object.entries(c.unread).map(([k, v]) => `${k} ${v}`).join(', ');
    process.stdout.write(`${c.vendor}: ${c.rules.length} rules read${unread ? `; not read: ${unread}` : ''}\n`);
  }
  const table = roundTripTable(corpora);
  process.stdout.write(`${formatTable(table)}\n\n(${((performance.now() - t0) / 1000).toFixed(1)} s)\n`);
  await Promise.resolve();
}
