/**
 * `npm run bench`: every benchmark, each printing its own table. `npm run bench -- scan` runs one;
 * `npm run bench -- scale` gives the rules-ready and 1/2-thread scan figures of issue 8 item 19;
 * `npm run bench -- store [--hosts N]` the hunting-at-scale figures of issue 12.
 */
import { runScanBench } from './scan.js';
import { runEvtxBench } from './evtx.js';
import { runCatalogBench } from './catalog.js';
import { runAttackBench } from './attack.js';
import { runWebBench } from './web.js';
import { runEqlBench } from './eql.js';
import { runScaleBench } from './scale.js';
import { runHuntBench } from './hunt.js';
import { runRoundTripBench } from './roundtrip.js';
import { runStoreBench } from './store.js';
import { runScanElasticBench, runScanElasticCpu } from './scan-elastic.js';
import { runElasticLocalBench } from './elastic-local.js';

const BENCHES: Record<string, () => Promise<void>> = {
  scan: runScanBench,
  evtx: runEvtxBench,
  catalog: runCatalogBench,
  attack: runAttackBench,
  web: runWebBench,
  eql: runEqlBench,
  scale: runScaleBench,
  hunt: runHuntBench,
  'scan-elastic': runScanElasticBench,
  roundtrip: runRoundTripBench,
  store: runStoreBench,
  'scan-elastic-cpu': runScanElasticCpu,
  'elastic-local': runElasticLocalBench,
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(BENCHES)) {
  if (only.length && !only.includes(name)) continue;
  process.stdout.write(`\n== ${name} ==\n`);
  await run();
}
