/**
 * `sample by ...`: unordered groups of events that share join keys (Elasticsearch semantics). For
 * every key present in all stages, each stage keeps its first candidates in input order (as many as
 * there are stages, like Elasticsearch's per-stage fetch), then one sample picks a distinct event per
 * stage (backtracking). Samples come out in ascending key order. State: keys x stages x candidates,
 * with at most `maxKeys` distinct keys (further keys are counted in `droppedKeys`, never silently).
 */
import type { EqlEvent, EqlMatch, StagePlan } from './plan.js';
import type { EventShape } from './stage.js';
import { stageKey, stageMatches } from './stage.js';
import type { Scalar } from './values.js';

export class SampleCollector<E extends EqlEvent = EqlEvent> {
  /** candidates[stage]: key text -> first events of that stage with that key. */
  private readonly candidates: Map<string, E[]>[];
  private readonly keyValues = new Map<string, Scalar[]>();
  /** Events whose key was new once `maxKeys` keys were held. */
  droppedKeys = 0;

  constructor(private readonly stages: StagePlan[], private readonly shape: EventShape, private readonly maxKeys = 1_000_000) {
    this.candidates = stages.map(() => new Map());
  }

  push(e: E): void {
    const per = this.stages.length;
    this.stages.forEach((s, i) => {
      if (!stageMatches(s, e, this.shape)) return;
      const k = stageKey(s, e);
      if (!k) return;
      const list = this.candidates[i].get(k.text);
      if (!list) {
        if (!this.keyValues.has(k.text)) {
          if (this.keyValues.size >= this.maxKeys) {
            this.droppedKeys++;
            return;
          }
          this.keyValues.set(k.text, k.values);
        }
        this.candidates[i].set(k.text, [e]);
      } else if (list.length < per) list.push(e);
    });
  }

  finish(): EqlMatch<E>[] {
    const keys = [...this.candidates[0].keys()].filter((k) => this.candidates.every((m) => m.has(k)));
    keys.sort((a, b) => compareKeys(this.keyValues.get(a) as Scalar[], this.keyValues.get(b) as Scalar[]));
    const out: EqlMatch<E>[] = [];
    for (const k of keys) {
      const lists = this.candidates.map((m) => m.get(k) as E[]);
      const picked = pick(lists, 0, []);
      if (picked) out.push({ events: picked, key: this.keyValues.get(k) });
    }
    return out;
  }
}

function pick<E>(lists: E[][], i: number, chosen: E[]): E[] | undefined {
  if (i === lists.length) return [...chosen];
  for (const e of lists[i]) {
    if (chosen.includes(e)) continue;
    chosen.push(e);
    const r = pick(lists, i + 1, chosen);
    if (r) return r;
    chosen.pop();
  }
  return undefined;
}

// Null (an optional key's missing value) sorts first, as in Elasticsearch's composite aggregation.
const rank = (v: Scalar): number => (v === null ? -1 : typeof v === 'boolean' ? 0 : typeof v === 'number' ? 1 : 2);

function compareScalars(a: Scalar, b: Scalar): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function compareKeys(a: Scalar[], b: Scalar[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const c = compareScalars(a[i], b[i]);
    if (c !== 0) return c;
  }
  return a.length - b.length;
}
