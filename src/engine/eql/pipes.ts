/**
 * The pipes as a chain of streaming stages: results flow in one by one, `head` passes the first N
 * (and then says it is full, so the input can stop), `tail` keeps the last N until the end.
 */
import type { EqlEvent, EqlMatch, PipePlan } from './plan.js';

export class PipeChain<E extends EqlEvent = EqlEvent> {
  private readonly seen: number[];
  private readonly buffers: (EqlMatch<E>[] | undefined)[];

  constructor(private readonly pipes: PipePlan[], private readonly emit: (m: EqlMatch<E>) => void) {
    this.seen = pipes.map(() => 0);
    this.buffers = pipes.map((p) => (p.kind === 'tail' ? [] : undefined));
  }

  /** True once a head pipe is full and nothing later can change the output. */
  get done(): boolean {
    for (let i = 0; i < this.pipes.length; i++) {
      const p = this.pipes[i];
      if (p.kind === 'head' && this.seen[i] >= p.n) return true;
      if (p.kind === 'tail') return false;
    }
    return false;
  }

  push(m: EqlMatch<E>): void {
    this.from(0, m);
  }

  finish(): void {
    for (let i = 0; i < this.pipes.length; i++) {
      const buf = this.buffers[i];
      if (!buf) continue;
      this.buffers[i] = [];
      for (const m of buf) this.from(i + 1, m);
    }
  }

  private from(i: number, m: EqlMatch<E>): void {
    for (; i < this.pipes.length; i++) {
      const p = this.pipes[i];
      if (p.kind === 'head') {
        if (this.seen[i] >= p.n) return;
        this.seen[i]++;
      } else if (p.kind === 'filter') {
        if (m.events.length !== 1 || !p.test(m.events[0].doc)) return;
      } else {
        const buf = this.buffers[i] as EqlMatch<E>[];
        buf.push(m);
        if (buf.length > p.n) buf.shift();
        return;
      }
    }
    this.emit(m);
  }
}
