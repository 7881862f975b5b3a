/** Selections, keywords, null and empty values, conditions, metadata, correlations and filters. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSigmaText } from '../../../src/formats/sigma/index.js';
import { fires, firesOnImageCmd, procRule, rule, sysmon1 } from '../../helpers/sigma.js';

test('a map is AND, a list of maps is OR', () => {
  const andDet = "  s:\n    Image|endswith: '\\a.exe'\n    CommandLine|contains: 'x'\n  condition: s";
  assert.equal(firesOnImageCmd(andDet, { Image: 'C:\\a.exe', CommandLine: 'y' }), false);
  assert.equal(firesOnImageCmd(andDet, { Image: 'C:\\a.exe', CommandLine: 'x' }), true);
  const orDet = "  s:\n    - Image|endswith: '\\a.exe'\n    - CommandLine|contains: 'x'\n  condition: s";
  assert.equal(firesOnImageCmd(orDet, { Image: 'C:\\b.exe', CommandLine: 'x' }), true);
  assert.equal(firesOnImageCmd(orDet, { Image: 'C:\\b.exe', CommandLine: 'y' }), false);
});

test('keywords search every value of the event; |all makes them AND', () => {
  const sys = (data: Record<string, unknown>): Record<string, unknown> => ({
    System: { EventID: 7045, Channel: 'System', Provider: { '#attributes': { Name: 'Service Control Manager' } } },
    EventData: data,
  });
  const r = rule("title: k\nlogsource:\n  product: windows\n  service: system\ndetection:\n  keywords:\n    - 'event::clear'\n    - 'EVIL*SERVICE'\n  condition: keywords\n");
  assert.equal(fires(r, sys({ ImagePath: 'mimikatz "event::CLEAR"' })), true);
  assert.equal(fires(r, sys({ ServiceName: 'my evil test service' })), true);
  assert.equal(fires(r, sys({ ServiceName: 'benign' })), false);
  const all = rule("title: k\nlogsource:\n  product: windows\n  service: system\ndetection:\n  keywords:\n    '|all':\n      - 'OabVirtualDirectory'\n      - ' -ExternalUrl '\n  condition: keywords\n");
  assert.equal(fires(all, sys({ Data: 'Set-OabVirtualDirectory -ExternalUrl http://x' })), true);
  assert.equal(fires(all, sys({ Data: 'Set-OabVirtualDirectory' })), false);
});

test('null matches an absent or empty field; empty string matches an empty field', () => {
  const nullDet = "  s:\n    Image|endswith: '.exe'\n  f:\n    OriginalFileName: null\n  condition: s and f";
  assert.equal(firesOnImageCmd(nullDet, { Image: 'a.exe' }), true);
  assert.equal(firesOnImageCmd(nullDet, { Image: 'a.exe', OriginalFileName: null }), true);
  assert.equal(firesOnImageCmd(nullDet, { Image: 'a.exe', OriginalFileName: 'x.exe' }), false);
  const notNull = "  s:\n    Image|endswith: '.exe'\n  f:\n    OriginalFileName: null\n  condition: s and not f";
  assert.equal(firesOnImageCmd(notNull, { Image: 'a.exe', OriginalFileName: 'x.exe' }), true);
  const empty = "  s:\n    Description: ''\n  condition: s";
  assert.equal(firesOnImageCmd(empty, { Description: '' }), true);
  assert.equal(firesOnImageCmd(empty, { Description: null }), true);
  assert.equal(firesOnImageCmd(empty, { Description: 'x' }), false);
  assert.equal(firesOnImageCmd(empty, {}), false);
});

test('conditions: precedence, parentheses, x of patterns, them', () => {
  const d = (cond: string): string =>
    `  sel_a:\n    CommandLine|contains: 'aaa'\n  sel_b:\n    CommandLine|contains: 'bbb'\n  _hidden:\n    CommandLine|contains: 'zzz'\n  filter_x:\n    CommandLine|contains: 'xxx'\n  condition: ${cond}`;
  const c = (cond: string, cl: string): boolean => firesOnImageCmd(d(cond), { CommandLine: cl });
  assert.equal(c('sel_a or sel_b and filter_x', 'aaa'), true); // and binds tighter than or
  assert.equal(c('(sel_a or sel_b) and filter_x', 'aaa'), false);
  assert.equal(c('not sel_a and sel_b', 'bbb'), true); // not binds tighter than and
  assert.equal(c('all of sel_*', 'aaa'), false);
  assert.equal(c('all of sel_*', 'aaa bbb'), true);
  assert.equal(c('1 of sel_* and not 1 of filter_*', 'bbb'), true);
  assert.equal(c('1 of sel_* and not 1 of filter_*', 'bbb xxx'), false);
  assert.equal(c('any of sel_*', 'aaa'), true);
  assert.equal(c('1 of them', 'zzz'), false); // underscore identifiers are not part of "them"
  assert.equal(c('all of them', 'aaa bbb xxx'), true);
  assert.equal(c('2 of sel_* or filter_x', 'aaa'), false);
  assert.equal(c('2 of sel_* or filter_x', 'aaa bbb'), true);
  assert.equal(c('NOT sel_a AND sel_b', 'bbb'), true);
});

test('a condition list is OR', () => {
  const det = "  a:\n    CommandLine|contains: 'aaa'\n  b:\n    CommandLine|contains: 'bbb'\n  condition:\n    - a\n    - b";
  assert.equal(firesOnImageCmd(det, { CommandLine: 'bbb' }), true);
});

test('metadata and ATT&CK tags', () => {
  const r = rule(`title: T
id: 2f7c1a4e-0000-4000-8000-000000000001
status: test
level: HIGH
date: 2024-05-01
description: d
references: [https://example.org]
falsepositives: [admins]
tags:
  - attack.defense-evasion
  - attack.t1216
  - attack.t1216.001
  - attack.g0007
  - cve.2024-1
logsource: {product: windows, category: process_creation}
detection:
  s: {Image|endswith: '\\x.exe'}
  condition: s
`);
  assert.equal(r.level, 'high');
  assert.equal(r.date, '2024-05-01');
  assert.deepEqual(r.techniques, ['T1216', 'T1216.001']);
  assert.deepEqual(r.tactics, ['defense-evasion']);
  assert.deepEqual(r.references, ['https://example.org']);
});

test('correlation documents are parsed with timespan, group-by, aliases, generate', () => {
  const r = parseSigmaText(`title: base
name: failed_logon
logsource: {product: windows, service: security}
detection:
  s: {EventID: 4625}
  condition: s
---
title: many failures
correlation:
  type: event_count
  rules: [failed_logon]
  group-by: [TargetUserName]
  timespan: 5m
  condition: {gte: 3}
  generate: true
---
title: aliased
correlation:
  type: temporal_ordered
  rules: [failed_logon, ok_logon]
  group-by: [user]
  aliases:
    user:
      failed_logon: TargetUserName
      ok_logon: TargetUserName
  timespan: 1h
`, 'c.yml');
  assert.equal(r.problems.length, 0);
  const [, c1, c2] = r.rules;
  assert.equal(c1.type, 'correlation');
  assert.equal(c1.correlation!.timespanMs, 300_000);
  assert.deepEqual(c1.correlation!.condition, { gte: 3 });
  assert.equal(c1.correlation!.generate, true);
  assert.equal(c2.correlation!.aliases.user.ok_logon, 'TargetUserName');
  const bad = parseSigmaText('title: x\ncorrelation:\n  type: event_count\n  rules: [a]\n  timespan: 5 minutes\n  condition: {gte: 1}\n', 'bad.yml');
  assert.equal(bad.problems[0].reason, 'invalid-correlation');
});

test('malformed YAML is one problem with its line; other documents still load', () => {
  const r = parseSigmaText("title: ok\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s: {Image: x}\n  condition: s\n---\ntitle: [broken\n", 'y.yml');
  assert.equal(r.rules.length, 1);
  assert.equal(r.problems.length, 1);
  assert.equal(r.problems[0].reason, 'yaml');
  assert.ok(r.problems[0].line! >= 7 && r.problems[0].line! <= 8, `line ${r.problems[0].line}`);
  const bin = parseSigmaText('title: x\u0000\u0001', 'b.yml');
  assert.equal(bin.problems[0].reason, 'binary');
});

test('Security 4688 feeds process_creation rules through the field mapping', () => {
  const r = rule("title: t\nlogsource: {product: windows, category: process_creation}\ndetection:\n  s:\n    Image|endswith: '\\certutil.exe'\n    ParentImage|endswith: '\\cmd.exe'\n    User|contains: 'AUTHORI'\n    IntegrityLevel: System\n  condition: s\n");
  const ev = {
    System: { EventID: 4688, Channel: 'Security', Computer: 'h' },
    EventData: {
      NewProcessName: 'C:\\Windows\\System32\\certutil.exe', ParentProcessName: 'C:\\Windows\\System32\\cmd.exe',
      SubjectUserName: 'SYSTEM', SubjectDomainName: 'NT AUTHORITY', MandatoryLabel: 'S-1-16-16384', CommandLine: 'certutil -urlcache',
    },
  };
  assert.equal(fires(r, ev), true);
  assert.equal(fires(r, sysmon1({ Image: 'C:\\x\\certutil.exe', ParentImage: 'C:\\cmd.exe', User: 'NT AUTHORITY\\SYSTEM', IntegrityLevel: 'System' })), true);
  // The same rule does not fire on other Security events.
  assert.equal(fires(r, { ...ev, System: { EventID: 4689, Channel: 'Security' } }), false);
});

test('field names with spaces are matched without them, as the spec says', () => {
  const r = rule("title: t\nlogsource: {product: windows, service: windefend}\ndetection:\n  s:\n    EventID: 1119\n    SourceName: Real-Time Protection\n  condition: s\n");
  const ev = { System: { EventID: 1119, Channel: 'Microsoft-Windows-Windows Defender/Operational' }, EventData: { 'Source Name': 'Real-Time Protection' } };
  assert.equal(fires(r, ev), true);
});

test('Sigma 1 rule collections: action global, reset, repeat', () => {
  const r = parseSigmaText(`action: global
title: shared title
logsource: {product: windows}
detection:
  condition: sel
---
logsource: {category: process_creation}
detection:
  sel: {Image|endswith: '\\a.exe'}
---
action: repeat
detection:
  sel: {Image|endswith: '\\b.exe'}
---
action: reset
---
title: alone
logsource: {product: windows, service: system}
detection:
  sel: {EventID: 1}
  condition: sel
`, 'collection.yml');
  assert.deepEqual(r.problems, []);
  assert.equal(r.rules.length, 3);
  assert.deepEqual(r.rules.map((x) => x.title), ['shared title', 'shared title', 'alone']);
  assert.equal(r.rules[0].logsource.category, 'process_creation');
  assert.equal(r.rules[0].logsource.product, 'windows');
  assert.equal(r.rules[1].detection?.kind, 'pred');
  assert.deepEqual((r.rules[1].detection as { values: unknown[] }).values, ['\\b.exe']);
});

test('lenient (catalog) reading keeps aggregations and placeholders as text; strict reading rejects them', () => {
  const text = procRule("  sel:\n    User|expand: '%Admins%'\n  sel2:\n    Image|endswith: '\\x.exe'\n  condition: sel and sel2 | count() by Computer > 5");
  const strict = parseSigmaText(text, 'p.yml');
  assert.equal(strict.rules.length, 0);
  const lenient = parseSigmaText(text, 'p.yml', { lenient: true });
  assert.deepEqual(lenient.problems, []);
  const r = lenient.rules[0];
  assert.deepEqual(r.extra.aggregation, ['count() by Computer > 5']);
  const d = r.detection as { kind: string; children: Array<{ values: unknown[]; flags: { encodings?: string[] } }> };
  assert.equal(d.kind, 'and');
  assert.deepEqual(d.children[0].values, ['%Admins%']);
  assert.deepEqual(d.children[0].flags.encodings, ['expand']);
});
