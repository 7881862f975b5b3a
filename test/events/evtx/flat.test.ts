/**
 * The scan's fast path (records decoded straight into their fields, flat.ts) against the reference
 * path (rendered to evtx_dump's shape, then flattened): same fields, same key order, same routing
 * values, record ids, timestamps and lazily rendered `event`, for every record of the shared
 * samples and for hand-built trees of the shapes where rendering renames or reorders keys.
 */

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { readEvtxRecordLists } from '../../../src/events/evtx/index.js';
import { flatRecord } from '../../../src/events/evtx/flat.js';
import type { XAttr, XElement, XInstance, XNode, XSubst } from '../../../src/events/evtx/nodes.js';
import { MAX_ELEMENTS_PER_RECORD, renderRecord } from '../../../src/events/evtx/render.js';
import { T_BINXML, T_FILETIME } from '../../../src/events/evtx/values.js';
import { planStats } from '../../../src/events/evtx/record-plan.js';
import { type FlatEvent, flattenEvent } from '../../../src/events/normalize.js';
import type { EventRecord } from '../../../src/events/types.js';
import { walkFiles } from '../../../src/util/walk-files.js';
import { requireShared } from '../../helpers/shared.js';

async function read(file: string, flat: boolean): Promise<EventRecord[]> {
  const out: EventRecord[] = [];
  for await (const list of readEvtxRecordLists(file, () => undefined, { recover: true, flat })) out.push(...list);
  return out;
}

function view(f: FlatEvent): unknown {
  return { fields: { ...f.fields }, keys: f.keys, channel: f.channel, eventId: f.eventId, computer: f.computer };
}

test('every record of the shared samples: the fast path gives the fields, order and record values of rendering + flattening', async (t) => {
  const shared = requireShared(t, 'the EVTX samples');
  if (!shared) return;
  const files = [join(shared, 'evtx'), join(shared, 'conformance')].flatMap((d) => walkFiles(d, (n) => n.toLowerCase().endsWith('.evtx'), () => undefined));
  assert.ok(files.length > 100, `EVTX samples found (${files.length})`);
  let records = 0;
  let fast = 0;
  const planned = planStats.applied;
  for (const file of files) {
    const slow = await read(file, false);
    const quick = await read(file, true);
    assert.equal(quick.length, slow.length, file);
    for (let i = 0; i < slow.length; i++) {
      const a = slow[i];
      const b = quick[i];
      records++;
      if (b.flat) fast++;
      assert.equal(a.flat, undefined, 'the reference path does not flatten');
      const where = `${file} ${a.where}`;
      assert.deepEqual(view(flattenEvent(b)), view(flattenEvent(a)), where);
      assert.deepEqual([b.recordId, b.timestamp, b.where, b.recovered, b.partial], [a.recordId, a.timestamp, a.where, a.recovered, a.partial], where);
      assert.deepEqual(b.event, a.event, where);
    }
  }
  // Live records all take the fast path; records decoded in part (lenient) are rendered.
  assert.ok(records > 10_000 && fast > records / 2, `${fast} of ${records} records on the fast path`);
  // Most of them by a record plan (record-plan.ts): the comparison above covers plans.
  const byPlan = planStats.applied - planned;
  assert.ok(byPlan > fast / 2, `${byPlan} of ${fast} fast records decoded by a plan`);
});

// Hand-built trees: an instance of a template whose values are `vals` (all strings unless typed).
const el = (name: string, children: XNode[] = [], attrs: XAttr[] | null = null): XElement => ({ k: 0, name, attrs, children });
const attr = (name: string, ...parts: XAttr['parts']): XAttr => ({ name, parts });
const sub = (index: number): XSubst => ({ k: 1, index, type: 1, optional: false });
const inst = (nodes: XNode[], vals: unknown[], types?: number[]): XInstance => ({ k: 2, nodes, vals, types: types ?? vals.map(() => 1), offs: vals.map(() => 0) });
const system = (extra: XNode[] = []): XElement => el('System', [
  el('Provider', [], [attr('Name', 'P'), attr('Guid', '{X}')]),
  el('EventID', ['4688']),
  el('Channel', ['Security']),
  el('Computer', ['host']),
  el('EventRecordID', [sub(0)]),
  el('Security', [], [attr('UserID', sub(1))]),
  ...extra,
]);

