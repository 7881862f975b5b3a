/** process.args: the Windows argv split (Sysmon, PowerShell) and the Security 4688 whitespace split. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitOnUnquotedWhitespace, splitWindowsCommandLine } from '../../../src/events/ecs/index.js';

test('Windows argv rules', () => {
  const cases: [string, string[]][] = [
    ['"C:\\Program Files\\a.exe" /c echo', ['C:\\Program Files\\a.exe', '/c', 'echo']],
    ['a  b\tc', ['a', 'b', 'c']],
    ['a\\\\b c', ['a\\\\b', 'c']], // backslashes not before a quote are literal
    ['"a\\\\" b', ['a\\', 'b']], // 2n backslashes + quote: n backslashes, quote toggles
    ['"a\\"b" c', ['a"b', 'c']], // 2n+1 backslashes + quote: literal quote
    // "Prior to 2008" rule: "" inside quotes is a literal quote and also ends the quoted part
    ['"a""b" c', ['a"b c']],
    ['x "" y', ['x', '', 'y']],
    ['', []],
    ['  ', []],
    ['cmd.exe /c "whoami & hostname"', ['cmd.exe', '/c', 'whoami & hostname']],
    ['trail\\', ['trail\\']],
  ];
  for (const [cmd, want] of cases) assert.deepEqual(splitWindowsCommandLine(cmd), want, cmd);
});

test('Security 4688 split keeps quotes and drops empty pieces', () => {
  assert.deepEqual(splitOnUnquotedWhitespace('"C:\\Program Files\\a.exe"  /c  "x y"'), ['"C:\\Program Files\\a.exe"', '/c', '"x y"']);
  assert.deepEqual(splitOnUnquotedWhitespace('a b '), ['a', 'b']);
  assert.deepEqual(splitOnUnquotedWhitespace('single'), ['single']);
});
