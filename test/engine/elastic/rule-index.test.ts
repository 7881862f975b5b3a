/** Dispatch of events to Elastic rules by required values: the needs read from filters, the index, and equal alerts with and without it. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Alert } from '../../../src/engine/alert.js';
import { ElasticRunner } from '../../../src/engine/elastic/runner.js';
import { detectionNeeds, eqlNeeds, literalKey, pickNeed, valueKeys } from '../../../src/engine/elastic/required-values.js';
import type { Required } from '../../../src/engine/elastic/required-values.js';
import { RuleIndex, sortSmall } from '../../../src/engine/elastic/rule-index.js';
import { compileDetection } from '../../../src/engine/elastic/detection-eval.js';
import { lowerKql, parse as parseKql } from '../../../src/formats/kql/index.js';
import { listRuleFiles, loadElasticRules } from '../../../src/engine/rules.js';
import { listEventFiles, readEventFile } from '../../../src/events/read.js';
import type { EventQuery } from '../../../src/formats/eql/ast.js';
import { parse } from '../../../src/formats/eql/parser.js';
import { compileEql } from '../../../src/engine/eql/analyze.js';
import { runEql } from '../../../src/engine/eql/execute.js';
import type { Problem } from '../../../src/model/index.js';
import { requireShared } from '../../helpers/shared.js';

function eventQuery(text: string): EventQuery {
  const r = parse(text);
  assert.ok(r.ok && r.value.body.type === 'event');
  return r.value.body as EventQuery;
}

const text = (r: Required): string => `${r.path.join('.')}${r.exists ? '?' : r.contains ? '~' : '='}${r.keys.join(',')}`;
const show = (q: string): string[] => (pickNeed(eqlNeeds(eventQuery(q))) ?? []).map(text);
/** The picked need with each alternative's second need: `first & second|second`. */
const showPairs = (q: string): string[] => (pickNeed(eqlNeeds(eventQuery(q))) ?? []).map((r) => (r.also ? `${text(r)} & ${r.also.map(text).join('|')}` : text(r)));

test('required values: conjuncts of ==, in and plain :, an OR whose every branch has one; wildcards, negations and CIDR are not equalities', () => {
  assert.deepEqual(show('process where host.os.type == "windows" and process.name : ("A.exe", "b.exe")'), ['process.name=a.exe,b.exe']);
  assert.deepEqual(show('process where process.name : "a*.exe" and event.code == "1"'), ['event.code=1']);
  assert.deepEqual(show('process where process.name : "a*.exe"'), ['event.category=process']);
  assert.deepEqual(show('any where process.name : "a*.exe"'), []);
  assert.deepEqual(show('any where not process.name : "a.exe"'), []);
  assert.deepEqual(show('any where process.name != "a.exe"'), []);
  assert.deepEqual(show('any where source.ip : "10.0.0.0/8"'), []);
  assert.deepEqual(show('any where process.name in ("a.exe") or ?process.pe.original_file_name == "A.EXE"'), ['process.name=a.exe', 'process.pe.original_file_name=a.exe']);
  assert.deepEqual(show('any where process.name in ("a.exe") or process.args : "*x*"'), []);
  // Wildcard, like and regex lists: the longest literal piece of each pattern (5+ characters, or one beyond ASCII).
  assert.deepEqual(show('process where process.executable : ("?:\\\\PerfLogs\\\\*.exe", "*\\\\Users\\\\Public\\\\*")'), ['process.executable~:\\perflogs\\,\\users\\public\\']);
  assert.deepEqual(show('any where file.name : "*\u202e*"'), ['file.name~\u202e']);
  assert.deepEqual(show('any where process.name like~ ("Power*.EXE")'), ['process.name~power']);
  assert.deepEqual(show('any where file.path regex~ """[A-Z]:\\\\Windows\\\\Temp\\\\.+"""'), ['file.path~:\\windows\\temp\\']);
  // A pattern without such a piece, a negated list, or a plain value that could be a CIDR range or a number: no need.
  assert.deepEqual(show('any where process.name : ("*.exe", "*\\\\svchost*")'), []);
  assert.deepEqual(show('any where not process.executable : "*\\\\Temp\\\\*"'), []);
  assert.deepEqual(show('any where destination.ip : ("10.0.0.0/8", "*evil*")'), []);
  // An equality beats a contains need, a contains need beats the category.
  assert.deepEqual(show('process where process.executable : "*\\\\Temp\\\\*" and process.name == "x.exe"'), ['process.name=x.exe']);
  assert.deepEqual(show('process where process.executable : "*\\\\Temp\\\\*"'), ['process.executable~\\temp\\']);
  // Number literals key as their canonical text; a `:` value with a slash is an equality unless it is a CIDR range.
  assert.deepEqual(show('process where process.parent.pid == 4 and event.type == "start"'), ['process.parent.pid=4']);
  assert.deepEqual(show('process where process.args_count in (1, 2.0)'), ['process.args_count=1,2']);
  assert.deepEqual(show('process where process.args : "/autoclean" and process.args : "/d"'), ['process.args=/autoclean']);
  assert.deepEqual(show('process where process.args : ("10.0.0.0/8", "/d")'), ['event.category=process']);
  // A boolean keys as its name (a string spelling it equals it); `:` with a boolean is no equality.
  assert.deepEqual(show('process where process.parent.pid == true'), ['process.parent.pid=true']);
  assert.deepEqual(show('process where process.name : "a.exe" or ?process.code_signature.trusted == false'), ['process.name=a.exe', 'process.code_signature.trusted=false']);
  // `field != null`: the field must have a value (ranked after the category, before host.os.type).
  assert.deepEqual(show('process where process.name regex~ """[a-z0-9]\\.exe""" and process.pe.original_file_name != null'), ['event.category=process']);
  assert.deepEqual(show('any where host.os.type == "windows" and process.pe.original_file_name != null'), ['process.pe.original_file_name?']);
  assert.deepEqual(show('process where process.name == "a.exe" and ?process.pe.original_file_name != null'), ['process.name=a.exe']);
  assert.deepEqual(show('process where process.pe.original_file_name != "x"'), ['event.category=process']);
  assert.deepEqual(show('process where not process.pe.original_file_name != null'), ['event.category=process']);
  // Long literal lists are keyed too (a rule lists hundreds of signers).
  const many = Array.from({ length: 300 }, (_, i) => `"Signer ${i}"`).join(', ');
  assert.equal(show(`process where process.code_signature.subject_name in (${many})`)[0]?.split(',').length, 300);
  // A non-canonical numeric string equals a number by value ("04688" == 4688): not keyed.
  assert.equal(literalKey('04688'), undefined);
  assert.equal(literalKey('4688'), '4688');
  assert.equal(literalKey(4688), '4688');
});

