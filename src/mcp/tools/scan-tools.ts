/** Running rules over event files the user allowed. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { ruleFiles } from '../../catalog/rule-model.js';
import type { Alert } from '../../engine/alert.js';
import { scan } from '../../engine/scan.js';
import { compileEql } from '../../engine/eql/analyze.js';
import { matchObject } from '../../engine/eql/match-json.js';
import { runEqlOnFiles } from '../../engine/eql/run-files.js';
import { formatProblem } from '../../model/index.js';
import { LEVELS } from '../../model/index.js';
import { checkAllowed } from '../allowed-paths.js';
import type { McpContext } from '../context.js';
import { PAGE_ARGS, pagedResult } from '../result.js';

/** Alerts and problem lines kept per call; the counts go on beyond. */
const MAX_KEPT = 5000;

export function registerScanTools(server: McpServer, ctx: McpContext): void {
  server.registerTool('scan', {
    title: 'Scan event files with rules',
    description: 'Runs rules over event files (.evtx, .json, .jsonl/.ndjson, or folders) and returns the alerts (paged) and the run summary. '
      + 'Rules are catalog rule ids ("sigma/<id>" or "<id>") or rule files; every file path must be under a folder the server allows (--allow).',
    inputSchema: {
      events: z.array(z.string().min(1).max(4096)).min(1).max(50).describe('event files or folders'),
      rules: z.array(z.string().min(1).max(4096)).min(1).max(500).describe('catalog rule ids (vendor/id or id) or rule files/folders'),
      min_level: z.enum(LEVELS as unknown as [string, ...string[]]).optional(),
      ...PAGE_ARGS,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async (a) => {
    const eventPaths = a.events.map((p) => checkAllowed(p, ctx.allowed));
    const ids = a.rules.filter((r) => !looksLikePath(r));
    const rulePaths = a.rules.filter(looksLikePath).map((p) => checkAllowed(p, ctx.allowed));
    const { files, missing } = await ctx.use((db) => ruleFiles(db, ids));
    if (missing.length) throw new Error(`no rule with id ${missing.map((m) => `"${m}"`).join(', ')} in the catalog`);
    const alerts: Alert[] = [];
    const problems: string[] = [];
    const summary = await scan({
      rulePaths: [...rulePaths, ...files], eventPaths, minLevel: a.min_level, threads: 1,
      onAlert: (al) => void (alerts.length < MAX_KEPT && alerts.push(al)),
      onProblem: (line) => void (problems.length < MAX_KEPT && problems.push(line)),
    });
    return pagedResult({ summary, alerts_kept: alerts.length, alerts, problems }, a);
  });

  server.registerTool('eql_query', {
    title: 'Run an EQL query over event files',
    description: 'Runs one EQL query (Elasticsearch dialect: event queries, sequences, samples, head/tail) over event files '
      + '(.evtx and evtx_dump JSON normalized to ECS as Elastic\'s Windows integration indexes them, or ECS NDJSON). '
      + 'Returns the matches (paged) and the run summary; every path must be under a folder the server allows (--allow).',
    inputSchema: {
      query: z.string().min(1).max(20_000).describe('the EQL query, e.g. process where process.name : "cmd.exe"'),
      events: z.array(z.string().min(1).max(4096)).min(1).max(50).describe('event files or folders'),
      ...PAGE_ARGS,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
  }, async (a) => {
    const eventPaths = a.events.map((p) => checkAllowed(p, ctx.allowed));
    const compiled = compileEql(a.query);
    if (!compiled.ok) throw new Error(`query:${compiled.error.line}:${compiled.error.column}: ${compiled.error.message}`);
    const multi = compiled.plan.kind !== 'event';
    const matches: Array<Record<string, unknown>> = [];
    const problems: string[] = [];
    const summary = await runEqlOnFiles(compiled.plan, eventPaths,
      (m) => void (matches.length < MAX_KEPT && matches.push(matchObject(m, multi))),
      (p) => void (problems.length < MAX_KEPT && problems.push(formatProblem(p))));
    return pagedResult({ kind: compiled.plan.kind, summary, matches_kept: matches.length, matches, problems }, a);
  });
}

/** A rule argument is a path when it has a path separator or a rule file extension and is no "vendor/id". */
function looksLikePath(s: string): boolean {
  if (/^(sigma|elastic|splunk)\/[^/]+$/.test(s)) return false;
  return s.includes('/') || s.includes('\\') || /\.(ya?ml|toml)$/i.test(s);
}
