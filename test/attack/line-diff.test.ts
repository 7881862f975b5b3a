import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineDiff } from '../../src/attack/line-diff.js';

const side = (d: ReturnType<typeof lineDiff>, keep: 'del' | 'add'): string => d!.filter((l) => l.op === 'same' || l.op === keep).map((l) => l.text).join('\n');

test('a line diff marks the changed lines and rebuilds both sides', () => {
  const a = '[\n  {\n    "channel": "EventCode=4103"\n  },\n  {\n    "channel": "EventCode=7"\n  }\n]';
  const b = '[\n  {\n    "channel": "EventCode=4103, 4104"\n  },\n  {\n    "channel": "EventCode=7"\n  },\n  {\n    "channel": "EventCode=10"\n  }\n]';
  const d = lineDiff(a, b)!;
  assert.deepEqual(d.filter((l) => l.op === 'del').map((l) => l.text), ['    "channel": "EventCode=4103"']);
  const added = d.filter((l) => l.op === 'add').map((l) => l.text.trim());
  assert.ok(added.includes('"channel": "EventCode=4103, 4104"') && added.includes('"channel": "EventCode=10"'), added.join('|'));
  assert.equal(d.filter((l) => l.op === 'same').length, a.split('\n').length - 1, 'every unchanged line is kept as such');
  assert.equal(side(d, 'del'), a);
  assert.equal(side(d, 'add'), b);
  assert.deepEqual(lineDiff('', 'x'), [{ op: 'add', text: 'x' }]);
  assert.equal(lineDiff('a\n'.repeat(3000), 'b'), undefined);
});
