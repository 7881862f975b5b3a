import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildCatalog } from '../../src/catalog/build.js';
import { openDb } from '../../src/store/db.js';
import { startServer, type Served } from '../../src/web/server.js';
import { tempDir } from '../helpers/temp-dir.js';

/** An Elastic rule with the settings the rule page shows (threshold type, mappings, timeline, setup...). */
const RULE = `[metadata]
creation_date = "2023/03/04"
updated_date = "2025/06/07"
maturity = "production"
integration = ["endpoint", "windows"]
min_stack_version = "8.14.0"
min_stack_comments = "needs the new terms window"

[rule]
author = ["Elastic", "A. Person"]
description = "Many failed logons from one source."
name = "Metadata Rich Threshold Rule"
rule_id = "44444444-4444-4444-8444-444444444444"
license = "Elastic License v2"
severity = "medium"
risk_score = 47
from = "now-119m"
interval = "60m"
max_signals = 150
timestamp_override = "event.ingested"
rule_name_override = "rule.name.from.source"
timeline_id = "e70679c2-6cde-4510-9764-4823df18f7db"
timeline_title = "Comprehensive Process Timeline"
index = ["logs-system.security*", "winlogbeat-*"]
tags = ["Domain: Endpoint", "OS: Windows", "Data Source: System"]
type = "threshold"
language = "kuery"
query = 'event.category:authentication and event.outcome:failure'
setup = """## Setup

Enable <b id="pwned-setup">audit logon</b> events. [policy docs](https://example.org/audit) [bad](javascript:alert(1))
"""

[[rule.severity_mapping]]
field = "host.risk.calculated_level"
operator = "equals"
severity = "high"
value = "High"

[[rule.risk_score_mapping]]
field = "event.risk_score"
operator = "equals"
value = ""

[rule.threshold]
field = ["source.ip"]
value = 25

[[rule.threshold.cardinality]]
field = "user.name"
value = 3
`;

let served: Served;

before(async () => {
  const dir = tempDir('detectory-web-meta-');
  mkdirSync(join(dir, 'elastic'));
  writeFileSync(join(dir, 'elastic', 'rich.toml'), RULE);
  const dbPath = join(dir, 'c.duckdb');
  const db = await openDb(dbPath);
  try {
    await buildCatalog(db, { elastic: [join(dir, 'elastic')], workers: 0 });
  } finally {
    db.close();
  }
  served = await startServer({ dbPath, port: 0 });
});
after(async () => served?.close());

/** The metadata list of the page as label -> text (tags stripped, entities decoded for the few used). */
function facts(html: string): Map<string, string> {
  const dl = /<dl class="facts">([\s\S]*?)<\/dl>/.exec(html)?.[1] ?? '';
  const out = new Map<string, string>();
  for (const m of dl.matchAll(/<dt>([\s\S]*?)<\/dt><dd[^>]*>([\s\S]*?)<\/dd>/g)) {
    out.set(m[1], m[2].replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&amp;/g, '&'));
  }
  return out;
}

test('the Elastic rule page shows license, schedule, indices, risk score, rule type settings, timeline, mappings and setup', async () => {
  const r = await fetch(`${served.url}/rules/elastic/44444444-4444-4444-8444-444444444444`);
  assert.equal(r.status, 200);
  const html = await r.text();
  const f = facts(html);
  assert.equal(f.get('Type'), 'threshold (kuery)');
  assert.equal(f.get('License'), 'Elastic License v2');
  assert.equal(f.get('Risk score'), '47');
  assert.equal(f.get('Runs every'), '60m');
  assert.equal(f.get('Searches from'), 'now-119m');
  assert.equal(f.get('Max alerts'), '150');
  assert.equal(f.get('Indices'), 'logs-system.security*, winlogbeat-*');
  assert.equal(f.get('Timestamp field'), 'event.ingested');
  assert.equal(f.get('Alert name from'), 'rule.name.from.source');
  assert.equal(f.get('Timeline template'), 'id: e70679c2-6cde-4510-9764-4823df18f7db, title: Comprehensive Process Timeline');
  assert.equal(f.get('Severity from'), 'field: host.risk.calculated_level, operator: equals, value: High, severity: high');
  assert.equal(f.get('Risk score from'), 'field: event.risk_score, operator: equals');
  assert.equal(f.get('Threshold'), 'fields: source.ip, value: 25, cardinality: field: user.name, value: 3');
  assert.equal(f.get('Integrations'), 'endpoint, windows');
  assert.equal(f.get('Minimum stack version'), '8.14.0');
  assert.equal(f.get('Stack version note'), 'needs the new terms window');
  assert.equal(f.get('Data sources'), 'System');
  assert.equal(f.get('Authors'), 'Elastic, A. Person');
  assert.equal(f.get('Dates'), '2023-03-04, modified 2025-06-07');
  assert.equal(f.get('Status'), 'production');
  assert.equal(f.get('Severity'), 'medium');
  assert.match(html, /<ul class="tags" aria-label="Tags"><li>Domain: Endpoint<\/li>/);
  // setup is Markdown like the investigation guide: its HTML stays text, unsafe links are not links
  const setup = /<section id="setup"[\s\S]*?<\/section>/.exec(html)?.[0] ?? '';
  assert.match(setup, /<h2 id="setup-h">Setup<\/h2>/);
  assert.match(setup, /<a href="https:\/\/example.org\/audit" rel="nofollow noopener noreferrer">policy docs<\/a>/);
  assert.ok(!setup.includes('<b id="pwned-setup">') && setup.includes('&lt;b id=&quot;pwned-setup&quot;&gt;'), 'raw HTML is escaped');
  assert.ok(!/href="javascript:/i.test(setup), 'no javascript: link');
});

test('the API carries the same settings in rule.extra', async () => {
  const r = await fetch(`${served.url}/api/rules/elastic/44444444-4444-4444-8444-444444444444`);
  const body = await r.json() as { rule: { extra: Record<string, unknown> } };
  assert.equal(body.rule.extra.license, 'Elastic License v2');
  assert.deepEqual(body.rule.extra.timeline, { id: 'e70679c2-6cde-4510-9764-4823df18f7db', title: 'Comprehensive Process Timeline' });
  assert.deepEqual(body.rule.extra.threshold, { fields: ['source.ip'], value: 25, cardinality: [{ field: 'user.name', value: 3 }] });
});
