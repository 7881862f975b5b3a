import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkAllowed } from '../../src/mcp/allowed-paths.js';
import { testTempDir } from '../helpers/temp-dir.js';

test('paths are allowed only under the --allow folders, links and .. resolved first', (t) => {
  const root = testTempDir(t, 'detectory-allow-');
  const inside = join(root, 'cases');
  const outside = join(root, 'secret');
  mkdirSync(inside);
  mkdirSync(outside);
  writeFileSync(join(inside, 'a.evtx'), '');
  writeFileSync(join(outside, 'b.evtx'), '');
  writeFileSync(join(root, 'cases..evtx'), '');
  symlinkSync(join(outside, 'b.evtx'), join(inside, 'link.evtx'));
  assert.match(checkAllowed(join(inside, 'a.evtx'), [inside]), /a\.evtx$/);
  assert.ok(checkAllowed(inside, [inside]));
  assert.throws(() => checkAllowed(join(outside, 'b.evtx'), [inside]), /refused: outside the allowed folders/);
  assert.throws(() => checkAllowed(join(inside, '..', 'secret', 'b.evtx'), [inside]), /refused/);
  assert.throws(() => checkAllowed(join(inside, 'link.evtx'), [inside]), /refused/);
  assert.throws(() => checkAllowed(join(root, 'cases..evtx'), [inside]), /refused/);
  assert.throws(() => checkAllowed(join(inside, 'a.evtx'), []), /allows no file paths/);
  assert.throws(() => checkAllowed(join(inside, 'missing.evtx'), [inside]), /does not exist/);
});
