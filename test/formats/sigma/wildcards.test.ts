/**
 * The spec's wildcard and escape rules (sigma-rules-specification.md, "String Wildcard" and
 * "Escape Character"), each example matched through the compiled engine.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSigmaString, toCanonicalGlob } from '../../../src/formats/sigma/sigma-string.js';
import { classify } from '../../../src/formats/sigma/detection-item.js';
import { firesOnImageCmd } from '../../helpers/sigma.js';

const cmd = (value: string, commandLine: string): boolean =>
  firesOnImageCmd(`  sel:\n    CommandLine: '${value.replace(/'/g, "''")}'\n  condition: sel`, { CommandLine: commandLine });

test('? matches exactly one character, * any number', () => {
  assert.equal(cmd('prog?.exe', 'progA.exe'), true);
  assert.equal(cmd('prog?.exe', 'prog.exe'), false);
  assert.equal(cmd('prog?.exe', 'progAB.exe'), false);
  assert.equal(cmd('antivirus_V*.exe', 'antivirus_V21.2.1.exe'), true);
  assert.equal(cmd('antivirus_V*.exe', 'antivirus_V.exe'), true);
  assert.equal(cmd('antivirus_V*.exe', 'xantivirus_V1.exe'), false);
});

test('a plain backslash not before a wildcard is one backslash, written single or double', () => {
  assert.equal(cmd('C:\\Windows\\cmd.exe', 'C:\\Windows\\cmd.exe'), true);
  assert.equal(cmd('C:\\\\Windows\\\\cmd.exe', 'C:\\Windows\\cmd.exe'), true);
  assert.equal(cmd('C:\\Windows\\cmd.exe', 'C:\\\\Windows\\\\cmd.exe'), false);
});

test('\\* and \\? are plain characters', () => {
  assert.equal(cmd('a\\*b', 'a*b'), true);
  assert.equal(cmd('a\\*b', 'axxb'), false);
  assert.equal(cmd('a\\?b', 'a?b'), true);
  assert.equal(cmd('a\\?b', 'axb'), false);
});

test('\\\\* is a backslash followed by a wildcard', () => {
  assert.equal(cmd('C:\\\\*', 'C:\\Windows'), true);
  assert.equal(cmd('C:\\\\*', 'C:/Windows'), false);
});

test('\\\\\\* is a backslash followed by a plain star', () => {
  assert.equal(cmd('C:\\\\\\*', 'C:\\*'), true);
  assert.equal(cmd('C:\\\\\\*', 'C:\\x'), false);
});

test('three or four backslashes are a double backslash', () => {
  assert.equal(cmd('a\\\\\\\\b', 'a\\\\b'), true);
  assert.equal(cmd('a\\\\\\b', 'a\\\\b'), true);
  assert.equal(cmd('a\\\\\\\\b', 'a\\b'), false);
});

test('parsed values keep wildcards apart from escaped characters', () => {
  assert.equal(toCanonicalGlob(parseSigmaString('a\\*b*c?').parts), 'a\\*b*c?');
  assert.equal(toCanonicalGlob(parseSigmaString('x\\\\*').parts), 'x\\\\*');
  assert.deepEqual(classify(parseSigmaString('*\\cmd.exe').parts), ['ends_with', '\\cmd.exe']);
  assert.deepEqual(classify(parseSigmaString('cmd*').parts), ['starts_with', 'cmd']);
  assert.deepEqual(classify(parseSigmaString('*cmd*').parts), ['contains', 'cmd']);
  assert.deepEqual(classify(parseSigmaString('a*b').parts), ['wildcard', 'a*b']);
  assert.deepEqual(classify(parseSigmaString('*').parts), ['wildcard', '*']);
});

test('matching is case-insensitive unless cased', () => {
  assert.equal(cmd('C:\\WINDOWS\\CMD.EXE', 'c:\\windows\\cmd.exe'), true);
  assert.equal(firesOnImageCmd("  sel:\n    CommandLine|cased: 'Mimikatz'\n  condition: sel", { CommandLine: 'mimikatz' }), false);
  assert.equal(firesOnImageCmd("  sel:\n    CommandLine|cased: 'Mimikatz'\n  condition: sel", { CommandLine: 'Mimikatz' }), true);
  assert.equal(firesOnImageCmd("  sel:\n    CommandLine|contains|cased: 'Kat'\n  condition: sel", { CommandLine: 'mimikatz' }), false);
  assert.equal(firesOnImageCmd("  sel:\n    CommandLine|contains|cased: 'kat'\n  condition: sel", { CommandLine: 'mimikatz' }), true);
});

test('a wildcard value matches across non-ASCII text and case', () => {
  assert.equal(cmd('*ÄRGER*', 'viel ärger hier'), true);
  assert.equal(cmd('*ärger*', 'VIEL ÄRGER'), true);
});
