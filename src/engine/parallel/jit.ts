/**
 * V8's tiering for multi-thread scans. Every isolate (this thread's and each worker's)
 * optimises the matcher and the EVTX reader on its own, on V8's helper threads; on a 2-core machine
 * those compilations take CPU from the two scanning threads. A function is optimised once it has run
 * `--interrupt-budget` bytes of bytecode (V8's default: 66 KiB); optimised too early, before its
 * rarer branches have run, it is thrown away at the first of them ("insufficient type feedback")
 * and compiled again: the largest (the matcher's `match`, the reader's `system` and `data`, about
 * 90 ms each) were compiled 4 times per isolate. 2-thread scans of the 256 MiB bench file with all
 * SigmaHQ rules: 4x the budget made 326 optimising compilations instead of 479 (60 deopts instead of
 * 114) and V8's helper threads used 0.7 s less CPU, but the scanning threads ran longer in
 * unoptimised code (no CPU gained in total: 8 interleaved pairs, median -0.05 s). With
 * --always-sparkplug as well (every function gets baseline code at once instead of being interpreted
 * first): 295 compilations, 44 deopts; against the base build, 7 interleaved pairs on a machine
 * loaded 13 to 18 on 2 cores: helper threads -0.83 s CPU (every pair lower, -0.47 to -1.42), the
 * worker +0.13 s, the main thread the same, the process -0.77 s (median; 5 of 7 lower; base 10.7 s),
 * peak RSS -3 MB. --always-sparkplug alone: no change (5 pairs). 1-thread scans (flags not set)
 * varied by +-0.9 s between identical builds. The flags are process-wide and read when a function
 * is compiled or its budget reset:
 * set once the workers start, they hold for this thread's scan and theirs (and the rest of the process).
 * Scans with Elastic rules as well: their ECS mapping, rule index and EQL code double what each
 * isolate compiles (531 optimising compilations in a 1-thread scan of the 256 MiB file with the
 * Windows Sigma and Elastic rules, 262 with the Sigma rules alone). 2-thread scans of that file with
 * both rule sets, 5 alternated pairs on a machine loaded 3.0 to 3.6: with the flags, the process's
 * CPU 10.46-10.82 s against 11.29-12.19 (every pair lower), the scan after loading 4.45-4.66 s
 * against 4.73-4.99, the same alerts and peak RSS. Until then they were set for Sigma-only scans.
 */
import { setFlagsFromString } from 'node:v8';

/** Bytes of bytecode a function runs before V8 considers optimising it, for multi-thread scans (4x V8's default). */
export const SCAN_INTERRUPT_BUDGET = 4 * 66 * 1024;

/** The tiering flags of a scan split by data (Sigma rules, Elastic rules, or both; see above). */
export const SCAN_JIT_FLAGS: readonly string[] = [`--interrupt-budget=${SCAN_INTERRUPT_BUDGET}`, '--always-sparkplug'];

/**
 * The V8 flags of every scan on more than one thread (split by stage or by data): no inlining in
 * TurboFan. Optimising compilations then take far less time on V8's helper thread, which on a
 * 2-core machine runs beside both scanning threads and takes its time from them; the code is a
 * little slower, which a one-thread scan (its helper has a core to itself) feels. 256 MiB bench
 * file, warm cache, alternated runs: all SigmaHQ rules, 2 threads split by stage, 2.17-2.21 s
 * against 2.07-2.11 with the flag (3 of 3 pairs), the helper's CPU 0.90-1.03 s against 0.68-0.70;
 * the Windows Sigma and Elastic rules, 2 threads split by data, 23,441-24,032 events/s after
 * loading against 25,510-25,578 (the helper 2.08-2.10 s against 1.33-1.46). Given on the command
 * line to 1-thread scans of the same rules: 22,448-22,879 against 21,634-21,882 (3 of 3 slower), so
 * they keep V8's inlining. A smaller inlining budget instead of none
 * (--max-inlined-bytecode-size-cumulative=230, V8's being 920) measured the same as none on 2
 * threads (4 and 3 pairs) and did not change 1-thread scans.
 */
export const MULTI_THREAD_INLINING_FLAGS: readonly string[] = ['--no-turbo-inlining'];

/** Sets V8 flags (process-wide: every isolate, workers started later too). */
export function setJitFlags(flags: readonly string[]): void {
  for (const f of flags) setFlagsFromString(f);
}
