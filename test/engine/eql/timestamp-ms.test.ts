/** timestampMs: the ISO shape toEcs writes is read without Date.parse, with Date.parse's answers. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isoMs, timestampMs } from '../../../src/engine/eql/ecs-source.js';

test('isoMs: the same milliseconds as Date.parse, on the usual shape and every edge the fast reading leaves to it', () => {
  const texts = [
    '2019-07-18T03:34:02.025Z', '1970-01-01T00:00:00.000Z', '2000-02-28T23:59:59.999Z', '2019-02-29T00:00:00.000Z', '2019-02-30T00:00:00.000Z',
    '2020-02-29T12:00:00.000Z', '2019-12-31T23:59:59.999Z', '2019-13-01T00:00:00.000Z', '2019-00-10T00:00:00.000Z', '2019-01-00T00:00:00.000Z',
    '2019-01-32T00:00:00.000Z', '2019-01-10T24:00:00.000Z', '2019-01-10T23:60:00.000Z', '2019-01-10T23:00:60.000Z', '0099-01-01T00:00:00.000Z',
    '0999-06-15T10:20:30.400Z', '9999-12-31T23:59:59.999Z', '2019-07-18T03:34:02.025', '2019-07-18 03:34:02.025Z', '2019-07-18T03:34:02.02aZ',
    '2019-07-18T03:34:02Z', '2019-07-18T03:34:02.0250Z', 'not a date at all, 24 ch', '', '2019-07-18T03:34:02.025+01:00', '+02019-07-18T03:34:02.02Z',
  ];
  for (const t of texts) assert.ok(Object.is(isoMs(t), Date.parse(t)), `${t}: ${isoMs(t)} vs ${Date.parse(t)}`);
  // Every day of a few years, at odd times.
  for (let ms = Date.UTC(1999, 0, 1, 1, 2, 3, 4); ms < Date.UTC(2002, 0, 1); ms += 86_400_000 + 3_661_001) {
    const t = new Date(ms).toISOString();
    assert.equal(isoMs(t), ms, t);
  }
  assert.equal(timestampMs({ '@timestamp': '2019-07-18T03:34:02.025Z' }), Date.parse('2019-07-18T03:34:02.025Z'));
  assert.equal(timestampMs({ '@timestamp': 5 }), 5);
  assert.ok(Number.isNaN(timestampMs({})));
});
