/** A rule parser thread (see parse-pool.ts): parses the texts it is given, sends the results back. */
import { parentPort, workerData } from 'node:worker_threads';
import { scanParseResult } from './scan-rule.js';
import { parseSigmaText, type Placeholders } from '../../formats/sigma/index.js';

const { files, placeholders } = workerData as { files: Array<[string, string]>; placeholders?: Placeholders };
parentPort!.postMessage(files.map(([path, text]) => scanParseResult(parseSigmaText(text, path, { placeholders }))));
