import assert from 'node:assert/strict';
import { test } from 'node:test';
import { errorOf, ev, ids } from './helpers.js';

const P = (seq: number, fields: Record<string, unknown>) => ev(seq, 'process', seq, fields);
const one = (cond: string, fields: Record<string, unknown>): boolean => ids(`process where ${cond}`, [P(1, fields)]).length === 1;

test('== is case-sensitive, : is case-insensitive with wildcards and lists', () => {
  const f = { process: { name: 'CScript.exe' } };
  assert.equal(one('process.name == "cscript.exe"', f), false);
  assert.equal(one('process.name == "CScript.exe"', f), true);
  assert.equal(one('process.name : "cscript.exe"', f), true);
  assert.equal(one('process.name : ("wscript.exe", "cscript.*")', f), true);
  assert.equal(one('process.name : "c?cript.exe"', f), true);
  assert.equal(one('process.name !: "cscript.exe"', f), false);
});

test('like / like~, regex / regex~ match the whole value', () => {
  const f = { process: { args: ['2024', 'x'] , command_line: 'net1 localgroup admins' } };
  assert.equal(one('process.command_line like "net1*"', f), true);
  assert.equal(one('process.command_line like "NET1*"', f), false);
  assert.equal(one('process.command_line like~ "NET1*"', f), true);
  assert.equal(one('process.args regex "2[0-9]{3}"', f), true);
  assert.equal(one('process.command_line regex "localgroup"', f), false);
  assert.equal(one('process.command_line regex ".*localgroup.*"', f), true);
  assert.equal(one('process.command_line regex~ "NET1 .*"', f), true);
});

test('regex / regex~ with required literals: the literal screen never changes the answer', () => {
  const f = { process: { executable: 'C:\\Program Files\\App.exe', name: 'Cmd.EXE', pid: 4688 } };
  assert.equal(one('process.executable regex """C:\\\\Program Files\\\\\\w+\\.exe"""', f), true);
  assert.equal(one('process.executable regex """c:\\\\program files\\\\\\w+\\.exe"""', f), false);
  assert.equal(one('process.executable regex~ """c:\\\\program files\\\\\\w+\\.exe"""', f), true);
  assert.equal(one('process.executable regex~ """c:\\\\program files (x86)\\\\\\w+\\.exe"""', f), false);
  assert.equal(one('process.name regex "cmd\\.exe|Cmd\\.EXE"', f), true);
  assert.equal(one('process.name regex "cmd\\.exe|powershell\\.exe"', f), false);
  assert.equal(one('process.pid regex "46[0-9]8"', f), true);
  assert.equal(one('process.pid regex "4688.+"', f), false);
});

test('in / in~, multi-valued fields, ?field and null', () => {
  const f = { event: { category: ['process'], type: ['start', 'info'] }, user: { name: 'Bob' } };
  assert.equal(one('event.type in ("start")', f), true);
  assert.equal(one('user.name in ("bob")', f), false);
  assert.equal(one('user.name in~ ("bob")', f), true);
  assert.equal(one('?dll.name == null', f), true);
  assert.equal(one('dll.name != null', f), false);
  assert.equal(one('not dll.name : "x.dll"', f), true);
});

test('functions and arithmetic', () => {
  const f = { file: { path: 'C:\\Windows\\Temp\\a.exe', size: 10 }, source: { ip: '10.1.2.3' } };
  assert.equal(one('endsWith(file.path, ".exe")', f), true);
  assert.equal(one('endsWith(file.path, ".EXE")', f), false);
  assert.equal(one('endsWith~(file.path, ".EXE")', f), true);
  assert.equal(one('startsWith(file.path, "C:")', f), true);
  assert.equal(one('stringContains(file.path, "Temp")', f), true);
  assert.equal(one('indexOf(file.path, "Temp") == 11', f), true);
  assert.equal(one('length(file.path) == 21', f), true);
  assert.equal(one('substring(file.path, -5) == "a.exe"', f), true);
  assert.equal(one('between(file.path, "Temp\\\\", ".exe") == "a"', f), true);
  assert.equal(one('concat("x", file.size) == "x10"', f), true);
  assert.equal(one('number("0x1f", 16) == 31', f), true);
  assert.equal(one('string(file.size) == "10"', f), true);
  assert.equal(one('add(file.size, 5) == 15 and subtract(file.size, 5) == 5 and multiply(file.size, 2) == 20', f), true);
  assert.equal(one('divide(file.size, 4) == 2 and file.size / 4.0 == 2.5 and modulo(file.size, 3) == 1', f), true);
  assert.equal(one('cidrMatch(source.ip, "10.0.0.0/8", "192.168.0.0/16")', f), true);
  assert.equal(one('source.ip : "10.0.0.0/8"', f), true);
  assert.equal(one('source.ip : "11.0.0.0/8"', f), false);
});

test('bad input: one clear error with its position', () => {
  assert.match(errorOf('process where foo(1)'), /^1:15: unknown function foo/);
  assert.match(errorOf('process where length(1)'), /^1:22: argument 1 of length must be a string, found a number/);
  assert.match(errorOf('process where startsWith(x)'), /^1:15: function startsWith takes 2 arguments, found 1/);
  assert.match(errorOf('process where cidrMatch(ip, "10.0.0.0/33")'), /invalid CIDR range/);
  assert.match(errorOf('process where x regex "a("'), /^1:23: invalid regex/);
  assert.match(errorOf('process where x == 1 | unique x'), /^1:22: the pipe 'unique' is Python EQL/);
  assert.match(errorOf('process where "a" + 1 == 2'), /cannot add a string/);
  assert.match(errorOf('process where a == b'), /comparing a field with another field/);
  assert.match(errorOf('process where x = 1'), /'=' is Python EQL's equality/);
  assert.match(errorOf('process where (x == 1'), /^1:\d+: expected '\)'/);
  assert.match(errorOf('sequence [process where true]'), /needs at least 2 queries/);
  assert.match(errorOf('sequence by a [process where true] [file where true] by b'), /same number of join keys/);
});

test('regex needing a character beyond ASCII (modifier letters): ASCII values never match, others as RE2 answers, in lists and numbers too', () => {
  const re = '""".*[ʰ-˿ᴬ-ᶻ]+.*"""';
  const long = `cmd.exe /c ${'x'.repeat(400)}`;
  assert.equal(one(`process.command_line regex ${re}`, { process: { command_line: long } }), false);
  assert.equal(one(`process.command_line regex ${re}`, { process: { command_line: `${long} /ᶜ` } }), true);
  assert.equal(one(`process.command_line regex ${re}`, { process: { command_line: 'net ʰuser' } }), true);
  assert.equal(one(`process.command_line regex ${re}`, { process: { command_line: 'net é user' } }), false);
  assert.equal(one(`process.args regex ${re}`, { process: { args: ['a', 'bᴬ'] } }), true);
  assert.equal(one(`process.args regex ${re}`, { process: { args: ['a', 12] } }), false);
  // Case-insensitive: the screen is not used (folding maps the Kelvin sign to k), RE2 answers.
  assert.equal(one('process.name regex~ """[\u212a]"""', { process: { name: 'k' } }), true);
  assert.equal(one('process.name regex """[\u212a]"""', { process: { name: 'k' } }), false);
  assert.equal(one('process.name regex """[\u212a]"""', { process: { name: '\u212a' } }), true);
});
