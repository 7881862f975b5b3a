/** Tools over the ATT&CK knowledge base: object, history, coverage, gaps against needed log sources. */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { attackDiff } from '../../attack/diff.js';
import { buildShow, explainMiss, historyReport, resolveInKb, resolveViaOtherReleases } from '../../attack/index.js';
import { idPrefix, typesForPrefix } from '../../attack/kinds.js';
import { analystView } from '../../catalog/analyst-view.js';
import { coverageMatrix, type CoverageFilters, type CoverageMatrix } from '../../catalog/coverage.js';
import type { McpContext } from '../context.js';
import { PAGE_ARGS, pagedResult } from '../result.js';

const READ_ONLY = { readOnlyHint: true, openWorldHint: false } as const;
const ATTACK_ID = z.string().min(2).max(120).describe('ATT&CK id (T1216, T1216.001, TA0005, AN1288, DET0466, DC0032, M1038, G0007, S0002) or STIX id');

async function show(ctx: McpContext, id: string) {
  const kb = ctx.needKb();
  return ctx.use(async (db) => {
    const res = resolveInKb(kb, id) ?? (await resolveViaOtherReleases(db, kb, id));
    if (!res) throw new Error(await explainMiss(db, kb, id));
    return buildShow(kb, ctx.cat, res, id);
  });
}

/** Per tactic: techniques, techniques with at least one rule, and the rules on them. */
function tacticSummary(m: CoverageMatrix) {
  return m.tactics.map((t) => ({
    id: t.id, shortname: t.shortname, name: t.name, techniques: t.techniques.length,
    covered: t.techniques.filter((c) => c.rules > 0 || c.subtechniques.some((s) => s.rules > 0)).length,
  }));
}

export function registerAttackTools(server: McpServer, ctx: McpContext): void {
  server.registerTool('attack_object', {
    title: 'ATT&CK object',
    description: 'An ATT&CK object of the newest imported release (or the release given) with its relations: tactics, sub-techniques, detection strategies and analytics (log sources, mutable elements), mitigations, groups, software, and the catalog rules.',
    inputSchema: { id: ATTACK_ID, ...PAGE_ARGS },
    annotations: READ_ONLY,
  }, async (a) => pagedResult(await show(ctx, a.id), a));

  server.registerTool('attack_history', {
    title: 'ATT&CK object history',
    description: 'Per imported ATT&CK release: whether the object is present, its modified date, version, content hash, and the change (initial, added, changed with the fields changed, unchanged, removed).',
    inputSchema: { id: ATTACK_ID },
    annotations: READ_ONLY,
  }, async (a) => {
    ctx.needKb();
    const rep = await ctx.use((db) => historyReport(db, a.id, typesForPrefix(idPrefix(a.id))));
    if (!rep) throw new Error(`${a.id.trim()} is not an ATT&CK id or STIX id in any imported release`);
    return pagedResult(rep, {});
  });

  server.registerTool('attack_diff', {
    title: 'ATT&CK release changes',
    description: 'What release `to` changed against `from`: techniques and sub-techniques added, removed, revoked (with replacement), deprecated, renamed, moved between tactics; detection strategies and analytics added, changed (fields), revoked, deprecated; counts per STIX type; and the catalog rules whose technique ids are revoked, deprecated or unknown in `to`, with suggested ids.',
    inputSchema: { from: z.string().regex(/^\d+(\.\d+)*$/).describe('older imported release, e.g. 17.1'), to: z.string().regex(/^\d+(\.\d+)*$/).describe('newer imported release, e.g. 18.1'), ...PAGE_ARGS },
    annotations: READ_ONLY,
  }, async (a) => pagedResult(await ctx.use((db) => attackDiff(db, a.from, a.to)), a));

  server.registerTool('coverage', {
    title: 'Coverage by tactic',
    description: 'Rules per ATT&CK technique in the tactic-by-technique matrix of the newest release, after filtering rules by vendor, platform or log source (event type). Without `tactic`: a summary per tactic and per vendor; with `tactic` (id or shortname): its techniques and sub-techniques with rule counts.',
    inputSchema: {
      vendor: z.enum(['sigma', 'elastic', 'splunk']).optional(), platform: z.string().max(40).optional(),
      logsource: z.string().max(80).optional().describe('event type, e.g. process_creation'),
      tactic: z.string().max(40).optional().describe('TA0005 or defense-evasion'), ...PAGE_ARGS,
    },
    annotations: READ_ONLY,
  }, async (a) => {
    const kb = ctx.needKb();
    const filters: CoverageFilters = { vendor: a.vendor, platform: a.platform, logsource: a.logsource };
    const m = coverageMatrix(kb, ctx.cat, ctx.facets, filters);
    if (a.tactic) {
      const t = m.tactics.find((x) => x.id.toUpperCase() === a.tactic!.toUpperCase() || x.shortname === a.tactic!.toLowerCase());
      if (!t) throw new Error(`no tactic "${a.tactic}" in ATT&CK ${m.release}; tactics: ${m.tactics.map((x) => x.shortname).join(', ')}`);
      return pagedResult({ release: m.release, filters, rules: m.rules, tactic: { id: t.id, shortname: t.shortname, name: t.name }, techniques: t.techniques }, a);
    }
    const byVendor = a.vendor ? undefined : Object.fromEntries(m.options.vendors.map((v) => {
      const mv = coverageMatrix(kb, ctx.cat, ctx.facets, { ...filters, vendor: v });
      const s = tacticSummary(mv);
      return [v, { rules: mv.rules, techniques_covered: new Set(mv.tactics.flatMap((t) => t.techniques.filter((c) => c.rules > 0).map((c) => c.id))).size, by_tactic: Object.fromEntries(s.map((x) => [x.shortname, x.covered])) }];
    }));
    return pagedResult({
      release: m.release, filters, rules: m.rules, tactics: tacticSummary(m), ...(byVendor ? { by_vendor: byVendor } : {}),
      unmatched_technique_ids: m.unmatched, options: m.options,
    }, a);
  });

  server.registerTool('coverage_gaps', {
    title: 'Log-source gaps of a technique or analytic',
    description: 'For a technique (its detection strategies) or an analytic: the log sources (channel, event ids, data component) the ATT&CK analytics need, how many catalog rules read each, and the ones no rule reads; plus the fields the rules use and the tuning knobs.',
    inputSchema: { id: ATTACK_ID, ...PAGE_ARGS },
    annotations: READ_ONLY,
  }, async (a) => {
    const rep = await show(ctx, a.id);
    const view = await ctx.use((db) => analystView(db, rep, ctx.cat, ctx.facets));
    const gaps = view.telemetry.filter((t) => t.rules === 0);
    return pagedResult({ id: rep.object.id, name: rep.object.name, release: rep.release, gaps, ...view }, a);
  });
}
