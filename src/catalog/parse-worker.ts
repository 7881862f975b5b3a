import { parentPort, workerData } from 'node:worker_threads';
import type { Vendor } from '../model/index.js';
import { loadParsers } from './parsers.js';
import { loadMacros, parseFile, type ParsedFile } from './parse-file.js';

/** Worker thread: parses batches of rule files sent by the pool and posts their rows back. */
export interface WorkerInput {
  macroDirs: string[];
}
export type WorkerRequest = { files: Array<{ vendor: Vendor; path: string; folder: string }> } | { done: true };
export type WorkerReply = { parsed: ParsedFile[] };

const port = parentPort;
if (port) {
  const input = workerData as WorkerInput;
  const parsers = await loadParsers();
  const { macros } = loadMacros(parsers, input.macroDirs);
  port.on('message', (msg: WorkerRequest) => {
    if ('done' in msg) {
      port.close();
      return;
    }
    const reply: WorkerReply = { parsed: msg.files.map((f) => parseFile(parsers, f.vendor, f.path, macros, f.folder)) };
    port.postMessage(reply);
  });
  port.postMessage({ ready: true });
}
