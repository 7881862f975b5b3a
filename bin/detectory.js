#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.hugetlb=1:${GLIBC_TUNABLES} node --max-semi-space-size=64 --v8-pool-size=1
// The CLI is compiled to dist/ by `npm run build` (run by `npm install` through "prepare").
// The shebang's flags. --max-semi-space-size: scans and the web server allocate many short-lived
// objects (a parsed event, a page's rows); a 64 MiB young generation collects them in fewer, cheaper
// scavenges (the T1059.001 page: ~17 ms of scavenging per request with V8's 16 MiB, ~4 ms with 64).
// Only the command line sets it: v8.setFlagsFromString after start does not resize the main thread's
// young generation.
// --v8-pool-size=1: one V8 helper thread for the whole process instead of Node's 4 (they run the
// optimising compiler and the concurrent parts of garbage collection for every isolate). A scan
// already keeps the cores busy with its own threads (the main thread and a worker or parse thread
// per core), which 4 helpers more only fight for. On this project's 2-core VM, alternated pairs: a
// cold load of all SigmaHQ rules 1.30-1.43 s against 1.56-1.76 (5 of 5 lower; 3.1-3.2 s of CPU
// against 3.4-3.6); a warm 2-thread scan of the 256 MiB bench file with them 3.19-3.22 s against
// 3.26-3.50 (4 of 4), with the Windows Sigma and Elastic rules 5.78-5.95 s against 5.89-6.12 (4 of 4;
// 1 of 4 in an earlier series, by 0.1-0.4 s). On many cores a long single-threaded command (the web
// server) collects garbage with one helper instead of four.
// GLIBC_TUNABLES (glibc 2.35+, read only at process start; the user's own tunables are kept after it):
// large malloc'd buffers (the rule cache's plan, EVTX reads, every ArrayBuffer) get transparent huge
// pages where the kernel offers them on request (THP "madvise", this VM's default). A first touch
// of fresh memory is dear on a VM: 4 KiB pages cost 15-18 us each here (4 ms per MB), so reading
// the 46 MB plan of the SigmaHQ rules took 270-310 ms and 30-150 ms with huge pages. Elsewhere
// (musl, macOS, THP off) the variable does nothing.
const { main } = await import('../dist/src/cli/main.js');

// A closed pipe (detectory ... | head) ends the run quietly, as command-line tools do. Any other
// failure of standard output (a full disk: > /dev/full) ends it with one line and exit 3.
const { describeWriteError } = await import('../dist/src/cli/output/open-output.js');
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    if (stream === process.stdout) process.stderr.write(`detectory: cannot write to standard output: ${describeWriteError(e)}\n`);
    process.exit(3);
  });
}

process.exitCode = await main(process.argv.slice(2));
