import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ruleExtra } from '../../../src/formats/elastic/rule-extra.js';

test('ruleExtra keeps license, setup, timeline, overrides, mappings, exception lists and metadata notes', () => {
  const extra = ruleExtra(
    { min_stack_version: '8.14.0', min_stack_comments: 'why 8.14', deprecation_date: '2025/01/01', deprecated_reason: 'replaced', promotion: true, bypass_bbr_timing: false },
    {
      license: 'Elastic License v2', setup: '## Setup\ntext', enabled: false, timeline_id: 'tid', timeline_title: 'T',
      rule_name_override: 'a.b', event_category_override: 'event.type',
      severity_mapping: [{ field: 'f', operator: 'equals', value: 'v', severity: 'high' }, 'not a table'],
      risk_score_mapping: [{ field: 'r', operator: 'equals', value: '' }],
      exceptions_list: [{ id: 'endpoint_list', list_id: 'endpoint_list', namespace_type: 'agnostic', type: 'endpoint' }],
    },
  );
  assert.equal(extra.license, 'Elastic License v2');
  assert.equal(extra.setup, '## Setup\ntext');
  assert.equal(extra.enabled, false);
  assert.deepEqual(extra.timeline, { id: 'tid', title: 'T' });
  assert.equal(extra.rule_name_override, 'a.b');
  assert.equal(extra.event_category_override, 'event.type');
  assert.deepEqual(extra.severity_mapping, [{ field: 'f', operator: 'equals', value: 'v', severity: 'high' }]);
  assert.deepEqual(extra.risk_score_mapping, [{ field: 'r', operator: 'equals', value: '' }]);
  assert.deepEqual(extra.exceptions_list, [{ id: 'endpoint_list', list_id: 'endpoint_list', namespace_type: 'agnostic', type: 'endpoint' }]);
  assert.equal(extra.min_stack_comments, 'why 8.14');
  assert.equal(extra.deprecated_reason, 'replaced');
  assert.equal(extra.promotion, true);
  assert.equal(extra.bypass_bbr_timing, false);
});

test('ruleExtra leaves out settings a rule does not have and odd values', () => {
  const extra = ruleExtra({ promotion: 'yes' }, { license: 42n, enabled: 'true', severity_mapping: 'x' });
  for (const k of ['timeline', 'setup', 'enabled', 'severity_mapping', 'promotion', 'rule_name_override', 'exceptions_list']) assert.ok(!(k in extra), k);
});