function compare(name: string, nodes: XNode[], expectFast: boolean): void {
  const buf = new Uint8Array(16);
  const ref = renderRecord(nodes, { buf });
  const ev = ref.Event && typeof ref.Event === 'object' && !Array.isArray(ref.Event) ? (ref.Event as Record<string, unknown>) : ref;
  const slow = flattenEvent({ file: 'x', event: ev });
  const got = flatRecord(nodes, { buf });
  assert.equal(got !== undefined, expectFast, `${name}: fast path ${expectFast ? 'taken' : 'left to rendering'}`);
  if (got) assert.deepEqual(view({ ...got.flat, record: { file: 'x', event: {} } }), view(slow), name);
}

test('hand-built shapes: plain ones take the fast path with the same result; renamed or reordered keys are left to rendering', () => {
  const vals = [42, null];
  const types = [8, 0];
  const doc = (data: XNode[], extraSystem: XNode[] = []): XNode[] => [inst([el('Event', [system(extraSystem), ...data], [attr('xmlns', 'ns')])], vals, types)];
  const data = (...kids: XNode[]): XElement => el('EventData', kids);
  const named = (n: string, ...content: XNode[]): XElement => el('Data', content, [attr('Name', n)]);
  // Fast: named and unnamed Data, empty values, text beside elements, nested UserData, a value with spaces in its name.
  compare('named data', doc([data(named('CommandLine', 'a b '), named('Empty'), el('Data', ['u1']), el('Data', ['u2']), 'text', el('Binary', ['00']))]), true);
  compare('text only EventData', doc([el('EventData', ['just text'])]), true);
  compare('text only UserData', doc([el('UserData', ['ignored'])]), true);
  compare('nested UserData', doc([el('UserData', [el('LogFileCleared', [el('SubjectUserName', ['bob']), el('Channel', ['Application']), el('Source Name', ['s']), el('Empty')], [attr('xmlns', 'u')])])]), true);
  compare('attributes inside data', doc([data(el('Param', ['v'], [attr('a', 'b')]), el('Obj', [el('Inner', ['i'])], [attr('a', 'b')]), el('OnlyAttr', [], [attr('a', 'b')]))]), true);
  compare('deep nesting', doc([el('UserData', [[...Array(10).keys()].reduce<XElement>((acc, i) => el(`L${i}`, [acc, el(`V${i}`, ['x'])]), el('Leaf', ['deep']))])]), true);
  compare('several texts concatenated', doc([data(named('N', 'a', sub(0), 'b'))]), true);
  compare('BinXml value spliced', [inst([el('Event', [system(), data(named('B', sub(2)))])], [42, null, [el('Inner', ['x'])]], [8, 0, T_BINXML])], true);
  // Left to rendering: repeated names, array-index and prototype names, "#" names, text in System, two timestamps.
  compare('repeated data name', doc([data(named('A', 'x'), named('A', 'y'))]), false);
  compare('named Data called Data beside unnamed', doc([data(named('Data', 'x'), el('Data', ['y']))]), false);
  compare('array index name', doc([data(named('1', 'x'), named('B', 'y'))]), false);
  compare('prototype name', doc([data(named('constructor', 'x'))]), false);
  compare('hash name', doc([data(named('#text', 'x'))]), false);
  compare('repeated System child', doc([], [el('Channel', ['Other'])]), false);
  compare('repeated attribute', doc([], [el('Execution', [], [attr('ProcessID', '1'), attr('ProcessID', '2')])]), false);
  compare('two EventData', doc([data(named('A', 'x')), data(named('B', 'y'))]), false);
  compare('no System', [inst([el('Event', [data(named('A', 'x'))])], vals, types)], false);
  compare('not an Event', [inst([el('Other', [system()])], vals, types)], false);
});

test('a record over the element limit is left to rendering, which reports it', () => {
  const many = Array.from({ length: MAX_ELEMENTS_PER_RECORD + 1 }, (_, i) => el(`X${i}`));
  const nodes: XNode[] = [el('Event', [system(), el('EventData', many)])];
  assert.equal(flatRecord(nodes, { buf: new Uint8Array(0) }), undefined);
  assert.throws(() => renderRecord(nodes, { buf: new Uint8Array(0) }), /more than/);
});

