/** Evaluating one stage on one event: its category, its filter, and its join key. */
import type { EqlEvent, StagePlan } from './plan.js';
import type { Scalar } from './values.js';
import type { Doc, Value } from './values.js';
import { first, keyText, sharedFieldReader } from './values.js';

export interface EventShape {
  /** Path of the event-category field (ECS: event.category). */
  categoryPath: readonly string[];
}

export const ECS_SHAPE: EventShape = { categoryPath: ['event', 'category'] };

const categoryReaders = new WeakMap<EventShape, (d: Doc) => Value>();

export function stageMatches(s: StagePlan, e: EqlEvent, shape: EventShape): boolean {
  if (s.category !== null) {
    let read = categoryReaders.get(shape);
    if (!read) {
      // Read once per event however many stages and rules ask (the last document is remembered).
      read = sharedFieldReader(shape.categoryPath);
      categoryReaders.set(shape, read);
    }
    const c = read(e.doc);
    if (Array.isArray(c) ? !c.includes(s.category) : c !== s.category) return false;
  }
  return s.filter(e.doc);
}

export interface StageKey {
  text: string;
  values: Scalar[];
}

const NO_KEY: StageKey = { text: '[]', values: [] };

/** The stage's join key for the event, or undefined when a required key is null. */
export function stageKey(s: StagePlan, e: EqlEvent): StageKey | undefined {
  if (s.keys.length === 0) return NO_KEY;
  const values: Scalar[] = new Array(s.keys.length);
  for (let i = 0; i < s.keys.length; i++) {
    const v = first(s.keys[i](e.doc));
    if (v === null && !s.optional[i]) return undefined;
    values[i] = v;
  }
  return { text: keyText(values), values };
}
