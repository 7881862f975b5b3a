/** Tools over the catalog: search, technique guide, rule detail, rule conversion. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { techniqueStatus } from '../../attack/status.js';
import { PRINT_TARGETS, printRuleAs } from '../../backends/print-target.js';
import { computeGuide } from '../../catalog/guide.js';
import { ruleModel } from '../../catalog/rule-model.js';
import { ruleView } from '../../catalog/rule-view.js';
import { search } from '../../catalog/search.js';
import { similarRules } from '../../catalog/similar-rules.js';
import type { McpContext } from '../context.js';
import { PAGE_ARGS, pagedResult, structured } from '../result.js';

export const VENDOR = z.enum(['sigma', 'elastic', 'splunk']);
const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;

/** The rule page's data: the rule, its techniques with their status in the newest release, similar rules. */
export async function ruleDetail(ctx: McpContext, vendor: string, id: string): Promise<object> {
  return ctx.use(async (db) => {
    const rule = await ruleView(db, vendor, id);
    if (!rule) throw new Error(`no ${vendor} rule with id "${id}" in the catalog`);
    const status = await techniqueStatus(db, rule.techniques);
    const techniques = rule.techniques.map((t) => {
      const s = status.get(t.toUpperCase());
      return { id: t, name: s?.name || null, status: s?.status ?? 'unknown', ...(s?.replaced_by ? { replaced_by: s.replaced_by } : {}) };
    });
    return { rule, techniques, similar: await similarRules(db, rule.uid, 10) };
  });
}

export async function techniqueGuide(ctx: McpContext, technique: string): Promise<object> {
  const g = await ctx.use((db) => computeGuide(db, technique));
  if (!g) throw new Error(`"${technique}" is not a technique id (T1234 or T1234.001)`);
  return g;
}

export function registerCatalogTools(server: McpServer, ctx: McpContext): void {
  server.registerTool('search', {
    title: 'Search the catalog',
    description: 'Case-insensitive substring search over ATT&CK objects (newest release), rules (id, title, description, indicator values), canonical fields and indicator values.',
    inputSchema: { query: z.string().min(1).max(200).describe('text to find, e.g. pubprn, T1216, CommandLine'), ...PAGE_ARGS },
    annotations: READ_ONLY,
  }, async (a) => pagedResult(await ctx.use((db) => search(db, a.query)), a));

  server.registerTool('technique_guide', {
    title: 'Technique authoring guide',
    description: 'The authoring guide of one ATT&CK technique: its rules per vendor, the event types, fields, indicators (with corpus reach) and exclusions the rules use. Sub-technique rules count toward the parent.',
    inputSchema: { technique: z.string().regex(/^[Tt]\d{4}(\.\d{3})?$/).describe('technique id, e.g. T1216 or T1216.001'), ...PAGE_ARGS },
    annotations: READ_ONLY,
  }, async (a) => pagedResult(await techniqueGuide(ctx, a.technique), a));

  server.registerTool('rule_detail', {
    title: 'Rule detail',
    description: 'One catalog rule: metadata, query, predicates (canonical and authored field/operator/value), losses (conditions not in the tree), parse problems, technique ids with their ATT&CK status (revoked ids name the replacement), and similar rules.',
    inputSchema: { vendor: VENDOR, id: z.string().min(1).max(200).describe('rule id as in the catalog'), ...PAGE_ARGS },
    annotations: READ_ONLY,
  }, async (a) => pagedResult(await ruleDetail(ctx, a.vendor, a.id), a));

  server.registerTool('convert_rule', {
    title: 'Convert a rule',
    description: `Prints a catalog rule's predicate tree in a target language (${PRINT_TARGETS.join(', ')}); EQL/KQL/Lucene/ES|QL use ECS fields. When the tree cannot be printed the result says why (ok: false, reason).`,
    inputSchema: { vendor: VENDOR, id: z.string().min(1).max(200), target: z.enum(PRINT_TARGETS) },
    annotations: READ_ONLY,
  }, async (a) => {
    const rule = await ctx.use((db) => ruleModel(db, a.vendor, a.id));
    if (!rule) throw new Error(`no ${a.vendor} rule with id "${a.id}" and a stored model in the catalog`);
    return structured({ rule: { vendor: a.vendor, id: a.id, title: rule.title, language: rule.language }, ...printRuleAs(rule, a.target) });
  });
}