test('required values: a second need, on another field before the category and event.type, never host.os.type', () => {
  assert.deepEqual(showPairs('process where host.os.type == "windows" and event.type == "start" and process.name : "a.exe" and process.parent.name : "b.exe"'), [
    'process.name=a.exe & process.parent.name=b.exe',
  ]);
  assert.deepEqual(showPairs('process where host.os.type == "windows" and event.type == "start" and process.name : ("a.exe", "b.exe")'), ['process.name=a.exe,b.exe & event.category=process']);
  assert.deepEqual(showPairs('process where host.os.type == "windows" and process.executable : "*\\\\Temp\\\\*"'), ['process.executable~\\temp\\ & event.category=process']);
  assert.deepEqual(showPairs('any where host.os.type == "windows" and process.name : "a.exe"'), ['process.name=a.exe']);
  // An OR whose branches have their own pairs keeps them; the rule-level second need goes to the others.
  assert.deepEqual(showPairs('process where (process.name : "a.exe" and process.args : "x") or (process.name : "b.exe" and file.name : "y")'), [
    'process.name=a.exe & process.args=x',
    'process.name=b.exe & file.name=y',
  ]);
  // ... unless the rule's own second need ranks before theirs: the parent names before the arguments.
  assert.deepEqual(showPairs('process where process.parent.name : ("p.exe", "q.exe") and ((process.name : "cmd.exe" and process.args : "/c") or (process.name : "net.exe" and process.args : "/add"))'), [
    'process.name=cmd.exe & process.parent.name=p.exe,q.exe',
    'process.name=net.exe & process.parent.name=p.exe,q.exe',
  ]);
  assert.deepEqual(showPairs('process where process.args : "/x" and ((process.name : "cmd.exe" and process.parent.name : "p.exe") or (process.name : "net.exe" and process.parent.name : "q.exe"))'), [
    'process.name=cmd.exe & process.parent.name=p.exe',
    'process.name=net.exe & process.parent.name=q.exe',
  ]);
  assert.deepEqual(showPairs('process where (process.name : "a.exe" or dll.name : "b.dll") and event.type : "start"'), [
    'process.name=a.exe & event.category=process',
    'dll.name=b.dll & event.category=process',
  ]);
  // A second need's alternatives have no second need of their own (the index reads one level).
  const nested = pickNeed(eqlNeeds(eventQuery('process where event.code == "1" and ((process.name : "a.exe" and process.args : "x") or (process.name : "b.exe" and file.name : "y"))')));
  assert.deepEqual(nested?.map(text), ['event.code=1']);
  assert.deepEqual(nested?.[0].also?.map(text), ['process.name=a.exe', 'process.name=b.exe']);
  assert.ok(nested?.[0].also?.every((r) => r.also === undefined));
});

