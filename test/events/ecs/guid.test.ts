/**
 * guidForm against the regex form it replaces (the pattern, tried on texts of 36 and 38 characters:
 * a 37-character text with one brace was never rewritten), on GUID-like texts of every near miss.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { guidForm } from '../../../src/events/ecs/guid.js';

const GUID = /^\{?([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\}?$/i;
const reference = (s: string): string => {
  const m = s.length === 36 || s.length === 38 ? GUID.exec(s) : null;
  return m ? `{${m[1].toLowerCase()}}` : s;
};

test('guidForm: GUID-shaped values in "{lower-case}" form, every other value as it is', () => {
  const base = '365ABB72-7c01-5CC4-0000-00102B3E0C0f';
  const cases = new Set<string>([base, `{${base}}`, base.toLowerCase(), `{${base.toLowerCase()}}`, `{${base}`, `${base}}`, `(${base})`, '', 'x', `{${base}}x`]);
  // Every position replaced by a character of each kind (digit, upper and lower hex, non-hex, dash, brace).
  for (const s of [base, `{${base}}`]) {
    for (let i = 0; i < s.length; i++) for (const c of ['0', 'A', 'f', 'g', 'G', '-', '{', '}', ' ']) cases.add(s.slice(0, i) + c + s.slice(i + 1));
  }
  for (const s of cases) assert.equal(guidForm(s), reference(s), JSON.stringify(s));
  assert.equal(guidForm(base), '{365abb72-7c01-5cc4-0000-00102b3e0c0f}');
  const lower = '{365abb72-7c01-5cc4-0000-00102b3e0c0f}';
  assert.equal(guidForm(lower), lower);
});
