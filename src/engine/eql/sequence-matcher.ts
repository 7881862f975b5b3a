/**
 * The sequence state machine (Elasticsearch semantics), fed one event at a time in time order.
 *
 * - Per positive stage and join key, ONE pending partial sequence: a newer partial replaces an older
 *   one (Elasticsearch keeps several but always extends the latest and drops the older ones).
 * - An event extends the partial of the previous stage with its key; the stages are tried from the
 *   last to the first so that one event never fills two stages of the same sequence.
 * - maxspan is inclusive and measured from the first event of the sequence.
 * - `until` (same keys) drops the pending partials of its key only (after the event's own stages).
 * - Missing events `![...]`: an event of a missing stage between its neighbours (same key) kills the
 *   partial; leading / trailing missing stages look back / ahead within maxspan (to the start or
 *   end of the input without one).
 * - Bounded state: a partial dies at the first later event whose time is past its maxspan, and dead
 *   partials are swept every SWEEP_EVERY events; at most `maxPending` partials are kept (the oldest
 *   are evicted first, counted in `stats.evicted`).
 *
 * Input that is not in time order (several files, a file whose clock went back) gets the same rule,
 * so the result never depends on when a sweep happens: a partial dies only at a later event past its
 * maxspan. An older file read after a newer one therefore still forms its own sequences (its events
 * are not past their maxspan), and partials of the newer file wait until time passes them again.
 */
import type { EqlEvent, EqlMatch, StagePlan } from './plan.js';
import type { EventShape } from './stage.js';
import { stageKey, stageMatches } from './stage.js';

interface Partial<E extends EqlEvent> {
  events: E[];
  start: number;
  /** Input index (among the events fed) of the first event. */
  born: number;
  key: unknown[];
}

interface Awaiting<E extends EqlEvent> {
  match: Partial<E>;
  keyText: string;
  /** The trailing missing window ends at this time (Infinity: end of input). */
  until: number;
}

export interface SequenceOptions {
  maxspanMs?: number;
  until?: StagePlan;
  maxPending?: number;
}

export interface SequenceStats {
  /** Partials dropped because they could no longer complete within maxspan. */
  expired: number;
  /** Partials evicted because the state reached maxPending. */
  evicted: number;
  /** Largest number of pending partials seen. */
  peakPending: number;
}

const SWEEP_EVERY = 1024;
const MAX_LEADING_HISTORY = 1024;

export class SequenceMatcher<E extends EqlEvent = EqlEvent> {
  /** Indexes (into stages) of the positive stages, in order. */
  private readonly positive: number[];
  /** pending[i]: partials that matched positive stage i (not the last), by key text. */
  private readonly pending: Map<string, Partial<E>>[];
  /** Missing stages between positive i and i+1 (index i), leading and trailing ones apart. */
  private readonly between: StagePlan[][];
  private readonly leading: StagePlan[];
  private readonly trailing: StagePlan[];
  /** Leading missing events seen, per key: [time, seq, input index] (recent ones only). */
  private readonly leadingSeen = new Map<string, [number, number, number][]>();
  private readonly awaiting: Awaiting<E>[] = [];
  private readonly maxspan: number;
  private readonly maxPending: number;
  private size = 0;
  /** Events fed so far (the next event's input index). */
  private count = 0;
  /** Input index of the first event since the last sweep. */
  private windowStart = 0;
  /**
   * The events since the last sweep whose time no later one exceeds (times decreasing): the latest
   * time after any input index in O(log n), which decides whether a partial born there has died.
   */
  private readonly peakIdx: number[] = [];
  private readonly peakTs: number[] = [];
  readonly stats: SequenceStats = { expired: 0, evicted: 0, peakPending: 0 };

  constructor(private readonly stages: StagePlan[], private readonly shape: EventShape, private readonly options: SequenceOptions = {}) {
    this.positive = stages.flatMap((s, i) => (s.missing ? [] : [i]));
    this.pending = this.positive.slice(0, -1).map(() => new Map());
    const firstPos = this.positive[0];
    const lastPos = this.positive[this.positive.length - 1];
    this.leading = stages.slice(0, firstPos);
    this.trailing = stages.slice(lastPos + 1);
    this.between = this.positive.slice(0, -1).map((p, i) => stages.slice(p + 1, this.positive[i + 1]));
    this.maxspan = options.maxspanMs ?? Infinity;
    this.maxPending = options.maxPending ?? 1_000_000;
  }

  /** Pending partial sequences right now (for memory measurements and tests). */
  get pendingCount(): number {
    return this.size;
  }

  /** Feeds one event; returns the sequences it completes (in completion order). */
  push(e: E): EqlMatch<E>[] {
    const idx = this.count++;
    this.notePeak(idx, e.ts);
    const out: EqlMatch<E>[] = [];
    this.releaseAwaiting(out, e.ts);
    this.missingEvents(e);
    for (let i = this.positive.length - 1; i >= 0; i--) {
      const stage = this.stages[this.positive[i]];
      if (!stageMatches(stage, e, this.shape)) continue;
      const k = stageKey(stage, e);
      if (!k) continue;
      let next: Partial<E>;
      if (i === 0) {
        if (this.leading.length && this.leadingViolated(k.text, e)) continue;
        next = { events: [e], start: e.ts, born: idx, key: k.values };
      } else {
        const prev = this.pending[i - 1].get(k.text);
        if (!prev) continue;
        this.remove(this.pending[i - 1], k.text);
        // Dead since an event (this one or one between) past its maxspan.
        if (this.latestAfter(prev.born) - prev.start > this.maxspan) {
          this.stats.expired++;
          continue;
        }
        next = { events: [...prev.events, e], start: prev.start, born: prev.born, key: prev.key };
      }
      if (i === this.positive.length - 1) this.complete(next, k.text, out);
      else this.add(this.pending[i], k.text, next);
    }
    // After the stages: an until event ends the partials of its key, those this very event extended
    // included (Elasticsearch: an until marker at or after a sequence's last event rejects it), while
    // a sequence this event completes stands (only markers strictly before the completing event count).
    const until = this.options.until;
    if (until && stageMatches(until, e, this.shape)) {
      const k = stageKey(until, e);
      if (k) for (const m of this.pending) this.remove(m, k.text);
    }
    if (this.count % SWEEP_EVERY === 0) this.sweep();
    return out;
  }