test('rule index: a rule filed with a second need is a candidate only when the event meets both', () => {
  const idx = new RuleIndex();
  const second: Required[] = [{ path: ['process', 'parent', 'name'], keys: ['b.exe'] }, { path: ['process', 'args'], keys: ['-enc'], contains: true }];
  idx.add(0, [
    { path: ['process', 'name'], keys: ['a.exe'], also: second },
    { path: ['file', 'name'], keys: ['a.exe'], also: second },
  ]);
  idx.add(1, [{ path: ['process', 'name'], keys: ['a.exe'] }]);
  // Two stages (a sequence), each with its own pair, and a single alternative.
  idx.add(2, [
    { path: ['event', 'code'], keys: ['1'], also: [{ path: ['process', 'name'], keys: ['c.exe'] }] },
    { path: ['event', 'code'], keys: ['10'], also: [{ path: ['process', 'pe', 'original_file_name'], keys: [], exists: true }] },
    { path: ['dll', 'name'], keys: ['x.dll'] },
  ]);
  assert.deepEqual([...idx.candidates({ process: { name: 'A.exe' } })], [1]);
  assert.deepEqual([...idx.candidates({ process: { parent: { name: 'b.exe' } } })], []);
  assert.deepEqual([...idx.candidates({ process: { name: 'A.exe', parent: { name: 'B.EXE' } } })], [0, 1]);
  assert.deepEqual([...idx.candidates({ process: { args: ['x', 'y -ENC z'] }, file: { name: 'a.exe' } })], [0]);
  assert.deepEqual([...idx.candidates({ process: { name: 'a.exe', args: '-enc', parent: { name: 'b.exe' } }, file: { name: 'a.exe' } })], [0, 1]);
  assert.deepEqual([...idx.candidates({ event: { code: 1 }, process: { name: 'c.exe' } })], [2]);
  assert.deepEqual([...idx.candidates({ event: { code: 1 }, process: { name: 'a.exe', pe: { original_file_name: 'x' } } })], [1]);
  assert.deepEqual([...idx.candidates({ event: { code: '10' }, process: { pe: { original_file_name: 'x' } } })], [2]);
  assert.deepEqual([...idx.candidates({ event: { code: '10' }, process: { name: 'c.exe' } })], []);
  assert.deepEqual([...idx.candidates({ dll: { name: 'X.dll' } })], [2]);
  // A second need's field that fails to read counts as met (the rule meets the error itself).
  const hostile = { process: Object.defineProperty({ name: 'a.exe' }, 'parent', { get: () => { throw new Error('bad'); }, enumerable: true }) };
  assert.deepEqual([...idx.candidates(hostile)], [0, 1]);
  // The same second need answers once per event (its answer is not carried over to the next).
  assert.deepEqual([...idx.candidates({ process: { name: 'a.exe', parent: { name: 'c.exe' } }, file: { name: 'a.exe' } })], [1]);
  // Alternatives read back from JSON (no shared second need object) give the same candidates.
  const copy = new RuleIndex();
  copy.add(0, JSON.parse(JSON.stringify([
    { path: ['process', 'name'], keys: ['a.exe'], also: second },
    { path: ['file', 'name'], keys: ['a.exe'], also: second },
  ])) as Required[]);
  assert.deepEqual([...copy.candidates({ process: { name: 'A.exe' } })], []);
  assert.deepEqual([...copy.candidates({ process: { args: '-enc' }, file: { name: 'a.exe' } })], [0]);
});

