/** `detectory coverage upgrade-layer IN --to RELEASE --out FILE`: a Navigator layer moved to another ATT&CK release. */
import { readFileSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { techniqueIdsOf } from '../attack/diff.js';
import { releasesInOrder } from '../attack/history.js';
import { upgradeLayer } from '../attack/layer-upgrade.js';
import { CliError, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { loadKb, openExisting } from './attack.js';

export function registerLayerUpgrade(coverage: Command): void {
  coverage.command('upgrade-layer')
    .description('move a Navigator layer to another ATT&CK release: revoked techniques become their replacements, deprecated or unknown ones are dropped (each change on stderr)')
    .argument('<in>', 'layer file (JSON)')
    .requiredOption('--to <release>', 'imported ATT&CK release, e.g. 18.1')
    .requiredOption('--out <file>', 'layer file to write')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--json', 'print the report as JSON')
    .action(async (input: string, o: { to: string; out: string; db?: string; json?: boolean }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(input, 'utf8'));
      } catch (e) {
        throw new CliError(`${input}: cannot read the layer: ${(e as Error).message.split('\n')[0]}`, EXIT_UNREADABLE);
      }
      const db = await openExisting(o.db);
      let ids;
      try {
        await loadKb(db);
        if (!(await releasesInOrder(db)).includes(o.to)) throw new CliError(`ATT&CK release ${o.to} is not imported`, EXIT_USAGE);
        ids = await techniqueIdsOf(db, o.to);
      } finally {
        db.close();
      }
      let up;
      try {
        up = upgradeLayer(parsed, ids, o.to);
      } catch (e) {
        throw new CliError(`${input}: ${(e as Error).message}`, EXIT_USAGE);
      }
      try {
        writeFileSync(o.out, `${JSON.stringify(up.layer, null, 2)}\n`);
      } catch (e) {
        throw new CliError(`cannot write ${o.out}: ${(e as Error).message}`, EXIT_UNREADABLE);
      }
      const { layer: _layer, ...report } = up;
      if (o.json) process.stdout.write(`${JSON.stringify(report)}\n`);
      else {
        for (const r of up.replaced) process.stderr.write(`replaced ${r.from} -> ${r.to}${r.tactic ? ` (${r.tactic})` : ''}\n`);
        for (const d of up.dropped) process.stderr.write(`dropped ${d.id}: ${d.status} in ATT&CK ${o.to}\n`);
        process.stdout.write(`upgrade-layer: ${up.kept} kept, ${up.replaced.length} replaced, ${up.merged.length} merged, ${up.dropped.length} dropped; written to ${o.out}\n`);
      }
    });
}
