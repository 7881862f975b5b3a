/**
 * One EQL query over event files: ECS documents from ecs-source.ts, fed in file order to the
 * executor. Matches come out through `onMatch` as they are final; problems are counted, never thrown.
 */
import type { ProblemSink } from '../../events/types.js';
import type { EcsEvent } from './ecs-source.js';
import { readEcsEvents, timestampMs } from './ecs-source.js';
import { EqlExecutor } from './execute.js';
import type { EqlEvent, EqlMatch, QueryPlan } from './plan.js';

/** An input event as the executor sees it, with the record it came from. */
export interface SourcedEvent extends EqlEvent {
  source: EcsEvent;
}

export interface EqlRunSummary {
  events: number;
  matches: number;
  /** Largest number of pending partial sequences. */
  peakPending: number;
  /** Partials evicted because the state cap was reached (0 unless the input has millions of keys). */
  evicted: number;
  /** Sample events left out at the sample's key cap. */
  droppedSampleKeys: number;
}

export async function runEqlOnFiles(plan: QueryPlan, paths: string[], onMatch: (m: EqlMatch<SourcedEvent>) => void, onProblem: ProblemSink): Promise<EqlRunSummary> {
  let matches = 0;
  const ex = new EqlExecutor<SourcedEvent>(plan, (m) => {
    matches++;
    onMatch(m);
  });
  let seq = 0;
  outer: for await (const batch of readEcsEvents(paths, onProblem)) {
    for (const source of batch) {
      ex.push({ doc: source.doc, ts: timestampMs(source.doc), seq: seq++, source });
      if (ex.done) break outer;
    }
  }
  ex.finish();
  const stats = ex.sequenceStats;
  return { events: seq, matches, peakPending: stats?.peakPending ?? 0, evicted: stats?.evicted ?? 0, droppedSampleKeys: ex.droppedSampleKeys };
}
