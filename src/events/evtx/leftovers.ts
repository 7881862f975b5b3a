/**
 * Leftover records of one file (or one chunk range): the records found in chunk slack, kept apart
 * from the live records. A leftover whose identifier (in its record header) is a live record's
 * anywhere in the file is a stale copy and is dropped, so each record comes out once. At the end of the file the leftovers are
 * either yielded (marked `recovered`, with --recover) or only counted, and one line says which.
 */

import type { EventRecord, ProblemSink } from '../types.js';
import type { ChunkResult } from './chunk.js';

/** Leftovers held for the end of the file at most; beyond that they are counted, not kept. */
export const MAX_HELD_LEFTOVERS = 100_000;

export class Leftovers {
  /** Live record identifiers as ranges [lo, hi] in file order (records of a chunk are consecutive). */
  private readonly live: Array<[number, number]> = [];
  private readonly found = new Map<number, { record?: EventRecord; error?: string }>();
  /** Leftovers seen, all copies included (what evtxinfo counts as "recovered records"). */
  private total = 0;
  private overflow = 0;

  constructor(
    private readonly file: string,
    private readonly recover: boolean,
  ) {}

  /** Takes one chunk's result: notes its live identifiers and its leftovers. */
  add(r: ChunkResult): void {
    for (const id of r.liveIds) this.addLive(id);
    for (const s of r.slack) {
      this.total++;
      if (this.found.has(s.id)) continue;
      if (this.found.size >= MAX_HELD_LEFTOVERS) {
        this.overflow++;
        continue;
      }
      this.found.set(s.id, { record: s.record, error: s.error });
    }
  }

  private addLive(id: number): void {
    const last = this.live[this.live.length - 1];
    if (last && id === last[1] + 1) last[1] = id;
    else this.live.push([id, id]);
  }

  private isLive(id: number): boolean {
    for (const [lo, hi] of this.live) if (id >= lo && id <= hi) return true;
    return false;
  }

  /**
   * Reports the leftovers in one line (how many, how many were copies of live records, and with
   * --recover how many decoded whole, in part or not at all, with the first reason) and returns the
   * records to emit.
   */
  finish(onProblem: ProblemSink, where?: string): EventRecord[] {
    const out: EventRecord[] = [];
    let deleted = this.overflow;
    let partial = 0;
    let failed = 0;
    let firstError: string | undefined;
    for (const [id, s] of this.found) {
      if (this.isLive(id)) continue;
      deleted++;
      if (s.record) out.push(s.record);
      if (s.record?.partial) partial++;
      if (!s.record && this.recover) failed++;
      if (s.error) firstError ??= `record ${id}: ${s.error}`;
    }
    if (!this.total) return out;
    const copies = this.total - deleted;
    const head = `${this.total} leftover records in chunk slack: ${copies} copies of live records (dropped), ${deleted} deleted records`;
    if (!this.recover) {
      onProblem({ file: this.file, where, reason: 'deleted-records', message: `${head}${deleted ? ' not read (--recover reads them)' : ''}` });
      return out;
    }
    const more = this.overflow ? `; ${this.overflow} beyond the first ${MAX_HELD_LEFTOVERS} only counted` : '';
    const detail = deleted
      ? `, emitted marked recovered: ${out.length - partial} whole, ${partial} in part (marked partial), ${failed} not decodable${more}${firstError ? ` (first: ${firstError})` : ''}`
      : '';
    onProblem({ file: this.file, where, reason: 'recovered-records', message: `${head}${detail}` });
    return out;
  }
}
