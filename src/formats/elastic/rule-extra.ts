import { plain, str, strs, table, tables } from './toml.js';
import type { Table } from './toml.js';

/**
 * The Elastic-specific settings kept in rule.extra (names are snake_case, as in the TOML):
 * index, risk_score, from, interval, max_signals, timestamp_override, integration, min_stack_version,
 * building_block (true for building-block rules) and building_block_type, data_sources (from
 * "Data Source: X" tags), tactic_ids, investigation_fields,
 * threshold {fields, value, cardinality[{field, value}]}: alert when `value` or more events share the
 *   same `fields` values (and, with cardinality, when `field` has `value` or more distinct values);
 * new_terms {fields, history_window_start}: alert on the first occurrence of a combination of the
 *   `fields` values in the history window;
 * alert_suppression, threat_match {index, query, language, mapping, indicator_path},
 * machine_learning {job_ids, anomaly_threshold},
 * license, setup (Markdown: what the rule needs installed), enabled, timeline {id, title} (the
 * investigation timeline template), rule_name_override, event_category_override, severity_mapping
 * [{field, operator, value, severity}] and risk_score_mapping [{field, operator, value}] (alert
 * severity / risk score taken from a source field), exceptions_list [{id, list_id, namespace_type, type}],
 * min_stack_comments, deprecated_reason, promotion and bypass_bbr_timing (metadata).
 */
export function ruleExtra(meta: Table, rule: Table): Record<string, unknown> {
  const extra: Record<string, unknown> = {};
  const set = (k: string, v: unknown): void => {
    if (v === undefined || (Array.isArray(v) && v.length === 0)) return;
    extra[k] = plain(v);
  };
  set('license', str(rule.license));
  set('index', strs(rule.index));
  set('risk_score', rule.risk_score);
  set('from', str(rule.from));
  set('interval', str(rule.interval));
  set('max_signals', rule.max_signals);
  set('timestamp_override', str(rule.timestamp_override));
  set('integration', strs(meta.integration));
  set('min_stack_version', str(meta.min_stack_version));
  set('min_stack_comments', str(meta.min_stack_comments));
  set('deprecation_date', str(meta.deprecation_date));
  set('deprecated_reason', str(meta.deprecated_reason));
  set('promotion', typeof meta.promotion === 'boolean' ? meta.promotion : undefined);
  set('bypass_bbr_timing', typeof meta.bypass_bbr_timing === 'boolean' ? meta.bypass_bbr_timing : undefined);
  set('enabled', typeof rule.enabled === 'boolean' ? rule.enabled : undefined);
  set('setup', str(rule.setup));
  if (rule.timeline_id !== undefined || rule.timeline_title !== undefined) set('timeline', { id: str(rule.timeline_id), title: str(rule.timeline_title) });
  set('rule_name_override', str(rule.rule_name_override));
  set('event_category_override', str(rule.event_category_override));
  set('severity_mapping', tables(rule.severity_mapping).map((m) => ({ field: str(m.field), operator: str(m.operator), value: str(m.value), severity: str(m.severity) })));
  set('risk_score_mapping', tables(rule.risk_score_mapping).map((m) => ({ field: str(m.field), operator: str(m.operator), value: str(m.value) })));
  set('exceptions_list', tables(rule.exceptions_list).map((m) => ({ id: str(m.id), list_id: str(m.list_id), namespace_type: str(m.namespace_type), type: str(m.type) })));
  const bbt = str(rule.building_block_type);
  extra.building_block = bbt !== undefined;
  set('building_block_type', bbt);
  set('data_sources', strs(rule.tags).filter((t) => /^data source:/i.test(t)).map((t) => t.replace(/^data source:\s*/i, '')));
  set('investigation_fields', strs(table(rule.investigation_fields)?.field_names));
  const th = table(rule.threshold);
  if (th) {
    set('threshold', {
      fields: strs(th.field),
      value: th.value,
      cardinality: tables(th.cardinality).map((c) => ({ field: str(c.field), value: c.value })),
    });
  }
  const nt = table(rule.new_terms);
  if (nt) {
    set('new_terms', {
      fields: strs(nt.value),
      history_window_start: tables(nt.history_window_start).map((h) => str(h.value)).find((v) => v !== undefined),
    });
  }
  set('alert_suppression', table(rule.alert_suppression));
  if (rule.threat_index !== undefined || rule.threat_mapping !== undefined) {
    set('threat_match', {
      index: strs(rule.threat_index),
      query: str(rule.threat_query),
      language: str(rule.threat_language),
      indicator_path: str(rule.threat_indicator_path),
      mapping: tables(rule.threat_mapping).map((m) => tables(m.entries).map((e) => ({ field: str(e.field), type: str(e.type), value: str(e.value) }))),
    });
  }
  if (rule.machine_learning_job_id !== undefined) {
    set('machine_learning', { job_ids: strs(rule.machine_learning_job_id), anomaly_threshold: rule.anomaly_threshold });
  }
  return extra;
}
