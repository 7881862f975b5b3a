/** Small helpers for tests: a Sigma rule from YAML text, and events matched through the real engine. */
import { parseSigmaText } from '../../src/formats/sigma/index.js';
import type { Placeholders } from '../../src/formats/sigma/index.js';
import type { Rule } from '../../src/model/index.js';
import { Matcher } from '../../src/engine/matcher.js';
import { flattenEvent } from '../../src/events/normalize.js';

export function rule(yaml: string, placeholders?: Placeholders): Rule {
  const r = parseSigmaText(yaml, 'test.yml', { placeholders });
  if (r.problems.length) throw new Error(r.problems.map((p) => `${p.reason}: ${p.message}`).join('; '));
  return r.rules[0];
}

/** A Sysmon process-creation rule around a detection body (indented YAML lines). */
export function procRule(detection: string): string {
  return `title: t\nid: 11111111-1111-1111-1111-111111111111\nlogsource:\n  product: windows\n  category: process_creation\ndetection:\n${detection}\n`;
}

export function sysmon1(data: Record<string, unknown>, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    System: {
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
      EventID: 1,
      EventRecordID: 1,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'host1',
      TimeCreated: { '#attributes': { SystemTime: '2026-01-01T00:00:00.000000Z' } },
      ...extra,
    },
    EventData: data,
  };
}

/** Whether the rule fires on the event, through the compiled matcher (not a separate evaluator). */
export function fires(r: Rule, event: Record<string, unknown>): boolean {
  const m = new Matcher([r]);
  if (m.skipped.length) throw new Error(`rule skipped: ${m.skipped[0].reason}: ${m.skipped[0].message}`);
  return m.match(flattenEvent({ file: 'e.json', event })).length > 0;
}

export function firesOnImageCmd(detection: string, data: Record<string, unknown>): boolean {
  return fires(rule(procRule(detection)), sysmon1(data));
}