  /** End of input: sequences still waiting for their trailing missing window complete now. */
  finish(): EqlMatch<E>[] {
    const out: EqlMatch<E>[] = [];
    this.releaseAwaiting(out, Infinity);
    for (const m of this.pending) m.clear();
    this.size = 0;
    return out;
  }

  private complete(p: Partial<E>, keyText: string, out: EqlMatch<E>[]): void {
    if (this.trailing.length === 0) {
      out.push({ events: p.events, key: p.key });
      return;
    }
    this.awaiting.push({ match: p, keyText, until: p.start + this.maxspan });
  }

  private releaseAwaiting(out: EqlMatch<E>[], time: number): void {
    while (this.awaiting.length && (this.awaiting[0].until < time || time === Infinity)) {
      const a = this.awaiting.shift() as Awaiting<E>;
      out.push({ events: a.match.events, key: a.match.key });
    }
  }

  private missingEvents(e: E): void {
    for (let i = 0; i < this.between.length; i++) {
      for (const s of this.between[i]) {
        if (!stageMatches(s, e, this.shape)) continue;
        const k = stageKey(s, e);
        if (k) this.remove(this.pending[i], k.text);
      }
    }
    for (const s of this.trailing) {
      if (!this.awaiting.length || !stageMatches(s, e, this.shape)) continue;
      const k = stageKey(s, e);
      if (!k) continue;
      for (let j = this.awaiting.length - 1; j >= 0; j--) {
        const a = this.awaiting[j];
        if (a.keyText === k.text && e.ts <= a.until) this.awaiting.splice(j, 1);
      }
    }
    for (const s of this.leading) {
      if (!stageMatches(s, e, this.shape)) continue;
      const k = stageKey(s, e);
      if (!k) continue;
      const list = this.leadingSeen.get(k.text) ?? [];
      list.push([e.ts, e.seq, this.count - 1]);
      if (list.length > MAX_LEADING_HISTORY) list.shift();
      this.leadingSeen.set(k.text, list);
    }
  }

  /**
   * A leading missing event (same key) before `e` and within maxspan of it? (Within maxspan of every
   * event since it, `e` included: like a partial, it stops counting at a later event past its maxspan.)
   */
  private leadingViolated(key: string, e: E): boolean {
    const list = this.leadingSeen.get(key);
    if (!list) return false;
    return list.some(([ts, seq, born]) => seq < e.seq && this.latestAfter(born) - ts <= this.maxspan);
  }

  private notePeak(idx: number, ts: number): void {
    if (Number.isNaN(ts)) return; // an event without a time moves no clock
    while (this.peakTs.length && !(this.peakTs[this.peakTs.length - 1] > ts)) {
      this.peakTs.pop();
      this.peakIdx.pop();
    }
    this.peakIdx.push(idx);
    this.peakTs.push(ts);
  }

  /**
   * The latest time among the events fed after input index `born` (and since the last sweep: a
   * partial that outlived the sweep was within its maxspan of every event before it); -Infinity if none.
   */
  private latestAfter(born: number): number {
    const from = Math.max(born + 1, this.windowStart);
    let lo = 0;
    let hi = this.peakIdx.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.peakIdx[mid] < from) lo = mid + 1;
      else hi = mid;
    }
    return lo < this.peakTs.length ? this.peakTs[lo] : -Infinity;
  }

  private add(m: Map<string, Partial<E>>, key: string, p: Partial<E>): void {
    // Delete first so that the map's order is the order of last update (oldest first).
    if (m.delete(key)) this.size--;
    m.set(key, p);
    this.size++;
    if (this.size > this.stats.peakPending) this.stats.peakPending = this.size;
    if (this.size > this.maxPending) this.evictOldest();
  }

  private remove(m: Map<string, Partial<E>>, key: string): void {
    if (m.delete(key)) this.size--;
  }

  private evictOldest(): void {
    let oldest: { m: Map<string, Partial<E>>; key: string; start: number } | undefined;
    for (const m of this.pending) {
      const it = m.entries().next();
      if (!it.done && (!oldest || it.value[1].start < oldest.start)) oldest = { m, key: it.value[0], start: it.value[1].start };
    }
    if (oldest) {
      this.remove(oldest.m, oldest.key);
      this.stats.evicted++;
    }
  }

  /** Drops the partials (and leading missing events) that died since the last sweep, then starts a new window. */
  private sweep(): void {
    if (this.maxspan !== Infinity) {
      for (const m of this.pending) {
        for (const [k, p] of m) {
          if (this.latestAfter(p.born) - p.start > this.maxspan) {
            m.delete(k);
            this.size--;
            this.stats.expired++;
          }
        }
      }
      for (const [k, list] of this.leadingSeen) {
        const alive = list.filter(([ts, , born]) => this.latestAfter(born) - ts <= this.maxspan);
        if (alive.length) this.leadingSeen.set(k, alive);
        else this.leadingSeen.delete(k);
      }
    }
    this.windowStart = this.count;
    this.peakIdx.length = 0;
    this.peakTs.length = 0;
  }
}
