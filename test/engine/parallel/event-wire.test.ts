/**
 * The events a decoding thread sends (event-wire.ts) are rebuilt on the matching thread into what a
 * one-thread scan flattens: every field (derived ones too), in key order, the routing values and the
 * record's identity, through a structured clone as postMessage makes it.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readEventFile } from '../../../src/events/read.js';
import { flattenEvent, type FlatEvent, type FlatFields } from '../../../src/events/normalize.js';
import type { EventRecord } from '../../../src/events/types.js';
import { setValuesOnly } from '../../../src/events/evtx/record-plan.js';
import { MAX_WIRE_LAYOUTS, META, SAME_CHANNEL, SAME_COMPUTER, WireDecoder, WireEncoder } from '../../../src/engine/parallel/event-wire.js';
import { EXAMPLES } from '../../helpers/cli.js';
import { requireShared } from '../../helpers/shared.js';

async function records(file: string, recover: boolean): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for await (const b of readEventFile(file, () => undefined, undefined, recover, true, 4)) out.push(...b);
  return out;
}

/** What a scan reads of an event: the map (own keys and values), its key order, routing and identity. */
function seen(ev: FlatEvent): unknown {
  const r = ev.record;
  return {
    fields: Object.entries(ev.fields), keys: [...ev.keys], channel: ev.channel, eventId: ev.eventId, computer: ev.computer,
    dataKeys: r.flat?.dataKeys, file: r.file, recordId: r.recordId, timestamp: r.timestamp, recovered: r.recovered, partial: r.partial,
  };
}

const flat = (r: EventRecord): FlatFields => r.flat ?? flattenEvent(r);

test('EVTX and JSON events sent in batches come back as a one-thread scan flattens them', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const dir = join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES');
  const files = [
    join(dir, 'Command and Control', 'DE_RDP_Tunnel_5156.evtx'),
    join(dir, 'Credential Access', 'tutto_malseclogon.evtx'),
    join(dir, 'Lateral Movement', 'LM_ScheduledTask_ATSVC_target_host.evtx'),
    join(dir, 'Privilege Escalation', 'security_4624_4673_token_manip.evtx'),
    join(dir, 'Privilege Escalation', 'Sysmon_UACME_64.evtx'),
    join(EXAMPLES, 'events', 'workstation.jsonl'),
  ];
  let events = 0;
  let sentAsValues = 0;
  let repeats = 0;
  let sameRouting = 0;
  let derived = 0;
  let recovered = 0;
  for (const file of files) {
    for (const recover of [false, true]) {
      const expected = (await records(file, recover)).map((r) => seen(flattenEvent(r)));
      setValuesOnly(true);
      let sent: EventRecord[];
      try {
        sent = await records(file, recover);
      } finally {
        setValuesOnly(false);
      }
      sentAsValues += sent.filter((r) => r.flat?.values).length;
      const enc = new WireEncoder();
      const dec = new WireDecoder();
      const got: unknown[] = [];
      for (let i = 0; i < sent.length; i += 100) {
        const batch = structuredClone(enc.batch(7, sent.slice(i, i + 100), flat, []));
        const same = batch.same.reduce((a, x) => a + x, 0);
        repeats += same;
        // Exactly what does not repeat is sent (checked where every key list is numbered): per event its
        // timestamp, its channel and computer unless they are the previous event's; the values not marked in `same`.
        let expectedValues = batch.same.length - same;
        for (let e = 0; e < batch.n; e++) {
          const flags = batch.meta[e * META + 4];
          expectedValues += 1 + (flags & SAME_CHANNEL ? 0 : 1) + (flags & SAME_COMPUTER ? 0 : 1);
          sameRouting += (flags & SAME_CHANNEL ? 1 : 0) + (flags & SAME_COMPUTER ? 1 : 0);
        }
        if (batch.meta.every((_, j) => j % META !== 0 || batch.meta[j] >= 0)) assert.equal(batch.values.length, expectedValues, `${file} batch at ${i}`);
        for (const r of dec.records(file, batch)) got.push(seen(flattenEvent(r)));
      }
      assert.equal(got.length, expected.length, file);
      for (let i = 0; i < got.length; i++) assert.deepEqual(got[i], expected[i], `${file} event ${i}`);
      events += got.length;
      derived += expected.filter((e) => (e as { fields: Array<[string, unknown]> }).fields.some(([k]) => k === '__User')).length;
      recovered += expected.filter((e) => (e as { recovered?: true }).recovered).length;
    }
  }
  // Every path was taken: values lists, repeated values, derived 4688 fields, carved records, JSON events.
  assert.ok(events > 1000, `${events} events`);
  assert.ok(sentAsValues > 500, `${sentAsValues} records sent as value lists`);
  assert.ok(repeats > 1000, `${repeats} values sent as repeats`);
  assert.ok(sameRouting > 1000, `${sameRouting} channels and computers sent as repeats`);
  assert.ok(derived > 0, `${derived} events with derived fields`);
  assert.ok(recovered > 0, `${recovered} recovered records`);
});

test('past MAX_WIRE_LAYOUTS key lists, the keys go with each event; repeats, lists and nulls are kept apart', () => {
  const rec = (i: number, keys: string[], values: Array<string | string[] | null>): EventRecord => {
    const fields = Object.create(null) as Record<string, string | string[] | null>;
    keys.forEach((k, j) => (fields[k] = values[j]));
    return { file: 'f', recordId: i, timestamp: `t${i}`, event: {}, flat: { fields, keys, channel: 'c', eventId: i, computer: i % 2 ? null : 'pc' } };
  };
  const shared = ['A', 'B', 'C'];
  const input: EventRecord[] = [];
  for (let i = 0; i < MAX_WIRE_LAYOUTS + 50; i++) input.push(rec(i, [`k${i}`], [`v${i}`]));
  input.push(rec(1, shared, ['x', ['l1', 'l2'], null]));
  input.push(rec(2, shared, ['x', ['l1', 'l2'], 'y']));
  input.push(rec(3, shared, ['z', null, 'y']));
  const enc = new WireEncoder();
  const dec = new WireDecoder();
  const out: EventRecord[] = [];
  for (let i = 0; i < input.length; i += 1000) out.push(...dec.records('f', structuredClone(enc.batch(0, input.slice(i, i + 1000), flat, []))));
  assert.equal(out.length, input.length);
  out.forEach((r, i) => {
    const a = flattenEvent(input[i]);
    const b = flattenEvent(r);
    assert.deepEqual([Object.entries(b.fields), b.keys, b.eventId, b.computer, r.recordId, r.timestamp], [Object.entries(a.fields), [...a.keys], a.eventId, a.computer, input[i].recordId, input[i].timestamp], `event ${i}`);
  });
});
