/**
 * A 2-stage scan on two threads: a worker decodes the events (reads the files, decodes the EVTX
 * records, flattens them: decode-worker.ts) while this thread matches them, in task order, as a
 * one-thread scan does. Each thread then runs (and V8 optimises) only its half of the code, where a
 * split by data (pool.ts) has both threads run, and compile, all of it: on a 2-core machine the
 * second isolate's warm-up and the shared compiler thread took most of the second core (see
 * jit.ts). The decoding thread holds no rules, so its memory is small.
 * Used for scans without Elastic rules (their ECS mapping reads the rendered event, which stays
 * on the decoding thread).
 */
import { Worker } from 'node:worker_threads';
import type { EventRecord, ProblemSink } from '../../events/types.js';
import { type EventBatch, WireDecoder } from './event-wire.js';
import type { ScanTask } from './tasks.js';
import { startWithSemiSpace } from './young-generation.js';

export type ToDecoder = { type: 'tasks'; tasks: ScanTask[] } | { type: 'taken' } | { type: 'done' };
export type FromDecoder =
  | { type: 'batch'; batch: EventBatch }
  | { type: 'end'; task: number; problems: EventBatch['problems'] }
  | { type: 'fatal'; message: string };

const WORKER_URL = new URL('./decode-worker.js', import.meta.url);

/**
 * Semi-space of the decoding thread's young generation, MiB: its objects live for one batch (the
 * records and their values, until they are cloned into a message).
 */
export const DECODER_SEMI_SPACE_MB = 16;

export class DecodeThread {
  private readonly worker: Worker;
  private readonly queue: FromDecoder[] = [];
  private wake: (() => void) | undefined;
  private failure: string | undefined;
  private readonly wire = new WireDecoder();
  /** Time this thread waited for events so far, ms (the scan's timeline shows it: the decoding thread was the slower stage). */
  waitedMs = 0;

  constructor(tasks: ScanTask[]) {
    const resourceLimits = { maxYoungGenerationSizeMb: 3 * DECODER_SEMI_SPACE_MB };
    [this.worker] = startWithSemiSpace(DECODER_SEMI_SPACE_MB, () => [new Worker(WORKER_URL, { resourceLimits })]);
    this.worker.on('message', (m: FromDecoder) => this.push(m));
    this.worker.on('error', (e) => this.fail(e.message));
    this.worker.on('exit', (code) => this.fail(`it exited (code ${code})`));
    this.worker.postMessage({ type: 'tasks', tasks } satisfies ToDecoder);
  }

  /** The events of task `t` (the tasks are read in the order given), its reader problems to `onProblem` in their place. */
  async *events(t: ScanTask, onProblem: ProblemSink): AsyncGenerator<EventRecord[]> {
    let ended = false;
    try {
      for (;;) {
        const m = await this.next();
        if (m.type === 'fatal') throw new Error(`decoding thread: ${m.message}`);
        if (m.type === 'end') {
          ended = true;
          if (m.task !== t.id) throw new Error(`decoding thread: task ${m.task} ended where ${t.id} was read`);
          for (const p of m.problems) onProblem(p);
          return;
        }
        const b = m.batch;
        if (b.task !== t.id) throw new Error(`decoding thread: events of task ${b.task} where ${t.id} was read`);
        this.worker.postMessage({ type: 'taken' } satisfies ToDecoder);
        for (const p of b.problems) onProblem(p);
        yield this.wire.records(t.file, b);
      }
    } finally {
      // A task given up half-way (its scan failed): the rest of its events are passed over, so that
      // the next task starts at its own (as a one-thread scan goes on with the next file).
      if (!ended) await this.skipRest(t);
    }
  }

  private async skipRest(t: ScanTask): Promise<void> {
    for (;;) {
      const m = await this.next();
      if (m.type !== 'batch') return;
      this.worker.postMessage({ type: 'taken' } satisfies ToDecoder);
      // Read all the same: later batches refer to its key lists and repeat its values (event-wire.ts).
      this.wire.records(t.file, m.batch);
    }
  }

  async stop(): Promise<void> {
    this.failure ??= 'stopped';
    await this.worker.terminate();
  }

  private push(m: FromDecoder): void {
    // The worker stops decoding after a fatal error: later reads end there too, instead of waiting.
    if (m.type === 'fatal') this.failure ??= m.message;
    this.queue.push(m);
    this.wakeUp();
  }

  private fail(message: string): void {
    this.failure ??= message;
    this.wakeUp();
  }

  private wakeUp(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }

  private async next(): Promise<FromDecoder> {
    for (;;) {
      const m = this.queue.shift();
      if (m) return m;
      if (this.failure !== undefined) return { type: 'fatal', message: this.failure };
      const since = performance.now();
      await new Promise<void>((r) => (this.wake = r));
      this.waitedMs += performance.now() - since;
    }
  }
}
