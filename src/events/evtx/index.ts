/** Native EVTX reader: public API (file reader, chunk decoder for worker threads, worker pool control). */

export { readEvtxFile, readEvtxRecordLists, type ReadEvtxOptions } from './reader.js';
export { decodeChunk, parseChunkHeader, type ChunkResult, type ChunkInfo } from './chunk.js';
export { parseFileHeader, hasFileSignature, CHUNK_SIZE, FILE_HEADER_SIZE } from './file-header.js';
export { closeDecoderPool, runParallel } from './parallel.js';
export type { EvtxDecodeError } from './cursor.js';
