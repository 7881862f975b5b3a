import assert from 'node:assert/strict';
import { test } from 'node:test';
import { navigatorLayer } from '../../src/catalog/navigator-layer.js';
import type { CoverageMatrix } from '../../src/catalog/coverage.js';
import { validateLayer45 } from './layer-validator.js';

const matrix: CoverageMatrix = {
  release: '18.1', filters: { platform: 'windows' }, rules: 5, unmatched: [], options: { vendors: [], platforms: [], logsources: [] },
  tactics: [{ id: 'TA0005', shortname: 'stealth', name: 'Stealth', techniques: [
    { id: 'T1216', name: 'System Script Proxy Execution', rules: 4, subtechniques: [{ id: 'T1216.001', name: 'PubPrn', rules: 1 }, { id: 'T1216.002', name: 'X', rules: 0 }] },
    { id: 'T1218', name: 'Proxy', rules: 0, subtechniques: [] },
  ] }],
};

test('the layer written for a matrix validates as format 4.5 and scores what the matrix counts', () => {
  const l = navigatorLayer(matrix);
  assert.deepEqual(validateLayer45(l), []);
  assert.deepEqual(l.techniques.map((t) => [t.techniqueID, t.score]), [['T1216', 4], ['T1216.001', 1]]);
  assert.deepEqual(l.filters.platforms, ['Windows']);
});

test('the validator rejects layers that break the format', () => {
  const good = navigatorLayer(matrix) as unknown as Record<string, unknown>;
  const broken = (patch: Record<string, unknown>): string[] => validateLayer45({ ...good, ...patch });
  assert.ok(broken({ versions: { layer: '4.4' } }).length > 0);
  assert.ok(broken({ name: 3 }).length > 0);
  assert.ok(broken({ domain: 'nope' }).length > 0);
  assert.ok(broken({ techniques: [{ techniqueID: 'X1', score: 'a' }] }).length >= 2);
  assert.ok(broken({ gradient: { colors: ['red'], minValue: 5, maxValue: 1 } }).length >= 2);
  assert.ok(broken({ layout: { layout: 'round' } }).length > 0);
  assert.ok(validateLayer45([]).length > 0);
});
