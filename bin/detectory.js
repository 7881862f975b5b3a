#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm run build` (run by `npm install` through "prepare").
import { main } from '../dist/src/cli/main.js';

// A closed pipe (detectory ... | head) ends the run quietly, as command-line tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2));
