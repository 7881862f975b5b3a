/**
 * The SPL backend: exact text for the main shapes, and a round trip (SPL -> tree -> SPL -> tree)
 * that must give back the same tree for every construct the lowering reads.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printRuleSpl, printSpl, SplPrintError } from '../../../src/backends/spl/index.js';
import { pred, type Detection, type Rule } from '../../../src/model/index.js';
import { canonicalize } from '../../../src/taxonomy/pipeline.js';
import { lower } from '../../formats/spl/helpers.js';
import { canon } from '../../formats/splunk/fidelity.js';

test('SPL printer: the search language where it can, | where for the rest', () => {
  const d: Detection = {
    kind: 'and', children: [
      pred('Processes.process_name', 'eq', ['cmd.exe', 'powershell.exe'], { cased: false }),
      pred('Processes.process', 'contains', ['-enc'], { cased: false }),
      pred('EventCode', 'eq', [4688], { cased: false }),
      { kind: 'not', child: pred('user', 'ends_with', ['$'], { cased: false }) },
      pred('process', 'regex_match', ['gpupdate\\.exe$'], { cased: false, regexFlags: 'i' }),
      pred('parent_process_name', 'ne', ['process_name'], { cased: true, fieldref: true }),
      pred('src_ip', 'cidr', ['10.0.0.0/8']),
      pred('count', 'gt', [5], { cased: true }),
    ],
  };
  assert.equal(printSpl(d),
    'Processes.process_name IN ("cmd.exe", "powershell.exe") Processes.process="*-enc*" EventCode=4688 NOT user="*$"'
    + ' | where match(process, "(?i)gpupdate\\\\.exe$") AND parent_process_name!=process_name AND cidrmatch("10.0.0.0/8", src_ip) AND count>5');
  assert.equal(printSpl(pred('Image', 'eq', ['C:\\Windows\\x.exe'], { cased: true })), 'Image=CASE("C:\\\\Windows\\\\x.exe")');
  assert.equal(printSpl(undefined), '*');
  assert.equal(printSpl(pred('process_name', 'eq', ['a']), { selector: pred('index', 'eq', ['main']) }), 'index="main" process_name="a"');
  assert.equal(printSpl(pred('Image', 'ends_with', ['\\x.exe']), { fieldName: () => 'process_path' }), 'process_path="*\\\\x.exe"');
});

test('SPL printer: a condition that was never read cannot be printed', () => {
  const d: Detection = { kind: 'and', children: [pred('a', 'eq', ['1']), { kind: 'not', child: { kind: 'unknown', text: 'new_ace IN (old_values)', reason: 'in() over computed values' } }] };
  assert.throws(() => printSpl(d), (e: unknown) => e instanceof SplPrintError && e.condition === 'new_ace IN (old_values)');
});

test('SPL printer: values the search language cannot write go to | where (literal *, one-character wildcards)', () => {
  assert.equal(printSpl(pred('f', 'eq', ['a*b'], { cased: false })), '* | where lower(f)="a*b"');
  assert.equal(printSpl(pred('f', 'wildcard', ['a?b*'], { cased: true })), '* | where like(f, "a_b%")');
  assert.equal(printSpl(pred('f', 'contains', ['50%'], { cased: true })), 'f=CASE("*50%*")');
  // (?s): a glob's ? and * match a line break, a regex's . only with s
  assert.equal(printSpl(pred('f', 'wildcard', ['a?b_'], { cased: true })), '* | where match(f, "(?s)^a.b_$")');
  assert.equal(printSpl(pred('f', 'wildcard', ['a?b_'], { cased: false })), '* | where match(f, "(?is)^a.b_$")');
});

const ROUND_TRIPS = [
  'Processes.process_name=cmd.exe Processes.process IN ("*-enc*", "*-e *") NOT Processes.user=SYSTEM',
  'EventCode=4688 (New_Process_Name="*\\\\rundll32.exe" OR Process_Command_Line="*javascript:*") user!=admin$',
  'a=* NOT b=* c>5 d<=-3 "keyword one" CASE(MixedCase) e=CASE(Abc) f!=CASE(x*)',
  'x=a* y=*b z=a*b*c w="" | where like(p, "%x%") AND NOT like(q, "a_b") AND lower(r)="v"',
  '| where match(process, "(?i)^cmd") OR cidrmatch("10.0.0.0/8", src) OR isnull(user) OR x=y OR lower(x)=z',
  '| where f IN ("a", "b") AND NOT g IN (1, 2) AND h="A*" AND i!="b" AND j=true()',
  'index=main sourcetype=x | regex process="\\\\d{3}" | regex cmd!="(?i)foo\\\\\\\\bar\\"q"',
  '| where searchmatch("a=b c=*d*") AND (count > 10 OR dc_user >= 3)',
];

test('SPL printer: SPL -> tree -> SPL -> tree gives back the same tree', () => {
  for (const q of ROUND_TRIPS) {
    const tree = lower(q);
    const printed = printSpl(tree);
    assert.equal(canon(lower(printed)), canon(tree), `${q}\n  printed: ${printed}`);
  }
});

test('SPL printer: a canonicalized Splunk rule prints its authored fields, operators and values again', () => {
  const query = 'Processes.process_name=cmd.exe Processes.process_name!=conhost.exe Processes.process_name=rund* Processes.process="*-enc*"';
  const tree = lower(query)!;
  const rule: Rule = {
    id: 'r', title: 'r', vendor: 'splunk', path: 'r.yml', references: [], falsePositives: [], tags: [], techniques: [], tactics: [],
    logsource: { product: 'windows' }, type: 'TTP', language: 'spl', fields: [], extra: {}, detection: tree,
  };
  const canonical = canonicalize(rule);
  assert.ok(JSON.stringify(canonical.detection).includes('"field":"Image","authoredField":"Processes.process_name","op":"ends_with"'), 'derived onto Image');
  assert.equal(printRuleSpl(canonical), 'Processes.process_name="cmd.exe" Processes.process_name!="conhost.exe" Processes.process_name="rund*" Processes.process="*-enc*"');
  assert.equal(canon(lower(printRuleSpl(canonical))), canon(tree));
});
