import type { Loss, Unknown } from '../../model/index.js';
import { unknown } from '../../model/index.js';

/**
 * Conditions of a raw query that a lowering could not read exactly. Each becomes an `unknown` node
 * in the tree (never `const true`, never a fake field test) and a Loss on the rule, with the slice
 * of the raw query, its offset, a short category (`reason`) and the explanation in words.
 */
export class LossLog {
  readonly losses: Loss[] = [];

  /** `base` is the offset of `source` inside the rule's raw query (for embedded queries). */
  constructor(private readonly source: string, private readonly base = 0) {}

  /** An unknown node for source[offset, end), recorded as a loss. */
  unknownAt(offset: number, end: number, reason: string, detail: string): Unknown {
    const text = this.source.slice(offset, end);
    this.note(offset, end, reason, detail);
    return unknown(text, detail);
  }

  /** A loss without an unknown node: the tree holds the condition, but only approximately. */
  note(offset: number, end: number, reason: string, detail: string): void {
    this.losses.push({ text: this.source.slice(offset, end), reason, offset: this.base + offset, detail });
  }
}
