/** `npm run bench`: every benchmark, each printing its own table. `npm run bench -- scan` runs one. */
import { runScanBench } from './scan.js';
import { runEvtxBench } from './evtx.js';
import { runCatalogBench } from './catalog.js';
import { runAttackBench } from './attack.js';
import { runWebBench } from './web.js';
import { runHuntBench } from './hunt.js';

const BENCHES: Record<string, () => Promise<void>> = {
  scan: runScanBench,
  evtx: runEvtxBench,
  catalog: runCatalogBench,
  attack: runAttackBench,
  web: runWebBench,
  hunt: runHuntBench,
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(BENCHES)) {
  if (only.length && !only.includes(name)) continue;
  process.stdout.write(`\n== ${name} ==\n`);
  await run();
}
