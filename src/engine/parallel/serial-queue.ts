/**
 * Runs jobs one at a time, in the order they were pushed. A scan worker is sent two tasks at once
 * (so that it never waits for the next); scanning them at the same time would hold both tasks'
 * records in its heap, and a worker's young generation is small: more of them would be promoted.
 */
export class SerialQueue<T> {
  private readonly jobs: T[] = [];
  private running = false;

  /** `onError`: a job that threw (the next jobs still run). */
  constructor(private readonly run: (job: T) => Promise<void>, private readonly onError: (e: unknown, job: T) => void) {}

  push(job: T): void {
    this.jobs.push(job);
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    for (let job = this.jobs.shift(); job !== undefined; job = this.jobs.shift()) {
      try {
        await this.run(job);
      } catch (e) {
        this.onError(e, job);
      }
    }
    this.running = false;
  }
}
