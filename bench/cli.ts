import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../src/cli/paths.js';

const BIN = join(PACKAGE_ROOT, 'bin', 'detectory.js');

const shebang = parseShebang(readFileSync(BIN, 'utf8').split('\n', 1)[0]);

/**
 * The node arguments that start detectory as a user's `detectory` command does: the V8 flags of the
 * bin script's shebang line (flags such as the young generation's size take effect only on the
 * command line), then the script. Benchmarks spawn `process.execPath` with these.
 */
export const CLI: string[] = [...shebang.flags, BIN];

// The shebang's environment (GLIBC_TUNABLES: read by the C library at process start) goes to every
// process the benchmarks start, as `env -S` gives it to the command.
Object.assign(process.env, shebang.env);

/** `#!/usr/bin/env -S [NAME=VALUE]... node [--flag[=value]]...`, with env's ${NAME} expansion. */
function parseShebang(line: string): { env: Record<string, string>; flags: string[] } {
  const m = /^#!\S*env -S ((?:\w+=\S*\s+)*)node((?: --[\w-]+(?:=\S+)?)*)\s*$/.exec(line);
  if (!m) throw new Error(`bin/detectory.js: shebang not understood by bench/cli.ts: ${line}`);
  const env: Record<string, string> = {};
  for (const a of m[1].trim().split(/\s+/).filter(Boolean)) {
    const eq = a.indexOf('=');
    env[a.slice(0, eq)] = a.slice(eq + 1).replace(/\$\{(\w+)\}/g, (_, name: string) => process.env[name] ?? '');
  }
  return { env, flags: m[2].trim().split(/\s+/).filter(Boolean) };
}
