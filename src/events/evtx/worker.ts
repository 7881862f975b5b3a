/** Worker thread entry: decodes batches of chunks sent by parallel.ts and posts the records back. */

import { parentPort } from 'node:worker_threads';
import { decodeChunk, type ChunkResult } from './chunk.js';
import { CHUNK_SIZE } from './file-header.js';
import type { DecodeJob, DecodeReply } from './parallel.js';

parentPort?.on('message', (job: DecodeJob) => {
  const results: ChunkResult[] = [];
  for (const i of job.indices) {
    const q = i * CHUNK_SIZE;
    results.push(
      decodeChunk(job.buf.subarray(q, Math.min(q + CHUNK_SIZE, job.buf.length)), {
        file: '', // set on the main thread: no need to ship the path with every record
        index: job.first + i,
        offset: job.offset + q,
      }, job.opts),
    );
  }
  let count = 0;
  for (const r of results) count += r.records.length;
  // Records travel as one JSON string: JSON.parse on the main thread costs less than structured
  // clone of the same objects (every value is JSON: strings, finite numbers, booleans, null).
  const reply: DecodeReply = job.countOnly
    ? { id: job.id, json: JSON.stringify(results.map((r) => ({ ...r, records: [], slack: r.slack.map(({ id, time }) => ({ id, time })) }))), count }
    : { id: job.id, json: JSON.stringify(results), count };
  parentPort?.postMessage(reply);
});
