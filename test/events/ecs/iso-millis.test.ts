/** isoMillis: event times to Elasticsearch dates in milliseconds (a fast path and the regex agree). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoMillis } from '../../../src/events/ecs/winlog.js';

// The definition: the pattern the pipelines' date processor accepts here, kept as the reference.
function reference(t: string | undefined): string | undefined {
  if (!t) return undefined;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?Z?$/.exec(t.trim());
  if (!m) return undefined;
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}Z`;
}

test('isoMillis gives the reference result on usual and odd shapes', () => {
  const cases = [
    '2019-07-18T03:34:02.025223900Z', '2019-04-27 15:57:25.868', '2019-04-27 15:57:25', '2019-04-27T15:57:25Z', '2019-04-27T15:57:25.1Z',
    '2019-04-27T15:57:25.12', ' 2019-04-27T15:57:25.5Z ', '2019-04-27T15:57:25.Z', '2019-04-27T15:57:25.', '2019-04-27X15:57:25', '2019-4-27T15:57:25',
    '2019-04-27T15:57:25.12a', '2019-04-27T15:57:25ZZ', '２019-04-27T15:57:25', '2019-04-27T15:57:2', '', 'Z', '2019-04-27T15:57:25.000000000000Z',
  ];
  for (const c of cases) assert.equal(isoMillis(c), reference(c), JSON.stringify(c));
  assert.equal(isoMillis('2019-07-18T03:34:02.025223900Z'), '2019-07-18T03:34:02.025Z');
  assert.equal(isoMillis(undefined), undefined);
});
