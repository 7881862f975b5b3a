/**
 * Leftover records of one file (or one chunk range): the records found in chunk slack, kept apart
 * from the live records. A leftover with the identifier and written time (record header) of a live
 * record anywhere in the file is a stale copy of it and is dropped, so each record comes out once.
 * At the end of the file the other leftovers (deleted records) are either yielded, marked
 * `recovered` (with --recover), or only counted; one line says which.
 */

import type { EventRecord, ProblemSink } from '../types.js';
import type { ChunkResult } from './chunk.js';

/** Leftovers held for the end of the file at most; beyond that they are counted, not kept. */
export const MAX_HELD_LEFTOVERS = 100_000;

type Leftover = ChunkResult['slack'][number];

/** Live records of consecutive identifiers from `lo`, with the low 32 bits of their written times. */
interface LiveRun {
  lo: number;
  times: number[];
}

export class Leftovers {
  /** Live records in runs of consecutive identifiers, in file order (records of a chunk are consecutive). */
  private readonly live: LiveRun[] = [];
  /** Distinct leftovers (by identifier and written time: a copy has both of its original), in order found. */
  private readonly found: Leftover[] = [];
  /** The distinct leftovers by identifier (numbers as keys: no string per leftover). */
  private readonly byId = new Map<number, Leftover[]>();
  /** Leftovers seen, all copies included (what evtxinfo counts as "recovered records"). */
  private total = 0;
  private overflow = 0;

  constructor(
    private readonly file: string,
    private readonly recover: boolean,
  ) {}

  /** Takes one chunk's result: notes its live records and its leftovers. */
  add(r: ChunkResult): void {
    for (let i = 0; i < r.liveIds.length; i++) this.addLive(r.liveIds[i], r.liveTimes[i]);
    for (const s of r.slack) {
      this.total++;
      const same = this.byId.get(s.id);
      if (same && same.some((x) => x.time === s.time)) continue;
      if (this.found.length >= MAX_HELD_LEFTOVERS) {
        this.overflow++;
        continue;
      }
      this.found.push(s);
      if (same) same.push(s);
      else this.byId.set(s.id, [s]);
    }
  }

  private addLive(id: number, time: number): void {
    const last = this.live[this.live.length - 1];
    if (last && id === last.lo + last.times.length) last.times.push(time);
    else this.live.push({ lo: id, times: [time] });
  }

  /**
   * The leftovers that are stale copies of a live record (same identifier and written time): one
   * pass over the live records (a lookup per leftover over every run cost leftovers x runs).
   */
  private copies(): Set<Leftover> {
    const out = new Set<Leftover>();
    if (!this.byId.size) return out;
    for (const run of this.live) {
      for (let j = 0; j < run.times.length; j++) {
        const same = this.byId.get(run.lo + j);
        if (!same) continue;
        for (const x of same) if (x.time === run.times[j]) out.add(x);
      }
    }
    return out;
  }

  /**
   * Reports the leftovers in one line (how many, how many were copies of live records, and with
   * --recover how many decoded whole, in part or not at all, with the first reason) and returns the
   * records to emit.
   */
  finish(onProblem: ProblemSink): EventRecord[] {
    const out: EventRecord[] = [];
    let deleted = this.overflow;
    let partial = 0;
    let failed = 0;
    let firstError: string | undefined;
    const copies = this.copies();
    for (const s of this.found) {
      if (copies.has(s)) continue;
      deleted++;
      if (s.record) out.push(s.record);
      if (s.record?.partial) partial++;
      if (!s.record && this.recover) failed++;
      if (s.error) firstError ??= `record ${s.id}: ${s.error}`;
    }
    if (!this.total) return out;
    const head = `${this.total} leftover records in chunk slack: ${this.total - deleted} copies of live records (dropped), ${deleted} deleted records`;
    if (!this.recover) {
      onProblem({ file: this.file, reason: 'deleted-records', message: `${head}${deleted ? ' not read (--recover reads them)' : ''}` });
      return out;
    }
    const more = this.overflow ? `; ${this.overflow} beyond the first ${MAX_HELD_LEFTOVERS} only counted` : '';
    const detail = deleted
      ? `, emitted marked recovered: ${out.length - partial} whole, ${partial} in part (marked partial), ${failed} not decodable${more}${firstError ? ` (first: ${firstError})` : ''}`
      : '';
    onProblem({ file: this.file, reason: 'recovered-records', message: `${head}${detail}` });
    return out;
  }
}