test('rule index: an event meets the rules filed under its values and the unindexed ones, in rule order', () => {
  const idx = new RuleIndex();
  idx.add(0, [{ path: ['event', 'code'], keys: ['4688'] }]);
  idx.add(1, undefined);
  idx.add(2, [{ path: ['process', 'name'], keys: ['cmd.exe'] }, { path: ['event', 'code'], keys: ['4688'] }]);
  idx.add(3, [{ path: ['process', 'name'], keys: ['x.exe'] }]);
  assert.deepEqual([...idx.candidates({ event: { code: '4688' }, process: { name: 'CMD.EXE' } })], [0, 1, 2]);
  assert.deepEqual([...idx.candidates({ event: { code: 4688 } })], [0, 1, 2]);
  assert.deepEqual([...idx.candidates({ 'event.code': '04688' })], [0, 1, 2]);
  assert.deepEqual([...idx.candidates({ process: { name: ['y.exe', 'X.exe'] } })], [1, 3]);
  assert.deepEqual([...idx.candidates({})], [1]);
  idx.add(4, [{ path: ['process', 'pe', 'original_file_name'], keys: [], exists: true }]);
  assert.deepEqual([...idx.candidates({ process: { pe: { original_file_name: '' } } })], [1, 4]);
  assert.deepEqual([...idx.candidates({ process: { pe: { original_file_name: [0, null] } } })], [1, 4]);
  assert.deepEqual([...idx.candidates({ 'process.pe': { original_file_name: 'x' } })], [1, 4]);
  assert.deepEqual([...idx.candidates({ process: { pe: { original_file_name: [] } } })], [1]);
  assert.deepEqual([...idx.candidates({ process: { pe: {} } })], [1]);
  const keys: string[] = [];
  valueKeys('a'.repeat(100), keys, 10);
  assert.deepEqual(keys, []);
});

test('rule index: contains keys are found anywhere in a value, in any case, in every value of a list and in numbers', () => {
  const idx = new RuleIndex();
  idx.add(0, [{ path: ['process', 'executable'], keys: ['\\temp\\'], contains: true }]);
  idx.add(1, [{ path: ['process', 'name'], keys: ['cmd.exe'] }, { path: ['process', 'args'], keys: ['-enc', '4688'], contains: true }]);
  idx.add(2, undefined);
  assert.deepEqual([...idx.candidates({ process: { executable: 'C:\\Windows\\TEMP\\x.exe' } })], [0, 2]);
  assert.deepEqual([...idx.candidates({ process: { executable: 'C:\\Windows\\x.exe', args: ['a', 'x -ENC y'] } })], [1, 2]);
  assert.deepEqual([...idx.candidates({ process: { args: 146880 } })], [1, 2]);
  assert.deepEqual([...idx.candidates({ 'process.executable': 'c:\\temp\\a' })], [0, 2]);
  assert.deepEqual([...idx.candidates({ process: { executable: 'C:\\tem\\p', name: 'CMD.exe' } })], [1, 2]);
  assert.deepEqual([...idx.candidates({})], [2]);
});

