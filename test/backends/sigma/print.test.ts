import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { printSigmaRule, SigmaPrintError } from '../../../src/backends/sigma/index.js';
import { equivalent, normalForm } from '../../../src/convert/equivalence.js';
import { convertRule } from '../../../src/convert/targets.js';
import { parseSigmaText } from '../../../src/formats/sigma/index.js';
import type { Detection, Rule } from '../../../src/model/index.js';
import { and, not, or, pred } from '../../../src/model/index.js';
import { validateSchema } from '../../helpers/json-schema.js';
import { requireShared } from '../../helpers/shared.js';
import { rule as sigmaRule, procRule, fires, sysmon1 } from '../../helpers/sigma.js';

function ruleOf(detection: Detection, over: Partial<Rule> = {}): Rule {
  return {
    id: '0f2b3c4d-1111-4222-8333-944445555666', title: 'T', vendor: 'elastic', path: 'x.toml', references: [], falsePositives: [],
    tags: ['OS: Windows'], techniques: ['T1059.001'], tactics: ['execution'], logsource: { product: 'windows', category: 'process_creation' },
    type: 'query', language: 'kuery', fields: [], extra: {}, detection, ...over,
  };
}

function back(text: string): Detection {
  const r = parseSigmaText(text, 'back.yml');
  assert.deepEqual(r.problems, [], text);
  return r.rules[0].detection!;
}

test('every operator prints as an item our Sigma reader reads back to the same tree', () => {
  const tree = and([
    pred('Image', 'ends_with', ['\\cmd.exe', '\\pwsh.exe']),
    pred('CommandLine', 'contains', ['a*b', 'c?d', 'e\\f'], { cased: true }),
    pred('ParentImage', 'starts_with', ['C:\\Windows\\']),
    pred('OriginalFileName', 'eq', ['x.exe']),
    pred('TargetFilename', 'wildcard', ['C:\\\\Users\\\\*\\\\x?.dll', 'a\\*b*']),
    pred('CommandLine', 'regex_match', ['^a.*b$'], { regexFlags: 'i' }),
    pred('DestinationIp', 'cidr', ['10.0.0.0/8']),
    pred('DestinationPort', 'gte', [1024]),
    pred('ProcessId', 'eq', [4]),
    pred('User', 'exists', [true]),
    not(pred('Company', 'ne', ['Microsoft'])),
    pred('ParentImage', 'eq', ['Image'], { fieldref: true }),
    pred('IntegrityLevel', 'eq', [null]),
    or([pred('Description', 'contains', ['x']), and([pred('Product', 'eq', ['p']), not(pred('FileVersion', 'starts_with', ['1.']))])]),
    pred(null, 'contains', ['keyword text']),
  ]);
  const text = printSigmaRule(ruleOf(tree, { vendor: 'sigma' }));
  assert.ok(equivalent(back(text), tree), `${text}\n${JSON.stringify(normalForm(back(text)))}\n${JSON.stringify(normalForm(tree))}`);
});

test('Sigma string escaping: a backslash before a wildcard, a literal * or ?, a trailing backslash', () => {
  for (const v of ['C:\\*', 'a\\', 'x\\\\y', '*', '?', 'a\\?b', '\\\\server\\share']) {
    const tree = pred('CommandLine', 'eq', [v]);
    const got = back(printSigmaRule(ruleOf(tree)));
    assert.deepEqual(got.kind === 'pred' ? [got.op, got.values] : got, ['eq', [v]], v);
  }
  // a glob: literal backslash then a wildcard
  const g = pred('TargetFilename', 'wildcard', ['C:\\\\*\\\\a\\*?']);
  assert.ok(equivalent(back(printSigmaRule(ruleOf(g))), g));
});

test('an Elastic tree goes through the taxonomy: process.name is Image|endswith, either separator on a cross-platform rule', () => {
  const d = and([pred('event.category', 'eq', ['process'], { cased: true }), pred('process.name', 'eq', ['bash'], { cased: true })]);
  const win = printSigmaRule(ruleOf(d));
  assert.match(win, /Image\|endswith\|cased: \\bash/);
  const cross = printSigmaRule(ruleOf(d, { tags: ['OS: Linux', 'OS: Windows'], logsource: {} }));
  const doc = parse(cross) as { detection: Record<string, Record<string, unknown>> };
  assert.deepEqual(doc.detection.sel1['Image|endswith|cased'], ['\\bash', '/bash']);
});

test('metadata: tags from ATT&CK ids, schema-constrained fields only when they fit', () => {
  const r = ruleOf(pred('CommandLine', 'contains', ['x']), { date: '2020/02/18', modified: 'yesterday', level: 'high', status: 'production', falsePositives: ['a', 'ok'] });
  const doc = parse(printSigmaRule(r)) as Record<string, unknown>;
  assert.deepEqual(doc.tags, ['attack.t1059.001', 'attack.execution']);
  assert.equal(doc.date, '2020-02-18');
  assert.equal(doc.modified, undefined);
  assert.equal(doc.status, undefined);
  assert.equal(doc.level, 'high');
  assert.deepEqual(doc.falsepositives, ['ok']);
  assert.deepEqual(doc.logsource, { category: 'process_creation', product: 'windows' });
});

