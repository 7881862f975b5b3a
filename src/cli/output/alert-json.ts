/**
 * One alert as its JSON line's text, byte for byte what JSON.stringify(alert) gives, with the parts
 * that are the same for every alert of a rule written once: the `rule` object and the `techniques`
 * array, when the alerts share them (hunt hands every alert of a rule the same two objects; scan
 * shares the rule's techniques), and `matched` when an alert has the previous alert's object. They
 * are remembered by identity (a WeakMap: nothing is kept once the rule is gone; the last `matched`
 * only); alerts are values, never changed after they are reported.
 * Measured (32-host ClickHouse hunt, 2,301,504 alerts): JSON.stringify per alert was the largest
 * single cost of detectory's own CPU.
 */
import type { Alert } from '../../engine/alert.js';

const shared = new WeakMap<object, string>();

/** The JSON of an object shared by many alerts, written once. */
function sharedJson(v: unknown): string | undefined {
  if (typeof v !== 'object' || v === null) return JSON.stringify(v);
  let s = shared.get(v);
  if (s === undefined) {
    s = JSON.stringify(v);
    shared.set(v, s);
  }
  return s;
}

/** `"key":` of the alert's keys (any other key is quoted as JSON.stringify quotes it). */
const KEYS: Readonly<Record<string, string>> = Object.fromEntries(
  ['rule', 'event', 'techniques', 'matched', 'events', 'correlation', 'threshold', 'new_terms'].map((k) => [k, `${JSON.stringify(k)}:`]),
);

/** The last `matched` object written and its JSON: consecutive alerts of a rule often share it (hunt-loop.ts). */
let lastMatched: unknown;
let lastMatchedJson: string | undefined;

function matchedJson(v: unknown): string | undefined {
  if (v !== lastMatched || typeof v !== 'object' || v === null) {
    lastMatched = v;
    lastMatchedJson = JSON.stringify(v);
  }
  return lastMatchedJson;
}

export function alertJson(a: Alert): string {
  let out = '';
  const o = a as unknown as Record<string, unknown>;
  // Own enumerable keys in insertion order, as JSON.stringify walks a plain object.
  for (const k of Object.keys(o)) {
    const v = o[k];
    const text = k === 'rule' || k === 'techniques' ? sharedJson(v) : k === 'matched' ? matchedJson(v) : JSON.stringify(v);
    if (text === undefined) continue; // undefined (and functions) are left out, as JSON.stringify does
    out += (out ? ',' : '{') + (Object.hasOwn(KEYS, k) ? KEYS[k] : `${JSON.stringify(k)}:`) + text;
  }
  return out ? out + '}' : '{}';
}
