/**
 * A scan loads only the modules its rules need: a Sigma-only scan from the rule cache never loads the
 * Elastic runner, the ECS mapping, the EQL engine, the rule parsers or the YAML and TOML libraries
 * (they were a third of a scan's start-up before the scan began). Checked on the real CLI with a
 * module resolve hook that writes every module URL the process resolves.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli, EXAMPLES } from '../helpers/cli.js';

/** Registers a resolve hook that appends each resolved URL to $DETECTORY_TEST_MODULES. */
const HOOK = 'data:text/javascript,' + encodeURIComponent(
  'import { appendFileSync } from "node:fs";' +
  'export async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(process.env.DETECTORY_TEST_MODULES, r.url + "\\n"); return r; }');
const REGISTER = 'data:text/javascript,' + encodeURIComponent(`import { register } from "node:module"; register(${JSON.stringify(HOOK)});`);

/** Modules a Sigma-only scan from the cache has no use for. */
const ELASTIC_ONLY = /\/(engine\/(elastic|eql)|formats\/(elastic|esql|eql|kql|lucene))\/|\/events\/ecs\/(?!ecs-input\.js)|\/node_modules\/smol-toml\//;
const PARSERS = /\/formats\/sigma\/index\.js$|\/node_modules\/yaml\//;

function loadedModules(args: string[], cache: string): { status: number | null; stderr: string; urls: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-modules-'));
  try {
    const log = join(dir, 'modules.txt');
    writeFileSync(log, '');
    const r = cli(args, { env: { DETECTORY_CACHE: cache, DETECTORY_TEST_MODULES: log, NODE_OPTIONS: `--import=${REGISTER}` } });
    return { status: r.status, stderr: r.stderr, urls: readFileSync(log, 'utf8').split('\n').filter(Boolean) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('a Sigma-only scan loads no Elastic module; from the rule cache, no parser either', () => {
  const cache = mkdtempSync(join(tmpdir(), 'detectory-modules-cache-'));
  try {
    const args = ['scan', join(EXAMPLES, 'events'), '--rules', join(EXAMPLES, 'rules'), '--format', 'jsonl', '--json', '--threads', '1'];
    const cold = loadedModules(args, cache);
    assert.equal(cold.status, 0, cold.stderr);
    assert.ok(cold.urls.some((u) => u.endsWith('/engine/matcher.js')), 'the hook saw the scan modules');
    assert.deepEqual(cold.urls.filter((u) => ELASTIC_ONLY.test(u)), []);
    assert.ok(cold.urls.some((u) => PARSERS.test(u)), 'a cold start parses the rules');
    const warm = loadedModules(args, cache);
    assert.equal(warm.status, 0, warm.stderr);
    assert.match(warm.stderr, /"rule_cache":"hit"/);
    assert.deepEqual(warm.urls.filter((u) => ELASTIC_ONLY.test(u) || PARSERS.test(u)), []);
    const summary = JSON.parse(warm.stderr.trim().split('\n').pop()!) as { start_seconds?: number };
    assert.equal(typeof summary.start_seconds, 'number', 'the summary gives the time before the scan');
  } finally {
    rmSync(cache, { recursive: true, force: true });
  }
});

test('a scan with an Elastic rule loads the Elastic runner (the hook sees lazy imports)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'detectory-modules-elastic-'));
  try {
    const rule = join(dir, 'rule.toml');
    writeFileSync(rule, [
      '[metadata]', 'creation_date = "2026/01/01"', '', '[rule]', 'author = ["detectory"]', 'description = "test"',
      'name = "Certutil"', 'risk_score = 21', 'rule_id = "00000000-0000-4000-8000-000000000001"', 'severity = "low"',
      'type = "eql"', 'language = "eql"', 'index = ["logs-windows.sysmon_operational-*"]',
      'query = \'process where host.os.type == "windows" and process.name : "certutil.exe"\'', '',
    ].join('\n'));
    const r = loadedModules(['scan', join(EXAMPLES, 'events'), '--rules', rule, '--format', 'jsonl', '--json', '--threads', '1'], join(dir, 'cache'));
    assert.equal(r.status, 0, r.stderr);
    assert.ok(r.urls.some((u) => u.endsWith('/engine/elastic/runner.js')), r.urls.join('\n'));
    assert.ok(r.urls.some((u) => u.includes('/formats/elastic/')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
