/**
 * Parsing many Sigma files on every core for a cold start: the texts are split in contiguous
 * shares, this thread parses the first while worker threads parse the others; results come back
 * in file order.
 */
import { Worker } from 'node:worker_threads';
import { scanParseResult } from './scan-rule.js';
import type { ParseResult, Placeholders } from '../../formats/sigma/index.js';

const WORKER_URL = new URL('./parse-worker.js', import.meta.url);

export async function parseInWorkers(files: Array<[string, string]>, placeholders: Placeholders | undefined, threads: number): Promise<ParseResult[]> {
  // Imported here: a scan from the rule cache never parses a rule file.
  const { parseSigmaText } = await import('../../formats/sigma/index.js');
  // Shares by text size, so that each thread has about the same work.
  const total = files.reduce((a, f) => a + f[1].length, 0);
  const shares: Array<Array<[string, string]>> = Array.from({ length: threads }, () => []);
  let acc = 0;
  for (const f of files) {
    shares[Math.min(threads - 1, Math.floor((acc * threads) / Math.max(1, total)))].push(f);
    acc += f[1].length;
  }
  const remote = shares.slice(1).map((share) => new Promise<ParseResult[]>((resolve, reject) => {
    const w = new Worker(WORKER_URL, { workerData: { files: share, placeholders } });
    w.once('message', (r: ParseResult[]) => {
      resolve(r);
      void w.terminate();
    });
    w.once('error', reject);
    w.once('exit', (code) => reject(new Error(`rule parser thread stopped (exit code ${code})`)));
  }));
  // Keep a failed worker's rejection handled until it is awaited below.
  for (const p of remote) p.catch(() => undefined);
  const own = shares[0].map(([path, text]) => scanParseResult(parseSigmaText(text, path, { placeholders })));
  const out = [...own];
  for (const [i, p] of remote.entries()) {
    try {
      out.push(...(await p));
    } catch {
      // A thread that could not run: parse its share here (same results, only slower).
      out.push(...shares[i + 1].map(([path, text]) => scanParseResult(parseSigmaText(text, path, { placeholders }))));
    }
  }
  return out;
}
