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

/** The split as the pipeline's script states it, a character at a time (the oracle of the test below). */
function splitReference(cmd: string): string[] {
  const args: string[] = [];
  let i = 0;
  while (i < cmd.length) {
    if (cmd[i] === ' ' || cmd[i] === '\t') {
      i++;
      continue;
    }
    let arg = '';
    let inQuote = false;
    let slashes = 0;
    for (; i < cmd.length; i++) {
      const c = cmd[i];
      if ((c === ' ' || c === '\t') && !inQuote) {
        i++;
        break;
      }
      if (c === '"') {
        arg += '\\'.repeat(slashes >> 1);
        if (slashes % 2 === 0) {
          if (inQuote && cmd[i + 1] === '"') {
            arg += '"';
            i++;
          }
          inQuote = !inQuote;
        } else arg += '"';
        slashes = 0;
      } else if (c === '\\') slashes++;
      else {
        arg += '\\'.repeat(slashes) + c;
        slashes = 0;
      }
    }
    args.push(arg + '\\'.repeat(slashes));
  }
  return args;
}

test('Windows argv split equals the character-at-a-time rules on every mix of quotes, backslashes and blanks', () => {
  // Deterministic pseudo-random command lines over the characters the rules treat specially.
  const alphabet = ['a', 'b', ' ', '\t', '"', '\\', 'é'];
  let seed = 12345;
  const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
  for (let k = 0; k < 20000; k++) {
    const len = next() % 14;
    let cmd = '';
    for (let j = 0; j < len; j++) cmd += alphabet[next() % alphabet.length];
    assert.deepEqual(splitWindowsCommandLine(cmd), splitReference(cmd), JSON.stringify(cmd));
  }
  // Every string of up to 5 characters over the special ones.
  const small = ['a', ' ', '"', '\\'];
  const all = (prefix: string, depth: number): void => {
    assert.deepEqual(splitWindowsCommandLine(prefix), splitReference(prefix), JSON.stringify(prefix));
    if (depth < 6) for (const c of small) all(prefix + c, depth + 1);
  };
  all('', 0);
});
