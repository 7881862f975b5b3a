import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CallToolResultSchema, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { MAX_RESULT_CHARS } from '../../src/mcp/paging.js';
import { fullCatalog } from '../helpers/full-catalog.js';
import { sharedDir } from '../helpers/shared.js';

/**
 * `detectory mcp` as a child process, driven by the SDK's client over stdio, on the full shared
 * catalog. Scan may read only the regression folder of one Sigma rule (--allow).
 */
const shared = sharedDir();
const REGRESSION = 'conformance/sigma-regression/regression_data/rules/windows/process_creation/proc_creation_win_amsi_registry_tampering';
const AMSI_RULE = '7dbbcac2-57a0-45ac-b306-ff30a8bd2981';
let client: Client;
let stderr = '';

before(async () => {
  if (!shared) return;
  const db = await fullCatalog(shared);
  const transport = new StdioClientTransport({
    command: process.execPath, args: [join(PACKAGE_ROOT, 'bin', 'detectory.js'), 'mcp', '--db', db, '--allow', join(shared, REGRESSION)],
    stderr: 'pipe',
  });
  transport.stderr?.on('data', (b: Buffer) => void (stderr += b.toString()));
  client = new Client({ name: 'detectory-test', version: '1' });
  await client.connect(transport);
});

after(async () => {
  await client?.close();
});

async function call(name: string, args: Record<string, unknown>): Promise<CallToolResult> {
  return await client.callTool({ name, arguments: args }) as CallToolResult;
}