test('rule index: all Windows Elastic rules over EVTX-ATTACK-SAMPLES give the same alerts (events and matched values) with and without the index', async (t) => {
  const shared = requireShared(t, 'the Elastic corpus and EVTX-ATTACK-SAMPLES');
  if (!shared) return;
  const problems: Problem[] = [];
  const rules = loadElasticRules(listRuleFiles([join(shared, 'corpora', 'elastic', 'rules', 'windows')], problems), problems);
  const seen = (index: boolean): { runner: ElasticRunner; alerts: string[] } => {
    const alerts: string[] = [];
    // The values alerts show are compared too: dispatch must change nothing of what an alert says.
    const runner = new ElasticRunner(rules, (a: Alert) => alerts.push(`${a.rule.id} ${(a.events ?? [a.event]).map((e) => `${e.file}#${e.record_id}`).join(' ')} ${JSON.stringify(a.matched)}`), (p) => alerts.push(`problem ${p.message}`), undefined, { index });
    return { runner, alerts };
  };
  const fast = seen(true);
  const full = seen(false);
  assert.ok(fast.runner.size > 300, `rules run: ${fast.runner.size}`);
  const { files } = listEventFiles([join(shared, 'evtx', 'EVTX-ATTACK-SAMPLES')], () => {});
  for (const f of files) {
    for await (const batch of readEventFile(f, () => {})) {
      for (const rec of batch) {
        fast.runner.push(rec);
        full.runner.push(rec);
      }
    }
  }
  fast.runner.finish();
  full.runner.finish();
  assert.ok(full.alerts.length > 100, `alerts without the index: ${full.alerts.length}`);
  assert.deepEqual(fast.alerts, full.alerts);
});

test('sortSmall: ascending in place, short lists (insertion) and long ones', () => {
  let seed = 7;
  const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) % 500;
  for (const n of [0, 1, 2, 5, 31, 32, 33, 100]) {
    const a = Array.from({ length: n }, rand);
    const want = [...a].sort((x, y) => x - y);
    sortSmall(a);
    assert.deepEqual(a, want, `length ${n}`);
  }
  const dup = [3, 1, 3, 2, 1];
  sortSmall(dup);
  assert.deepEqual(dup, [1, 1, 2, 3, 3]);
});

test('rule index: a number or slash equality, alone or in a pair, never leaves out an event the query matches', () => {
  const queries = [
    'process where process.parent.pid == 4',
    'process where process.args_count in (1, 2)',
    'process where process.args : "/autoclean"',
    'process where process.pid == 0',
    'any where process.args != null',
    'any where ?process.parent.pid != null',
    // Pairs: the second need on a number, a slash value or a field having a value.
    'process where process.parent.pid == 4 and process.args : "/autoclean"',
    'process where process.args_count in (1, 2) and ?process.parent.pid != null',
    'process where process.pid == 0 and process.args != null',
    // Booleans: a boolean value, or a string spelling one in any case.
    'process where process.args == true',
    'process where process.parent.pid in (false, 4) and process.args_count != null',
  ];
  const values: unknown[] = [4, '4', '04', 4.0, '4.0', ' 4', '4e0', 0, -0, '0', '-0', '0x0', true, 'true', 'TRUE', 'False', ['x', 'TrUe'], 1, '1', 2, '2.00', '/AutoClean', '/autoclean', ['x', '/AUTOCLEAN'], [1, 'a'], '', [], false, null];
  for (const q of queries) {
    const need = pickNeed(eqlNeeds(eventQuery(q)));
    assert.ok(need && need[0].path[0] === 'process', `${q}: keyed on a process field`);
    const idx = new RuleIndex();
    idx.add(0, need);
    const plan = compileEql(q);
    assert.ok(plan.ok);
    let matched = 0;
    const fields = ['pid', 'args_count', 'args', 'parent'];
    const set = (process: Record<string, unknown>, field: string, v: unknown): void => {
      process[field] = field === 'parent' ? { pid: v } : v;
    };
    // Documents with one of the fields, and with two of them (a pair's two needs).
    const docs: Array<Record<string, unknown>> = [];
    for (const v of values) {
      for (const [i, field] of fields.entries()) {
        const one: Record<string, unknown> = {};
        set(one, field, v);
        docs.push(one);
        for (const w of values) {
          for (const other of fields.slice(i + 1)) {
            const two: Record<string, unknown> = {};
            set(two, field, v);
            set(two, other, w);
            docs.push(two);
          }
        }
      }
    }
    for (const process of docs) {
      const doc = { event: { category: 'process' }, process };
      const hit = runEql(plan.plan, [{ doc, ts: 0, seq: 0 }]).length > 0;
      if (!hit) continue;
      matched++;
      assert.deepEqual([...idx.candidates(doc)], [0], `${q} on ${JSON.stringify(doc)}`);
    }
    assert.ok(matched >= 2, `${q}: matched ${matched} of the test documents`);
  }
});

test('required values: a short run of punctuation or a literal with a rare character is a contains key; short letter runs and path pieces are not', () => {
  // Alternate data streams at a volume root ("C:\:x"), filed under their category alone before.
  assert.deepEqual(show('any where file.path regex~ """[A-Z]:\\\\:.+"""'), ['file.path~:\\:']);
  assert.deepEqual(showPairs('any where event.category in ("file", "process") and ((event.type == "creation" and file.path regex~ """[A-Z]:\\\\:.+""") or (event.type == "start" and process.executable regex~ """[A-Z]:\\\\:.+"""))'), [
    'file.path~:\\: & event.type=creation',
    'process.executable~:\\: & event.type=start',
  ]);
  // An underscore (`AA_v*.exe`): its piece beats ".exe".
  assert.deepEqual(show('process where process.name : ("AA_v*.exe", "ScreenConnect*.exe")'), ['process.name~aa_v,screenconnect']);
  // Still no key: four letters, a file extension, a drive, two characters.
  assert.deepEqual(show('process where process.name : "abcd*"'), ['event.category=process']);
  assert.deepEqual(show('any where process.name : ("*.exe", "x*")'), []);
  assert.deepEqual(show('any where process.executable : "c:\\\\*"'), []);
  assert.deepEqual(show('any where process.executable : "*::*"'), []);
  assert.deepEqual(show('any where process.executable : "*a_*"'), []);
});

test('required values: the name a path pattern ends with beats a longer directory piece; elsewhere the longest piece', () => {
  // Nearly every DLL path is under ":\\windows\\"; few end in "\\oci.dll".
  assert.deepEqual(show('any where dll.path : "?:\\\\Windows\\\\*\\\\oci.dll"'), ['dll.path~\\oci.dll']);
  assert.deepEqual(show('any where registry.path : "HKLM\\\\SOFTWARE\\\\Microsoft\\\\*\\\\Blob"'), ['registry.path~\\blob']);
  // A name that does not end the pattern, a piece without a separator, or no directory to beat: the longest.
  assert.deepEqual(show('any where file.path : "\\\\Device\\\\HarddiskVolume*\\\\Windows\\\\CodeIntegrity\\\\*"'), ['file.path~\\windows\\codeintegrity\\']);
  assert.deepEqual(show('any where file.name : "SQLDmpr*.mdmp"'), ['file.name~sqldmpr']);
  assert.deepEqual(show('any where file.path : "*\\\\Windows\\\\Temp*\\\\x.dll"'), ['file.path~\\windows\\temp']);
});

test('rule index: short rare literals (punctuation, an underscore) never leave out an event the query matches (EQL regex~ and :, KQL wildcards)', () => {
  const rand = (() => {
    let s = 11;
    return (): number => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return s / 0x7fffffff;
    };
  })();
  const pieces = ['\\OCI.dll', ':\\Windows\\', 'C', 'c', 'Z', ':', '\\', ':\\:', ':\\', '\\:', 'AA_v', 'aa_V', 'a_v', '_', '.exe', '.EXE', 'x', 'stream', 'Aa_V1', '=', '-q=', '..\\', ' '];
  const value = (): string => Array.from({ length: 1 + Math.floor(rand() * 5) }, () => pieces[Math.floor(rand() * pieces.length)]).join('');
  const docs: Array<Record<string, unknown>> = [];
  for (let i = 0; i < 4000; i++) {
    const v = rand() < 0.2 ? [value(), value()] : value();
    docs.push({ event: { category: rand() < 0.5 ? 'file' : 'process', type: rand() < 0.5 ? 'creation' : 'start' }, file: { path: rand() < 0.2 ? `${rand() < 0.5 ? 'c' : 'Z:'}:\\Windows\\${value()}\\OCI.dll${rand() < 0.3 ? value() : ''}` : value() }, process: { executable: value(), name: v, args: value() } });
  }
  const eql = [
    'any where event.category in ("file", "process") and ((event.type == "creation" and file.path regex~ """[A-Z]:\\\\:.+""") or (event.type == "start" and process.executable regex~ """[A-Z]:\\\\:.+"""))',
    'process where process.name : ("AA_v*.exe", "*..\\\\*")',
    'process where process.name like~ "*a_v*" and process.args : "*-q=*"',
    'any where file.path : "?:\\\\Windows\\\\*\\\\oci.dll" and process.name : "*_v*"',
  ];
  const kql = ['process.name : (AA_v*.exe or *..\\\\*)', 'process.executable : *\\:\\\\\\:* and event.type : "start"'];
  const cases: Array<[string, Required[] | undefined, (d: Record<string, unknown>) => boolean]> = [];
  for (const q of eql) {
    const plan = compileEql(q);
    assert.ok(plan.ok, q);
    cases.push([q, pickNeed(eqlNeeds(eventQuery(q))), (doc) => runEql(plan.plan, [{ doc, ts: 0, seq: 0 }]).length > 0]);
  }
  for (const q of kql) {
    const r = parseKql(q);
    assert.ok(r.ok, q);
    const d = lowerKql(r.value);
    cases.push([q, pickNeed(detectionNeeds(d)), compileDetection(d)]);
  }
  for (const [q, need, matches] of cases) {
    // Filed under a contains key of 3 or 4 characters (the category or nothing before), or the name ending a path.
    assert.ok(need?.some((r) => r.contains && r.keys.some((k) => k.length < 5 || k === '\\oci.dll')), `${q}: ${JSON.stringify(need)}`);
    const idx = new RuleIndex();
    idx.add(0, need);
    let matched = 0;
    let met = 0;
    for (const doc of docs) {
      const hit = idx.candidates(doc).length > 0;
      if (hit) met++;
      if (!matches(doc)) continue;
      matched++;
      assert.ok(hit, `${q} on ${JSON.stringify(doc)}`);
    }
    assert.ok(matched >= 5, `${q}: matched ${matched} of the test documents`);
    assert.ok(met < docs.length, `${q}: the index let every document through`);
  }
});
