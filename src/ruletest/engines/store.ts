/**
 * An event store as a test engine: the files ingested once into a store made for the run, the rules
 * hunted as SQL (what `hunt` runs), the store closed. DuckDB and ClickHouse differ only in how the
 * store is opened and released.
 */
import { formatProblem } from '../../model/index.js';
import type { RuleSet } from '../../engine/rules.js';
import { NOTICE_REASONS } from '../../events/types.js';
import { openEventStore, StoreError, type EventStore } from '../../store/event-store.js';
import { addFileProblem, emptyRun, EngineError, type EngineAdapter, type EngineRun } from './types.js';

export interface StoreTarget {
  /** The `--store` spec to open. */
  spec: string;
  /** Made for this run (empty): false for a store given by the user, which may hold earlier runs' files. */
  fresh: boolean;
  /** Called after the store is closed (drop a temporary database, stop a temporary cluster). */
  release?: () => Promise<void>;
}

export function storeEngine(name: string, target: () => Promise<StoreTarget>): EngineAdapter {
  return {
    name,
    async run(rules: RuleSet, files: string[]): Promise<EngineRun> {
      const t = await target();
      let store: EventStore | undefined;
      try {
        try {
          store = await openEventStore(t.spec);
          return await ingestAndHunt(store, rules, files, t.fresh);
        } catch (e) {
          if (e instanceof EngineError) throw e;
          // A store that is down or refuses: one error naming it, for every case of this engine.
          const msg = (e as Error).message.split('\n')[0];
          throw new EngineError(e instanceof StoreError && msg.includes(t.spec) ? msg : `${t.spec}: ${msg}`);
        }
      } finally {
        await store?.close();
        await t.release?.();
      }
    },
  };
}

async function ingestAndHunt(store: EventStore, rules: RuleSet, files: string[], fresh: boolean): Promise<EngineRun> {
  const run = emptyRun();
  const ing = await store.ingest(files, {
    onProblem: (p) => {
      if (!NOTICE_REASONS.has(p.reason)) addFileProblem(run, p.file, formatProblem({ file: p.file, where: p.where, reason: p.reason, message: p.message }));
    },
    onFile: (_done, _total, file, events) => run.events.set(file, events),
  });
  if (files.length > 0 && ing.failed === files.length) {
    const first = [...run.fileProblems.values()][0]?.[0] ?? 'no reason given';
    throw new EngineError(`${store.spec}: no file could be ingested (${first})`);
  }
  // A file already in the store (same content, an earlier run) is skipped by ingest: its events
  // would be named by the earlier path, so this run's verdicts could not be trusted.
  if (ing.skipped > 0) {
    throw new EngineError(`${store.spec}: ${ing.skipped} of the test's ${files.length} event files were already in this store${fresh ? '' : ' (an earlier run?): give a store for this run only, or no URL to start a temporary cluster'}`);
  }
  await store.hunt(rules, {
    onAlert: (a) => run.hits.push({ ruleId: a.rule.id, file: a.event.file, record_id: a.event.record_id, timestamp: a.event.timestamp, event_id: a.event.event_id }),
    onSkip: (r, reason, message) => run.skipped.set(r.id, `${reason}: ${message}`),
  });
  return run;
}