/** The structured result of a call that must succeed (JSON navigated freely by the assertions). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function ok(name: string, args: Record<string, unknown>): Promise<Record<string, any>> {
  const r = await call(name, args);
  assert.ok(!r.isError, `${name}: ${JSON.stringify(r.content).slice(0, 300)} ${stderr}`);
  assert.ok(r.structuredContent, `${name} has structured content`);
  // the text form is the same object, for clients that read text only
  assert.deepEqual(JSON.parse((r.content[0] as { text: string }).text), r.structuredContent);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  return r.structuredContent as Record<string, any>;
}

const skip = (t: { skip(m: string): void }): boolean => {
  if (!shared) t.skip('DETECTORY_SHARED is not set: the MCP tests need the full shared catalog');
  return !shared;
};

test('lists its tools with typed input schemas, and no EQL tool while the EQL engine is absent', async (t) => {
  if (skip(t)) return;
  const { tools } = await client.listTools();
  const names = tools.map((x) => x.name).sort();
  assert.deepEqual(names, ['attack_diff', 'attack_history', 'attack_object', 'convert_rule', 'coverage', 'coverage_gaps', 'eql_query', 'rule_detail', 'scan', 'search', 'technique_guide']);
  const guide = tools.find((x) => x.name === 'technique_guide')!;
  assert.deepEqual(guide.inputSchema.required, ['technique']);
  assert.equal((guide.inputSchema.properties as Record<string, { type: string }>).technique.type, 'string');
  for (const tool of tools) assert.equal(tool.annotations?.readOnlyHint, true, tool.name);
});

test('search, guide, rule detail, ATT&CK object and history on the full catalog', async (t) => {
  if (skip(t)) return;
  const s = await ok('search', { query: 'pubprn' });
  assert.ok(s.attack.some((a: { id: string }) => a.id === 'T1216.001'));
  assert.ok(s.rules.length > 0);

  const g = await ok('technique_guide', { technique: 'T1216' });
  assert.equal(g.technique.id, 'T1216');
  assert.ok(g.indicators.some((i: { value: string }) => i.value.includes('pubprn.vbs')), 'T1216 guide names pubprn.vbs');
  assert.ok(g.rules.total > 0);

  const h = await ok('attack_history', { id: 'AN1288' });
  const by = Object.fromEntries(h.releases.map((r: { release: string; change: string }) => [r.release, r.change]));
  assert.deepEqual(by, { '17.1': 'absent', '18.0': 'added', '18.1': 'changed' });

  const o = await ok('attack_object', { id: 'T1216' });
  assert.equal(o.object.id, 'T1216');
  assert.ok(o.subtechniques.some((x: { id: string }) => x.id === 'T1216.001'));

  const r = await ok('rule_detail', { vendor: 'sigma', id: AMSI_RULE });
  assert.equal(r.rule.id, AMSI_RULE);
  assert.ok(r.rule.predicates.length > 0);
  assert.ok(Array.isArray(r.rule.losses));
  assert.ok(Array.isArray(r.similar));
});

test('a rule under a revoked technique id says so and names the replacement', async (t) => {
  if (skip(t)) return;
  const d = await ok('attack_diff', { from: '18.0', to: '18.1', limit: 500 });
  const dll = d.rules.find((x: { technique_id: string }) => x.technique_id === 'T1574.002');
  assert.ok(dll, 'T1574.002 among the rules to update');
  assert.equal(dll.replaced_by.id, 'T1574.001');
  const rule = dll.rules[0];
  const r = await ok('rule_detail', { vendor: rule.vendor, id: rule.id });
  const tech = r.techniques.find((x: { id: string }) => x.id.toUpperCase() === 'T1574.002');
  assert.equal(tech.status, 'revoked');
  assert.equal(tech.replaced_by.id, 'T1574.001');
});

test('coverage per tactic and vendor, one tactic, and log-source gaps of an analytic', async (t) => {
  if (skip(t)) return;
  const c = await ok('coverage', {});
  assert.equal(c.release, '18.1');
  assert.ok(c.tactics.some((x: { shortname: string; covered: number }) => x.shortname === 'defense-evasion' && x.covered > 0));
  assert.deepEqual(Object.keys(c.by_vendor).sort(), ['elastic', 'sigma', 'splunk']);
  const one = await ok('coverage', { tactic: 'TA0005', vendor: 'sigma' });
  assert.equal(one.tactic.shortname, 'defense-evasion');
  assert.ok(one.techniques.some((x: { id: string; rules: number }) => x.id === 'T1216' && x.rules > 0));
  const gaps = await ok('coverage_gaps', { id: 'AN1288' });
  assert.equal(gaps.id, 'AN1288');
  assert.ok(gaps.telemetry.length > 0);
  for (const g of gaps.gaps) assert.equal(g.rules, 0);
});

test('convert prints a rule in each target, and says why a rule without a tree cannot be printed', async (t) => {
  if (skip(t)) return;
  const printed: string[] = [];
  for (const target of ['eql', 'kql', 'lucene', 'esql', 'spl']) {
    const c = await ok('convert_rule', { vendor: 'sigma', id: AMSI_RULE, target });
    assert.equal(c.target, target);
    if (c.ok) {
      assert.match(c.text, /amsi/i, target);
      printed.push(target);
    } else assert.ok(c.reason.length > 0, target);
  }
  assert.ok(printed.includes('eql') && printed.includes('spl'), printed.join(','));
  // the rule's values are case-insensitive, which KQL cannot say: the reason, not a wrong query
  const kql = await ok('convert_rule', { vendor: 'sigma', id: AMSI_RULE, target: 'kql' });
  assert.equal(kql.ok, false);
  assert.match(kql.reason, /case/);
  const ml = await ok('convert_rule', { vendor: 'elastic', id: '78d3d8d9-b476-451d-a9e0-7a5addd70670', target: 'kql' });
  assert.equal(ml.ok, false);
  assert.match(ml.reason, /no predicate tree/);
});

test('scan runs a catalog rule over an allowed event file; a path outside the allowed folders is refused', async (t) => {
  if (skip(t)) return;
  const evtx = join(shared!, REGRESSION, `${AMSI_RULE}.evtx`);
  const s = await ok('scan', { events: [evtx], rules: [`sigma/${AMSI_RULE}`] });
  assert.equal(s.summary.rules_loaded >= 1, true);
  assert.equal(s.alerts.length, 1);
  assert.equal(s.alerts[0].rule.id, AMSI_RULE);

  const outside = join(shared!, 'evtx', 'EVTX-ATTACK-SAMPLES');
  const refused = await call('scan', { events: [outside], rules: [`sigma/${AMSI_RULE}`] });
  assert.equal(refused.isError, true);
  assert.match((refused.content[0] as { text: string }).text, /refused: outside the allowed folders/);
  const dotdot = await call('scan', { events: [join(shared!, REGRESSION, '..', '..')], rules: [`sigma/${AMSI_RULE}`] });
  assert.equal(dotdot.isError, true);
});

test('eql_query runs an EQL query over an allowed file; a bad query is one error with its position; outside paths are refused', async (t) => {
  if (skip(t)) return;
  const evtx = join(shared!, REGRESSION, `${AMSI_RULE}.evtx`);
  const r = await ok('eql_query', { query: 'process where process.command_line : "*amsi*"', events: [evtx] });
  assert.equal(r.kind, 'event');
  assert.equal(r.summary.events, 1);
  assert.equal(r.matches.length, 1);
  assert.equal(r.matches[0].record_id, 16094);
  assert.match(JSON.stringify(r.matches[0].event.process.command_line), /amsi/i);
  const none = await ok('eql_query', { query: 'process where process.name == "nothing.exe"', events: [evtx] });
  assert.equal(none.matches.length, 0);
  const bad = await call('eql_query', { query: 'process where process.name ==', events: [evtx] });
  assert.equal(bad.isError, true);
  assert.match((bad.content[0] as { text: string }).text, /query:1:\d+/);
  const outside = await call('eql_query', { query: 'any where true', events: [join(shared!, 'evtx', 'EVTX-ATTACK-SAMPLES')] });
  assert.equal(outside.isError, true);
  assert.match((outside.content[0] as { text: string }).text, /refused: outside the allowed folders/);
});

test('an oversize result is paged and the pages join up', async (t) => {
  if (skip(t)) return;
  const first = await ok('attack_diff', { from: '17.1', to: '18.1' });
  assert.ok(JSON.stringify(first).length <= MAX_RESULT_CHARS);
  const total = first.paging.lists['analytics.added'];
  assert.ok(total > 1000, `analytics added: ${total}`);
  assert.ok(first.paging.next_cursor);
  const seen: string[] = first.analytics.added.map((x: { id: string }) => x.id);
  let cursor: string | undefined = first.paging.next_cursor;
  for (let i = 0; cursor && i < 200; i++) {
    const p = await ok('attack_diff', { from: '17.1', to: '18.1', cursor, limit: first.paging.limit });
    seen.push(...p.analytics.added.map((x: { id: string }) => x.id));
    cursor = p.paging.next_cursor;
  }
  assert.equal(cursor, undefined);
  assert.equal(seen.length, total);
  assert.equal(new Set(seen).size, total);
});

test('resources by URI and completions of technique ids and field names', async (t) => {
  if (skip(t)) return;
  const g = await client.readResource({ uri: 'detectory://techniques/T1216' });
  assert.match((g.contents[0] as { text: string }).text, /pubprn\.vbs/);
  const r = await client.readResource({ uri: `detectory://rules/sigma/${AMSI_RULE}` });
  assert.equal(JSON.parse((r.contents[0] as { text: string }).text).rule.id, AMSI_RULE);
  const tc = await client.complete({ ref: { type: 'ref/resource', uri: 'detectory://techniques/{id}' }, argument: { name: 'id', value: 'T121' } });
  assert.ok(tc.completion.values.includes('T1216.001'));
  assert.ok(tc.completion.values.every((v) => v.startsWith('T121')));
  const fc = await client.complete({ ref: { type: 'ref/resource', uri: 'detectory://fields/{field}' }, argument: { name: 'field', value: 'CommandL' } });
  assert.ok(fc.completion.values.includes('CommandLine'));
});

test('a malformed call gets a JSON-RPC error and the server keeps serving', async (t) => {
  if (skip(t)) return;
  // tools/call without a tool name: the request itself is invalid
  await assert.rejects(client.request({ method: 'tools/call', params: { arguments: {} } } as never, CallToolResultSchema),
    (e: unknown) => e instanceof McpError && e.code < 0 && /name/.test(e.message));
  await assert.rejects(client.request({ method: 'no/such/method', params: {} } as never, CallToolResultSchema),
    (e: unknown) => e instanceof McpError && e.code === -32601);
  await assert.rejects(client.readResource({ uri: 'detectory://nothing/here' }), (e: unknown) => e instanceof McpError);
  // arguments that fail the input schema: a tool error naming the problem
  const bad = await call('technique_guide', { technique: 12 });
  assert.equal(bad.isError, true);
  assert.match((bad.content[0] as { text: string }).text, /technique/);
  const s = await ok('search', { query: 'mimikatz' });
  assert.ok(s.rules.length > 0, 'still serving');
});
