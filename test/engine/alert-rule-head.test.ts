/**
 * A rule's alerts share one `rule` object (alertRuleHead): the JSON writer then writes it once and
 * reuses its text. The objects must still be what each alert had before: the same keys, in order,
 * with the same values (an Elastic alert keeps its `type` key even when the rule has no type).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alertRuleHead, type Alert } from '../../src/engine/alert.js';
import { alertJson } from '../../src/cli/output/alert-json.js';
import { scan } from '../../src/engine/scan.js';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

test('alertRuleHead: one object per rule and source, with the keys each alert had', () => {
  const rule = { id: 'r-1', title: 'A rule', level: 'high' };
  const sigma = alertRuleHead(rule, 'sigma');
  assert.equal(alertRuleHead(rule, 'sigma'), sigma);
  assert.deepEqual(Object.entries(sigma), [['id', 'r-1'], ['title', 'A rule'], ['level', 'high'], ['source', 'sigma']]);
  const elastic = alertRuleHead(rule, 'elastic', true);
  assert.notEqual(elastic, sigma);
  // The key is there with the rule's type, undefined here (JSON leaves it out, deepEqual does not).
  assert.deepEqual(Object.keys(elastic), ['id', 'title', 'level', 'source', 'type']);
  assert.equal(JSON.stringify(elastic), '{"id":"r-1","title":"A rule","level":"high","source":"elastic"}');
  const typedRule = { id: 'r-2', title: 'Typed', type: 'eql' };
  const typed = alertRuleHead(typedRule, 'elastic', true);
  assert.deepEqual(typed, { id: 'r-2', title: 'Typed', level: 'medium', source: 'elastic', type: 'eql' });
  // A type given: its own head, with that type.
  assert.deepEqual(alertRuleHead(typedRule, 'sigma', true, 'correlation'), { id: 'r-2', title: 'Typed', level: 'medium', source: 'sigma', type: 'correlation' });
  assert.equal(alertRuleHead(typedRule, 'elastic', true), typed);
  // Another rule object (a rule read again) gets its own head.
  assert.notEqual(alertRuleHead({ ...rule }, 'sigma'), sigma);
});

test('scan: the alerts of one Sigma rule (a correlation too) share their rule object, and their JSON is what a fresh object gives', async () => {
  // The bundled events twice (two files): every rule that fires fires twice.
  const dir = mkdtempSync(join(tmpdir(), 'detectory-head-'));
  const alerts: Alert[] = [];
  try {
    for (const name of ['a.jsonl', 'b.jsonl']) copyFileSync('examples/events/workstation.jsonl', join(dir, name));
    await scan({ rulePaths: ['examples/rules'], eventPaths: [dir], threads: 1, onAlert: (a) => alerts.push(a), onProblem: () => undefined });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const byRule = new Map<string, Alert[]>();
  for (const a of alerts) byRule.set(a.rule.id, [...(byRule.get(a.rule.id) ?? []), a]);
  const repeated = [...byRule.values()].filter((l) => l.length > 1);
  assert.ok(repeated.length > 0, `a rule with two alerts among ${alerts.length}`);
  for (const list of repeated) for (const a of list) assert.equal(a.rule, list[0].rule);
  assert.ok(alerts.some((a) => a.correlation), 'a correlation alert among them');
  for (const a of alerts) {
    const want = a.correlation ? { id: a.rule.id, title: a.rule.title, level: a.rule.level, source: 'sigma', type: 'correlation' } : { id: a.rule.id, title: a.rule.title, level: a.rule.level, source: 'sigma' };
    assert.deepEqual(a.rule, want);
    assert.equal(alertJson(a), JSON.stringify({ ...a, rule: { ...a.rule } }));
  }
});
