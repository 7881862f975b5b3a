/**
 * .evtx chunks a scan reads at once: 256 KiB. A batch buffer outlives a few young-generation
 * collections while its records are matched, so it is promoted and freed only by a full collection;
 * with 16 chunks (1 MiB, the reader's default) 10-40 MB of such buffers were held per thread.
 * Peak RSS, 256 MiB bench file, all SigmaHQ rules, 3 runs each (loaded machine): 1 thread 312-346
 * MB with 16, 308-316 with 4; 2 threads 411-458 with 16, 401-413 with 4; CPU time the same within
 * the noise (system time +0.1 s for the smaller reads).
 * (A module of its own: the decoding thread reads it without loading the matcher.)
 */
export const SCAN_BATCH_CHUNKS = 4;
