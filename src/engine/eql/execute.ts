/**
 * Execution of a QueryPlan over a stream of events (in time order): event queries test each event,
 * sequences run the state machine, samples collect candidates until the end. Results pass through
 * the pipes and come out through `emit` as soon as they are final.
 */
import type { EqlEvent, EqlMatch, QueryPlan } from './plan.js';
import { PipeChain } from './pipes.js';
import { SampleCollector } from './sample.js';
import { SequenceMatcher } from './sequence-matcher.js';
import type { SequenceStats } from './sequence-matcher.js';
import type { EventShape } from './stage.js';
import { ECS_SHAPE, stageMatches } from './stage.js';

export interface ExecuteOptions {
  shape?: EventShape;
  /** Cap on pending partial sequences (default 1,000,000). */
  maxPending?: number;
}

export class EqlExecutor<E extends EqlEvent = EqlEvent> {
  private readonly chain: PipeChain<E>;
  private readonly sequence?: SequenceMatcher<E>;
  private readonly sample?: SampleCollector<E>;
  private readonly shape: EventShape;

  constructor(private readonly plan: QueryPlan, emit: (m: EqlMatch<E>) => void, options: ExecuteOptions = {}) {
    this.shape = options.shape ?? ECS_SHAPE;
    this.chain = new PipeChain<E>(plan.pipes, emit);
    if (plan.kind === 'sequence') {
      this.sequence = new SequenceMatcher<E>(plan.stages, this.shape, { maxspanMs: plan.maxspanMs, until: plan.until, maxPending: options.maxPending });
    } else if (plan.kind === 'sample') this.sample = new SampleCollector<E>(plan.stages, this.shape);
  }

  /** True when no further event can change the output (a head pipe is full). */
  get done(): boolean {
    return this.chain.done;
  }

  get sequenceStats(): SequenceStats | undefined {
    return this.sequence?.stats;
  }

  /** Sample events left out because the sample held its maximum number of keys. */
  get droppedSampleKeys(): number {
    return this.sample?.droppedKeys ?? 0;
  }

  get pendingCount(): number {
    return this.sequence?.pendingCount ?? 0;
  }

  /**
   * Can the event change this query's state or output: does it meet one of its stages (missing
   * ones and `until` included)? An event that meets none only advances the clock, as the next one
   * that does will (Elasticsearch fetches only events matching a stage).
   */
  concerns(e: E): boolean {
    const plan = this.plan;
    if (plan.kind === 'event') return stageMatches(plan.stage, e, this.shape);
    for (const s of plan.stages) if (stageMatches(s, e, this.shape)) return true;
    return plan.kind === 'sequence' && plan.until !== undefined && stageMatches(plan.until, e, this.shape);
  }

  push(e: E): void {
    const plan = this.plan;
    if (plan.kind === 'event') {
      if (stageMatches(plan.stage, e, this.shape)) this.chain.push({ events: [e] });
    } else if (this.sequence) {
      for (const m of this.sequence.push(e)) this.chain.push(m);
    } else this.sample?.push(e);
  }

  finish(): void {
    if (this.sequence) for (const m of this.sequence.finish()) this.chain.push(m);
    if (this.sample) for (const m of this.sample.finish()) this.chain.push(m);
    this.chain.finish();
  }
}

/** Runs a plan over events already in memory (tests, small inputs). */
export function runEql<E extends EqlEvent>(plan: QueryPlan, events: Iterable<E>, options: ExecuteOptions = {}): EqlMatch<E>[] {
  const out: EqlMatch<E>[] = [];
  const ex = new EqlExecutor<E>(plan, (m) => out.push(m), options);
  for (const e of events) {
    if (ex.done) break;
    ex.push(e);
  }
  ex.finish();
  return out;
}
