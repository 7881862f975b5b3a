/**
 * An output must never be one of the run's inputs: `scan X.jsonl --out X.jsonl` would replace the
 * evidence with alerts (and `>> X.jsonl` would read its own output). Files are compared by identity
 * (device and inode), so another name, a link or a folder that holds the file is caught too.
 */
import { CliError, EXIT_USAGE } from '../exit.js';
import { fileIdentity, stdoutIdentity } from './open-output.js';

/**
 * Throws a usage error when the output (the --out file, else standard output redirected to a file)
 * is one of `inputFiles()`; the inputs are listed only when the output is an existing file.
 */
export function refuseInputAsOutput(out: string | undefined, inputFiles: () => string[]): void {
  const target = out === undefined ? stdoutIdentity() : fileIdentity(out);
  if (target === undefined) return;
  const same = inputFiles().find((f) => fileIdentity(f) === target);
  if (same === undefined) return;
  if (out === undefined) throw new CliError(`standard output is redirected to the input file ${same}: it would be read and written at once; write the output elsewhere`, EXIT_USAGE);
  throw new CliError(`--out ${out} is the input file ${same}: it would be overwritten; write the output elsewhere`, EXIT_USAGE);
}
