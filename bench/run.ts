/**
 * `npm run bench`: every benchmark, each printing its own table. `npm run bench -- scan` runs one;
 * `npm run bench -- scale` gives the rules-ready and 1/2-thread scan figures of issue 8 item 19.
 */
import { runScanBench } from './scan.js';
import { runEvtxBench } from './evtx.js';
import { runCatalogBench } from './catalog.js';
import { runAttackBench } from './attack.js';
import { runWebBench } from './web.js';
import { runEqlBench } from './eql.js';
import { runScaleBench } from './scale.js';
import { runHuntBench } from './hunt.js';
import { runScanElasticBench, runScanElasticCpu } from './scan-elastic.js';

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
  'scan-elastic-cpu': runScanElasticCpu,
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(BENCHES)) {
  if (only.length && !only.includes(name)) continue;
  process.stdout.write(`\n== ${name} ==\n`);
  await run();
}
