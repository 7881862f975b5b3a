/**
 * Events whose fields hold several values (EVTX unnamed <Data> elements flattened to a list, JSON
 * arrays) and Sigma rules showing them, for the tests that hunt's `matched` is scan's on every
 * store (test/store/hunt-lists.test.ts: DuckDB; test/store/clickhouse/hunt-lists.test.ts).
 * scan shows a list field as the event holds it: the whole list, every value, in order, even
 * those the rule did not match (engine/file-scan.ts toAlert).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Alert } from '../../src/engine/alert.js';

function event(record: number, data: Record<string, unknown>): string {
  return JSON.stringify({
    Event: {
      System: {
        Provider: { '#attributes': { Name: 'Service Control Manager' } }, EventID: 7045, EventRecordID: record,
        TimeCreated: { '#attributes': { SystemTime: `2026-11-20T08:00:${String(record).padStart(2, '0')}.0000000Z` } },
        Channel: 'System', Computer: 'WS-1.corp.example',
      },
      EventData: data,
    },
  });
}

export const LIST_EVENTS = [
  // Unnamed <Data> elements: one field `Data` (a promoted column) with several values.
  event(11, { Data: ['alpha', 'evil payload', 'gamma'] }),
  // The same field with one value in another event.
  event(12, { Data: 'evil single' }),
  // Values with the texts a list's encoding must carry: empty, backslashes, a newline, a quote, 'S'.
  event(13, { Data: ['', 'evil \\ back\\nslash\\', 'line1\nline2 evil', 'S', "it's"] }),
  // An empty list, shown by a rule that matched another field.
  event(14, { Data: [], ServiceMarker: 'mark' }),
  // A list in a field without a column of its own (the field maps).
  event(15, { Tags: ['red', 'EVIL-tag'], Data: 'x' }),
  // A keyword found in one value of a list.
  event(16, { Data: ['a', 'has hiddenword here'] }),
  // No rule matches.
  event(17, { Data: ['calm', 'quiet'], Tags: ['blue', 'green'] }),
];

const head = (n: number, title: string): string => `title: ${title}
id: 5a1f0c3e-7b2d-4e8f-9c10-00000000000${n}
status: test
logsource:
  product: windows
  service: system
level: high
`;

export const LIST_RULES: Record<string, string> = {
  'contains.yml': `${head(1, 'List Contains')}detection:
  selection:
    Data|contains: evil
  condition: selection
`,
  'either.yml': `${head(2, 'List Or Marker')}detection:
  sel_a:
    Data|contains: evil
  sel_b:
    ServiceMarker: mark
  condition: 1 of sel_*
`,
  'equals.yml': `${head(3, 'List Element Equals')}detection:
  selection:
    Data: gamma
  condition: selection
`,
  'tags.yml': `${head(4, 'Unpromoted List')}detection:
  selection:
    Tags|contains: evil
  condition: selection
`,
  'keyword.yml': `${head(5, 'Keyword In A List')}detection:
  keywords:
    - HiddenWord
  condition: keywords
`,
};

/** rule number, record id -> matched: what scan shows (checked against scan itself). */
export const LIST_EXPECTED = [
  [1, 11, { Data: ['alpha', 'evil payload', 'gamma'] }],
  [1, 12, { Data: 'evil single' }],
  [1, 13, { Data: ['', 'evil \\ back\\nslash\\', 'line1\nline2 evil', 'S', "it's"] }],
  [2, 11, { Data: ['alpha', 'evil payload', 'gamma'] }],
  [2, 12, { Data: 'evil single' }],
  [2, 13, { Data: ['', 'evil \\ back\\nslash\\', 'line1\nline2 evil', 'S', "it's"] }],
  [2, 14, { Data: [], ServiceMarker: 'mark' }],
  [3, 11, { Data: ['alpha', 'evil payload', 'gamma'] }],
  [4, 15, { Tags: ['red', 'EVIL-tag'] }],
  [5, 16, { keywords: ['HiddenWord'] }],
].map(([n, record, matched]) => JSON.stringify([`5a1f0c3e-7b2d-4e8f-9c10-00000000000${n as number}`, record, matched])).sort();

/** The alerts as (rule id, record id, matched), sorted. */
export const listSummary = (alerts: Alert[]): string[] => alerts.map((a) => JSON.stringify([a.rule.id, a.event.record_id, a.matched])).sort();

/** Writes the events (events.jsonl) and the rules (rules/) into `dir`. */
export function writeListFixture(dir: string): { events: string; rules: string } {
  const events = join(dir, 'events.jsonl');
  writeFileSync(events, LIST_EVENTS.join('\n') + '\n');
  const rules = join(dir, 'rules');
  mkdirSync(rules);
  for (const [name, text] of Object.entries(LIST_RULES)) writeFileSync(join(rules, name), text);
  return { events, rules };
}
