import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { loadCatalog } from '../attack/catalog-join.js';
import { coverageMatrix } from '../catalog/coverage.js';
import { navigatorLayer } from '../catalog/navigator-layer.js';
import { ruleFacets } from '../catalog/rule-facets.js';
import { CliError, EXIT_UNREADABLE } from './exit.js';
import { loadKb } from './attack.js';
import { withCatalog } from './with-catalog.js';
import { registerLayerUpgrade } from './layer-upgrade.js';

interface LayerOpts {
  vendor?: string;
  platform?: string;
  logsource?: string;
  db?: string;
  out: string;
}

async function layer(o: LayerOpts): Promise<void> {
  if (o.vendor && !['sigma', 'elastic', 'splunk'].includes(o.vendor)) throw new CliError('coverage layer: --vendor must be sigma, elastic or splunk');
  await withCatalog(o.db, async (db) => {
    const kb = await loadKb(db);
    const m = coverageMatrix(kb, await loadCatalog(db), await ruleFacets(db), {
      vendor: o.vendor, platform: o.platform?.toLowerCase(), logsource: o.logsource?.toLowerCase(),
    });
    const l = navigatorLayer(m);
    try {
      writeFileSync(o.out, `${JSON.stringify(l, null, 2)}\n`);
    } catch (e) {
      throw new CliError(`coverage layer: cannot write ${o.out}: ${(e as Error).message}`, EXIT_UNREADABLE);
    }
    process.stdout.write(`coverage layer: ${l.techniques.length} techniques with rules (${m.rules} rules, ATT&CK ${m.release}) written to ${o.out}\n`);
  });
}

export function registerCoverage(program: Command): void {
  const coverage = program.command('coverage').description('ATT&CK coverage of the catalog');
  coverage.command('layer')
    .description('an ATT&CK Navigator layer (format 4.5): rules per technique, as the /coverage page shows them')
    .option('--vendor <v>', 'only rules of this vendor (sigma, elastic, splunk)')
    .option('--platform <p>', 'only rules of this platform (windows, linux, macos, aws, ...)')
    .option('--logsource <event>', 'only rules reading this event type (process_creation, ...)')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .requiredOption('--out <file>', 'layer file to write')
    .action(layer);
  registerLayerUpgrade(coverage);
}
