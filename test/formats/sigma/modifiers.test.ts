/** Every value modifier of Sigma 2.1, through the parser and the compiled engine. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSigmaText } from '../../../src/formats/sigma/index.js';
import { base64offset, windash } from '../../../src/formats/sigma/encodings.js';
import { literal, plainText } from '../../../src/formats/sigma/sigma-string.js';
import { fires, firesOnImageCmd, procRule, rule, sysmon1 } from '../../helpers/sigma.js';

const on = (det: string, data: Record<string, unknown>): boolean => firesOnImageCmd(det, data);

test('contains, startswith, endswith', () => {
  assert.equal(on("  s:\n    CommandLine|contains: 'ENC'\n  condition: s", { CommandLine: 'powershell -enc AAA' }), true);
  assert.equal(on("  s:\n    Image|startswith: 'C:\\Windows'\n  condition: s", { Image: 'c:\\windows\\x.exe' }), true);
  assert.equal(on("  s:\n    Image|startswith: 'C:\\Windows'\n  condition: s", { Image: 'D:\\windows\\x.exe' }), false);
  assert.equal(on("  s:\n    Image|endswith: '\\cmd.exe'\n  condition: s", { Image: 'C:\\Windows\\System32\\CMD.EXE' }), true);
  assert.equal(on("  s:\n    Image|endswith: '\\cmd.exe'\n  condition: s", { Image: 'C:\\cmd.exe.bak' }), false);
});

test('lists are OR; all makes them AND', () => {
  const any = "  s:\n    CommandLine|contains:\n      - 'a1'\n      - 'b2'\n  condition: s";
  const all = "  s:\n    CommandLine|contains|all:\n      - 'a1'\n      - 'b2'\n  condition: s";
  assert.equal(on(any, { CommandLine: 'x a1' }), true);
  assert.equal(on(all, { CommandLine: 'x a1' }), false);
  assert.equal(on(all, { CommandLine: 'b2 x a1' }), true);
});

test('exists true and false', () => {
  assert.equal(on('  s:\n    ParentImage|exists: true\n  condition: s', { ParentImage: '' }), true);
  assert.equal(on('  s:\n    ParentImage|exists: true\n  condition: s', { Image: 'x' }), false);
  assert.equal(on('  s:\n    ParentImage|exists: false\n  condition: s', { Image: 'x' }), true);
});

test('neq: the field differs from every value', () => {
  const det = "  s:\n    Image|endswith: '.exe'\n    IntegrityLevel|neq:\n      - 'System'\n      - 'High'\n  condition: s";
  assert.equal(on(det, { Image: 'a.exe', IntegrityLevel: 'Medium' }), true);
  assert.equal(on(det, { Image: 'a.exe', IntegrityLevel: 'high' }), false);
});

test('windash: every dash form at the start of a flag', () => {
  const forms = windash(literal(' -enc ')).map(plainText).sort();
  assert.deepEqual(forms, [' -enc ', ' /enc ', ' \u2013enc ', ' \u2014enc ', ' \u2015enc '].sort());
  const det = "  s:\n    CommandLine|contains|windash: ' -s '\n  condition: s";
  assert.equal(on(det, { CommandLine: 'x /s y' }), true);
  assert.equal(on(det, { CommandLine: 'x \u2013s y' }), true);
  assert.equal(on(det, { CommandLine: 'x +s y' }), false);
  // A dash inside a word is not a flag and is not expanded.
  assert.deepEqual(windash(literal('a-b')).map(plainText), ['a-b']);
});

test('re with i, m, s sub-modifiers; case-sensitive by default', () => {
  assert.equal(on("  s:\n    CommandLine|re: 'mimi[kK]atz'\n  condition: s", { CommandLine: 'run mimiKatz' }), true);
  assert.equal(on("  s:\n    CommandLine|re: 'MIMIKATZ'\n  condition: s", { CommandLine: 'mimikatz' }), false);
  assert.equal(on("  s:\n    CommandLine|re|i: 'MIMIKATZ'\n  condition: s", { CommandLine: 'mimikatz' }), true);
  assert.equal(on("  s:\n    CommandLine|re: '^b$'\n  condition: s", { CommandLine: 'a\nb' }), false);
  assert.equal(on("  s:\n    CommandLine|re|m: '^b$'\n  condition: s", { CommandLine: 'a\nb' }), true);
  assert.equal(on("  s:\n    CommandLine|re: 'a.b'\n  condition: s", { CommandLine: 'a\nb' }), false);
  assert.equal(on("  s:\n    CommandLine|re|s: 'a.b'\n  condition: s", { CommandLine: 'a\nb' }), true);
  assert.equal(on("  s:\n    CommandLine|re: '.{10,}'\n  condition: s", { CommandLine: '12345\n67890' }), false);
  assert.equal(on("  s:\n    CommandLine|re: '.{10,}'\n  condition: s", { CommandLine: '1234567890' }), true);
});

test('base64 and base64offset produce the encoded forms', () => {
  assert.equal(on("  s:\n    CommandLine|base64: 'http://'\n  condition: s", { CommandLine: 'aHR0cDovLw==' }), true);
  assert.deepEqual(base64offset(literal('/bin/bash')).map(plainText), ['L2Jpbi9iYXNo', '9iaW4vYmFza', 'vYmluL2Jhc2']);
  const det = "  s:\n    CommandLine|base64offset|contains: 'Invoke-Mimikatz'\n  condition: s";
  for (const prefix of ['', 'a', 'ab', 'abc']) {
    const encoded = Buffer.from(prefix + 'Invoke-Mimikatz more').toString('base64');
    assert.equal(on(det, { CommandLine: `powershell -e ${encoded}` }), true, `offset ${prefix.length}`);
  }
});

test('utf16le / wide / utf16be / utf16 with base64', () => {
  const le = Buffer.from('ping', 'utf16le').toString('base64');
  assert.equal(on("  s:\n    CommandLine|wide|base64: 'ping'\n  condition: s", { CommandLine: le }), true);
  assert.equal(on("  s:\n    CommandLine|utf16le|base64: 'ping'\n  condition: s", { CommandLine: le }), true);
  const be = Buffer.from('ping', 'utf16le').swap16().toString('base64');
  assert.equal(on("  s:\n    CommandLine|utf16be|base64: 'ping'\n  condition: s", { CommandLine: be }), true);
  const bom = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ping', 'utf16le')]).toString('base64');
  assert.equal(on("  s:\n    CommandLine|utf16|base64: 'ping'\n  condition: s", { CommandLine: bom }), true);
  const wideOffset = Buffer.from('xx Invoke-Expression', 'utf16le').toString('base64');
  assert.equal(on("  s:\n    CommandLine|wide|base64offset|contains: 'Invoke-Expression'\n  condition: s", { CommandLine: wideOffset }), true);
});

test('lt, lte, gt, gte compare numbers', () => {
  const det = (m: string, v: number): string => `  s:\n    TerminalSessionId|${m}: ${v}\n  condition: s`;
  assert.equal(on(det('lt', 2), { TerminalSessionId: 1 }), true);
  assert.equal(on(det('lt', 1), { TerminalSessionId: 1 }), false);
  assert.equal(on(det('lte', 1), { TerminalSessionId: '1' }), true);
  assert.equal(on(det('gt', 1), { TerminalSessionId: 2 }), true);
  assert.equal(on(det('gte', 3), { TerminalSessionId: 2 }), false);
  assert.equal(on(det('gt', 15), { TerminalSessionId: '0x10' }), true);
});

test('time modifiers extract a part of a date', () => {
  const ev = { UtcTime: '2026-03-09 23:41:07.123' };
  assert.equal(on('  s:\n    UtcTime|hour: 23\n  condition: s', ev), true);
  assert.equal(on('  s:\n    UtcTime|minute: 41\n  condition: s', ev), true);
  assert.equal(on('  s:\n    UtcTime|day: 9\n  condition: s', ev), true);
  assert.equal(on('  s:\n    UtcTime|month: 3\n  condition: s', ev), true);
  assert.equal(on('  s:\n    UtcTime|year: 2026\n  condition: s', ev), true);
  assert.equal(on('  s:\n    UtcTime|week: 11\n  condition: s', ev), true);
  assert.equal(on('  s:\n    UtcTime|hour|gte: 22\n  condition: s', ev), true);
  assert.equal(on('  s:\n    UtcTime|hour|lt: 6\n  condition: s', ev), false);
});

test('cidr for IPv4 and IPv6', () => {
  const det = "  s:\n    DestinationIp|cidr:\n      - '10.0.0.0/8'\n      - 'fe80::/10'\n  condition: s";
  assert.equal(on(det, { DestinationIp: '10.1.2.3' }), true);
  assert.equal(on(det, { DestinationIp: '11.1.2.3' }), false);
  assert.equal(on(det, { DestinationIp: 'fe80::1' }), true);
  assert.equal(on(det, { DestinationIp: 'FE80:0:0::abcd' }), true);
  assert.equal(on(det, { DestinationIp: '2001:db8::1' }), false);
  assert.equal(on(det, { DestinationIp: '::ffff:10.9.9.9' }), true);
  assert.equal(on(det, { DestinationIp: 'not an ip' }), false);
});

test('fieldref alone and with neq', () => {
  assert.equal(on('  s:\n    Image|fieldref: ParentImage\n  condition: s', { Image: 'C:\\a.exe', ParentImage: 'c:\\A.EXE' }), true);
  assert.equal(on('  s:\n    Image|fieldref: ParentImage\n  condition: s', { Image: 'C:\\a.exe', ParentImage: 'C:\\b.exe' }), false);
  assert.equal(on('  s:\n    Image|fieldref|neq: ParentImage\n  condition: s', { Image: 'C:\\a.exe', ParentImage: 'C:\\b.exe' }), true);
});

test('expand: placeholders from the user, rejected with a reason when none are given', () => {
  const text = procRule("  s:\n    User|expand: '%Admins%'\n  condition: s");
  const bad = parseSigmaText(text, 'r.yml');
  assert.equal(bad.rules.length, 0);
  assert.equal(bad.problems[0].reason, 'placeholder');
  assert.match(bad.problems[0].message, /%Admins%/);
  const r = rule(text, { Admins: ['CORP\\adm_*', 'CORP\\root'] });
  assert.equal(fires(r, sysmon1({ User: 'corp\\adm_joe' })), true);
  assert.equal(fires(r, sysmon1({ User: 'CORP\\root' })), true);
  assert.equal(fires(r, sysmon1({ User: 'CORP\\joe' })), false);
  // An escaped percent sign is a plain character.
  const plain = rule(procRule("  s:\n    CommandLine|expand: '\\%TEMP%'\n  condition: s"), {});
  assert.equal(fires(plain, sysmon1({ CommandLine: '%TEMP%' })), true);
});

test('unknown modifiers, conflicting modifiers and bad values are precise problems', () => {
  const cases: Array<[string, string]> = [
    ["  s:\n    Image|bogus: 'x'\n  condition: s", 'unknown-modifier'],
    ["  s:\n    Image|i: 'x'\n  condition: s", 'unknown-modifier'],
    ["  s:\n    Image|re|cidr: 'x'\n  condition: s", 'modifier-conflict'],
    ["  s:\n    Image|re: '(a)\\1'\n  condition: s", 'invalid-regex'],
    ["  s:\n    Image|re: '(?=x)'\n  condition: s", 'invalid-regex'],
    ["  s:\n    DestinationIp|cidr: '10.0.0.0/33'\n  condition: s", 'invalid-value'],
    ['  s:\n    Image|gt: abc\n  condition: s', 'invalid-value'],
    ["  s:\n    Image|contains|base64: 'a*b'\n  condition: s", 'invalid-value'],
    ['  s:\n    Image: x\n  condition: s and t', 'condition'],
    ['  s:\n    Image: x\n  condition: (s', 'condition'],
    ['  s:\n    Image: x\n  condition: s | count() > 5', 'unsupported'],
  ];
  for (const [det, reason] of cases) {
    const r = parseSigmaText(procRule(det), 'bad.yml');
    assert.equal(r.rules.length, 0, det);
    assert.equal(r.problems.length, 1, det);
    assert.equal(r.problems[0].reason, reason, det);
    assert.equal(r.problems[0].file, 'bad.yml');
    assert.ok(r.problems[0].line && r.problems[0].line > 0, `line for ${det}`);
  }
});
