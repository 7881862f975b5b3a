/** Runs a (canonical) Detection tree through the compiled matcher on a hand-made event. */
import type { Detection, Rule } from '../../src/model/index.js';
import { Matcher } from '../../src/engine/matcher.js';
import type { FlatEvent } from '../../src/events/normalize.js';

/**
 * Whether the tree matches an event made of `fields` (canonical names). The matcher plans rules on
 * Windows event-log sources, so the tree is wrapped in a rule whose logsource is "any Windows
 * channel": the test is about the compiled predicates, not the logsource.
 */
export function treeFires(detection: Detection, fields: Record<string, string | string[] | null>): boolean {
  const rule: Rule = {
    id: 't', title: 't', vendor: 'elastic', path: 't', references: [], falsePositives: [], tags: [], techniques: [], tactics: [],
    logsource: { product: 'windows' }, type: 'x', language: 'x', fields: [], extra: {}, detection,
  };
  const m = new Matcher([rule]);
  if (m.skipped.length) throw new Error(`rule skipped: ${m.skipped[0].reason}: ${m.skipped[0].message}`);
  const f = Object.assign(Object.create(null) as Record<string, string | string[] | null>, fields);
  const ev: FlatEvent = { fields: f, keys: Object.keys(fields), channel: 'test', eventId: NaN, computer: null, record: { file: 'e.json', event: {} } };
  return m.match(ev).length > 0;
}
