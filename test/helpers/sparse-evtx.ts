import { closeSync, ftruncateSync, openSync } from 'node:fs';
import { CHUNK_SIZE, FILE_HEADER_SIZE } from '../../src/events/evtx/index.js';

/** A sparse .evtx file of `chunks` empty chunks: its size counts (task plans, thread choice), it holds no record. */
export function sparseEvtx(path: string, chunks: number): string {
  const fd = openSync(path, 'w');
  ftruncateSync(fd, FILE_HEADER_SIZE + chunks * CHUNK_SIZE);
  closeSync(fd);
  return path;
}
