/**
 * Builds an event's field map from its names and values given in order, the way putField does
 * (the first value of a name wins; a name with spaces is also kept without them), without its
 * per-value checks. Records of one EVTX template give the same names in the same order, so the
 * sequence of names is a path in a tree of layouts (like V8's own hidden classes): each layout knows
 * its names and which name repeats one already there; the map is filled from its list of values.
 * Record plans (evtx/record-plan.ts) keep the layout their records reach.
 *
 * A layout makes its maps with one generated constructor (events/field-shape.ts): objects of one
 * shape per layout. The matcher reads them at sites meeting hundreds of shapes; commit 3842f5c found
 * that no faster than dictionaries, but decoding and matching all SigmaHQ rules on the 256 MiB
 * bench file (one thread, in one process, best of 3 warm rounds) now takes 1.34-1.47 s against
 * 1.47-1.80 s (6 alternated pairs of processes, each pair faster).
 *
 * Names come from the events (hostile input): the tree is bounded: past MAX_LAYOUTS layouts, or
 * MAX_KEYS names in one event, the builder grows the map name by name (the same result).
 */
import type { FieldValue, Fields } from './normalize.js';
import { fieldValue, putField } from './normalize.js';
import { fieldMaker, growFields, type FieldMaker } from './field-shape.js';

/** Layouts kept per thread (each holds its names and a map of the next ones). */
export const MAX_LAYOUTS = 16_384;
/** Names in one layout: an event with more grows its map itself. */
export const MAX_KEYS = 512;

/** Where a name leads from a layout: `copies` when the name has spaces and its stripped form is added too. */
interface Step {
  next: Layout;
  copies: boolean;
}

export class Layout {
  /** The next layouts by name; null: the name is one of this layout's (its later values are dropped). */
  readonly steps = new Map<string, Step | null>();

  private make: FieldMaker | null | undefined;

  constructor(readonly keys: readonly string[]) {}

  /** The field map of these names with these values (vals[i] is keys[i]'s; vals is not kept). */
  build(vals: FieldValue[]): Fields {
    if (this.make === undefined) this.make = fieldMaker(this.keys) ?? null;
    return this.make ? this.make(vals) : growFields(this.keys, vals);
  }
}

/** The root layout (no name yet) and the tree's size, per thread. */
const ROOT = new Layout([]);
let layouts = 1;

function stepFrom(node: Layout, key: string): Step | null | undefined {
  const keys = node.keys;
  if (keys.length >= MAX_KEYS || layouts >= MAX_LAYOUTS) return undefined;
  if (keys.includes(key)) {
    node.steps.set(key, null);
    return null;
  }
  const next = [...keys, key];
  let copies = false;
  if (key.indexOf(' ') >= 0) {
    const stripped = key.replace(/ /g, '');
    if (!keys.includes(stripped)) {
      next.push(stripped);
      copies = true;
    }
  }
  const step: Step = { next: new Layout(next), copies };
  layouts++;
  node.steps.set(key, step);
  return step;
}

/** Collects one event's fields; reset() before each event. */
export class FieldBuilder {
  private node: Layout = ROOT;
  private vals: FieldValue[] = [];
  private n = 0;
  /** Set once the event left the tree: the map grown name by name from there on. */
  private grown: Fields | undefined;
  private grownKeys: string[] | undefined;

  reset(): void {
    this.node = ROOT;
    this.n = 0;
    this.grown = undefined;
    this.grownKeys = undefined;
  }

  /** How many names the event has so far. */
  get count(): number {
    return this.grownKeys ? this.grownKeys.length : this.node.keys.length;
  }

  /** Adds a value; returns how many names it was stored under (0: a repeat, 2: also without its spaces, -1: past the tree). */
  put(key: string, v: unknown): number {
    if (this.grown) {
      putField(this.grown, this.grownKeys!, key, v);
      return -1;
    }
    const node = this.node;
    let step = node.steps.get(key);
    if (step === undefined) {
      step = stepFrom(node, key);
      if (step === undefined) {
        this.grow();
        putField(this.grown!, this.grownKeys!, key, v);
        return -1;
      }
    }
    if (step === null) return 0;
    const val = fieldValue(v);
    this.vals[this.n++] = val;
    this.node = step.next;
    if (!step.copies) return 1;
    this.vals[this.n++] = val;
    return 2;
  }

  /** The layout of the names so far (undefined once the event left the tree). */
  get layout(): Layout | undefined {
    return this.grown ? undefined : this.node;
  }

  /** The fields and their names (the names list is the layout's: shared, never changed). */
  finish(): { fields: Fields; keys: readonly string[] } {
    if (this.grown) return { fields: this.grown, keys: this.grownKeys! };
    // The values list is reused: the map holds its own copies of them.
    return { fields: this.node.build(this.vals), keys: this.node.keys };
  }

  private grow(): void {
    const keys = [...this.node.keys];
    this.grown = growFields(keys, this.vals);
    this.grownKeys = keys;
  }
}

/** Layouts made so far on this thread (for tests). */
export function layoutCounts(): { layouts: number } {
  return { layouts };
}