test('record plans: records of one template with other values, types and nested templates give what rendering gives', () => {
  // One FILETIME per record in the buffer: TimeCreated/@SystemTime is read from it (full precision).
  const buf = new Uint8Array(64);
  const view64 = new DataView(buf.buffer);
  view64.setBigUint64(0, 133_000_000_000_000_001n, true);
  view64.setBigUint64(8, 133_000_000_000_000_002n, true);
  const named = (n: string, ...content: XNode[]): XElement => el('Data', content, [attr('Name', n)]);
  const sys = el('System', [
    el('Provider', [], [attr('Name', 'P')]),
    el('EventID', [sub(0)]),
    el('TimeCreated', [], [attr('SystemTime', sub(1))]),
    el('EventRecordID', [sub(2)]),
    el('Channel', ['Security']),
    el('Computer', [sub(3)]),
    el('Security', [], [attr('UserID', sub(5))]),
  ]);
  // The outer template: System, then EventData as a BinXml value (value 4) holding another template's instance.
  const outer: XNode[] = [el('Event', [sys, sub(4)])];
  const dataA: XNode[] = [el('EventData', [named('Image', sub(0)), named('Command Line', sub(1)), named('Empty', sub(2))])];
  const dataB: XNode[] = [el('EventData', [named('TargetFilename', sub(0)), named('Mixed', 'pre-', sub(1))])];
  const dataJoined: XNode[] = [el('EventData', [named('Joined', sub(0), sub(1))])];
  const dataNamedBy: XNode[] = [el('EventData', [el('Data', [sub(1)], [attr('Name', sub(0))])])];
  const record = (eventId: number, timeOff: number, rid: number | string, computer: string, data: XInstance, user: string | null = 'S-1-5-18'): XNode[] => [{
    k: 2, nodes: outer, vals: [eventId, `t${timeOff}`, rid, computer, [data], user], types: [6, T_FILETIME, typeof rid === 'number' ? 10 : 1, 1, T_BINXML, 0x13], offs: [0, timeOff, 0, 0, 0, 0],
  }];
  const data = (nodes: XNode[], vals: unknown[], types?: number[]): XInstance => ({ k: 2, nodes, vals, types: types ?? vals.map(() => 1), offs: vals.map(() => 0) });
  const check = (name: string, nodes: XNode[]): void => {
    const stRef = { buf } as { buf: Uint8Array; systemTime?: string };
    const ref = renderRecord(nodes, stRef);
    const slow = flattenEvent({ file: 'x', event: ref.Event as Record<string, unknown> });
    const st = { buf } as { buf: Uint8Array; systemTime?: string };
    const got = flatRecord(nodes, st);
    assert.ok(got, `${name}: fast path`);
    assert.deepEqual(view({ ...got.flat, record: { file: 'x', event: {} } }), view(slow), name);
    assert.equal(st.systemTime, stRef.systemTime, `${name}: timestamp`);
    const rid = ((ref.Event as Record<string, Record<string, unknown>>).System).EventRecordID;
    assert.equal(got.recordId, typeof rid === 'number' ? rid : undefined, `${name}: record id`);
  };
  const before = { ...planStats };
  check('A first (learnt)', record(1, 0, 100, 'h1', data(dataA, ['a.exe', 'a b', 'x'])));
  check('A again (applied)', record(1, 8, 101, 'h2', data(dataA, ['b.exe', 'c d ', ''])));
  check('A with a null value (another shape)', record(1, 0, 102, 'h3', data(dataA, ['c.exe', null, 'y'], [1, 0, 1])));
  check('A with a null value again', record(1, 8, 103, 'h4', data(dataA, ['d.exe', null, 'z'], [1, 0, 1])));
  check('B under the same outer template', record(11, 0, 104, 'h5', data(dataB, ['f.txt', 'x'])));
  check('B again', record(11, 8, 105, 'h6', data(dataB, ['g.txt', 'y'])));
  check('A after B', record(1, 8, 106, 'h7', data(dataA, ['e.exe', 'q', 'r'])));
  check('record id as text (not a number)', record(1, 0, '107', 'h8', data(dataA, ['e.exe', 'q', 'r'])));
  check('record id as text again', record(1, 8, '108', 'h9', data(dataA, ['f.exe', 's', 't'])));
  // A typed value that decoded to nothing drops its attribute (Security/@UserID): another shape.
  check('no user', record(1, 0, 109, 'h10', data(dataA, ['g.exe', 'u', 'v']), null));
  check('user again', record(1, 8, 110, 'h11', data(dataA, ['h.exe', 'w', 'x'])));
  check('no user again', record(1, 0, 111, 'h12', data(dataA, ['i.exe', 'y', 'z']), null));
  assert.ok(planStats.applied - before.applied >= 4, `plans applied: ${planStats.applied - before.applied}`);
  // A value joined from two values, a name taken from a value: never planned, every record walked.
  const refused = planStats.refused;
  for (let i = 0; i < 3; i++) {
    check(`joined ${i}`, record(2, 0, 200 + i, 'h', data(dataJoined, [`j${i}`, `k${i}`])));
    check(`name from a value ${i}`, record(3, 8, 300 + i, 'h', data(dataNamedBy, [`Name${i}`, `v${i}`])));
  }
  assert.equal(planStats.refused - refused, 2, 'the two templates are noted as not planned');
});
