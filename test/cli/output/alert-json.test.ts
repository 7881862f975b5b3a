/** The alert JSON line written with the rule's part cached: byte for byte JSON.stringify's text. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { alertJson } from '../../../src/cli/output/alert-json.js';
import type { Alert } from '../../../src/engine/alert.js';

const rule: Alert['rule'] = { id: 'r-1', title: 'Quote " back\\slash \u2028 é 😀', level: 'high', source: 'sigma' };
const techniques = ['T1059', 'T1059.001'];

function alert(n: number, extra: Partial<Alert> = {}): Alert {
  return {
    rule,
    event: { file: `C:\\logs\\a "${n}".evtx`, record_id: n, timestamp: n % 2 ? null : '2024-01-01 00:00:00.000', computer: 'host-\u0001', channel: 'Security', event_id: 4688 },
    techniques,
    matched: { CommandLine: `cmd /c echo ${n} \ud800`, Image: null, Hashes: ['a', 'b'] },
    ...extra,
  };
}

test('alerts sharing one rule object and techniques array: each line equals JSON.stringify', () => {
  for (let n = 0; n < 5; n++) assert.equal(alertJson(alert(n)), JSON.stringify(alert(n)));
});

test('optional parts (correlation, events, recovered) and a fresh rule object per alert', () => {
  const a = alert(7, {
    rule: { ...rule, type: 'correlation' },
    correlation: { type: 'event_count', group: { User: 'x' }, count: 3, first: null, last: '2024', rules: ['a'] },
    events: [{ file: 'f', record_id: null, timestamp: null, computer: null, channel: null, event_id: null, recovered: true }],
  });
  assert.equal(alertJson(a), JSON.stringify(a));
});

test('keys in their insertion order, undefined values left out, unknown keys quoted', () => {
  const a = { matched: {}, techniques: [], rule: { id: 'x', title: 't', level: 'low', source: 'sigma', type: undefined }, event: alert(1).event, threshold: undefined, 'we"ird': 1 } as unknown as Alert;
  assert.equal(alertJson(a), JSON.stringify(a));
  assert.equal(alertJson({} as Alert), '{}');
});

test('consecutive alerts sharing one matched object, then another, then the first again', () => {
  const m1 = { CommandLine: 'a "b"' };
  const m2 = { CommandLine: 'c' };
  for (const m of [m1, m1, m2, m1, m2, m2]) {
    const a = alert(3, { matched: m });
    assert.equal(alertJson(a), JSON.stringify(a));
  }
});
