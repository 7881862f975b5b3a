import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { tempDir } from './temp-dir.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (bin/detectory.js over the build) in a child process. */
/** `timeoutMs` guards against a hang (the child is killed, status null): never a timing assertion. */
export function cli(args: string[], opts: { cwd?: string; env?: Record<string, string>; timeoutMs?: number } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'detectory.js'), ...args], {
    encoding: 'utf8',
    cwd: opts.cwd ?? PACKAGE_ROOT,
    // The rule cache in a folder of this test file (removed at its end), not the user's ~/.cache/detectory.
    env: { ...process.env, DETECTORY_CACHE: ruleCache(), ...opts.env },
    maxBuffer: 256 << 20,
    timeout: opts.timeoutMs,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The alert lines of a `scan` or `hunt` (args, then `--rules rules --format jsonl`), sorted: the
 * run must succeed and report no SQL error (a store that failed a statement).
 */
export function alertRows(args: string[], rules: string): string[] {
  const r = cli([...args, '--rules', rules, '--format', 'jsonl']);
  assert.equal(r.status, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /sql-error/);
  return r.stdout.trimEnd().split('\n').sort();
}

let cache: string | undefined;
const ruleCache = (): string => (cache ??= tempDir('detectory-rule-cache-'));

export const EXAMPLES = join(PACKAGE_ROOT, 'examples');