test('strings YAML 1.1 or 1.2 reads as booleans or numbers are quoted; both versions read the same document', () => {
  const values = ['yes', 'on', '0755', '1e3', '0o14', '1_000', '0x1F', 'null', '~', '2020-01-01'];
  const text = printSigmaRule(ruleOf(and([pred('CommandLine', 'eq', values), pred('y', 'eq', ['n'])])));
  for (const v of values) assert.match(text, new RegExp(`["']${v.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}["']`), v);
  const d11 = parse(text, { version: '1.1' }) as unknown;
  assert.deepEqual(parse(text, { version: '1.2' }), d11);
  const got: string[] = [];
  const tree = back(text);
  if (tree.kind === 'and') for (const c of tree.children) if (c.kind === 'pred') got.push(`${c.field}=${JSON.stringify(c.values)}`);
  assert.deepEqual(got.sort(), [`CommandLine=${JSON.stringify(values)}`, 'y=["n"]']);
});

test('what Sigma cannot say is not convertible, with the reason', () => {
  const cases: Array<[Detection, RegExp]> = [
    [{ kind: 'unknown', text: 'length(x) > 2', reason: 'computed' }, /unknown nodes/],
    [and([pred('a', 'eq', ['x']), { kind: 'const', value: false }]), /^const/],
    [pred('a', 'gt', ['b'], { fieldref: true }), /^fieldref/],
    [pred('a', 'lt', ['now-5m']), /^range/],
    [pred(null, 'contains', ['x'], { cased: true }), /^keyword/],
    [pred('a', 'regex_match', ['(?<!x)y']), /^regex/],
    [pred('a|b', 'eq', ['x']), /^field/],
  ];
  for (const [d, re] of cases) {
    const c = convertRule(ruleOf(d), 'sigma');
    assert.equal(c.status, 'not-convertible', JSON.stringify(d));
    assert.match(c.reasons[0], re);
  }
  assert.throws(() => printSigmaRule(ruleOf(pred('a', 'eq', ['x']), { sequence: { kind: 'sequence', by: [], stages: [] } })), SigmaPrintError);
  // a constant that folds away is not a loss: `x and true` is x
  assert.equal(convertRule(ruleOf(and([pred('a', 'eq', ['x']), { kind: 'const', value: true }])), 'sigma').status, 'converted');
});

test('encoding modifiers are written again when they read back to the same values', () => {
  const src = sigmaRule(procRule(`  sel:\n    CommandLine|base64offset|contains: 'http://'\n    ParentCommandLine|windash|contains: ' -enc '\n  condition: sel`));
  const text = printSigmaRule(src);
  assert.match(text, /CommandLine\|base64offset\|contains: http:\/\//);
  assert.match(text, /ParentCommandLine\|windash\|contains: " -enc "/);
  assert.ok(equivalent(back(text), src.detection!));
});

test('a converted rule fires on the same event as the original (engine)', () => {
  const src = sigmaRule(procRule(`  sel:\n    Image|endswith: '\\whoami.exe'\n  filter:\n    User|contains: 'SYSTEM'\n  condition: sel and not filter`));
  const again = sigmaRule(printSigmaRule(src));
  for (const data of [{ Image: 'C:\\Windows\\whoami.exe', User: 'bob' }, { Image: 'C:\\Windows\\whoami.exe', User: 'NT AUTHORITY\\SYSTEM' }, { Image: 'C:\\x.exe', User: 'bob' }]) {
    assert.equal(fires(again, sysmon1(data)), fires(src, sysmon1(data)), JSON.stringify(data));
  }
});

test('printed rules validate against the Sigma detection-rule JSON schema', (t) => {
  const shared = requireShared(t, 'the Sigma JSON schema');
  if (!shared) return;
  const schema = JSON.parse(readFileSync(join(shared, 'specs', 'sigma', 'json-schema', 'sigma-detection-rule-schema.json'), 'utf8')) as Record<string, unknown>;
  const doc = parse(printSigmaRule(ruleOf(and([pred('Image', 'ends_with', ['\\a.exe']), pred(null, 'contains', ['k'])]), { references: ['r', 'r'] }))) as unknown;
  assert.deepEqual(validateSchema(schema, doc), []);
  // the checker can fail: a document without a detection, a bad tag
  assert.notDeepEqual(validateSchema(schema, { title: 't', logsource: {} }), []);
  assert.notDeepEqual(validateSchema(schema, { ...(doc as object), tags: ['Attack T1059'] }), []);
});
