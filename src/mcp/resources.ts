/** Rules, techniques and fields as resources by URI, with completion of technique ids and field names. */
import { ResourceTemplate, type McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { fieldNamesStartingWith } from '../catalog/completions.js';
import { fieldDetail } from '../catalog/field-detail.js';
import type { McpContext } from './context.js';
import { paged } from './paging.js';
import { ruleDetail, techniqueGuide } from './tools/catalog-tools.js';

const COMPLETIONS = 50;
const one = (v: string | string[] | undefined): string => (Array.isArray(v) ? v[0] ?? '' : v ?? '');
const json = (uri: URL, value: object) => ({ contents: [{ uri: uri.href, mimeType: 'application/json', text: JSON.stringify(paged(value)) }] });

/** Technique ids of the newest release (active, sub-techniques included) starting with `prefix`. */
export function techniqueIds(ctx: McpContext, prefix: string): string[] {
  const p = prefix.toUpperCase();
  const out: string[] = [];
  for (const o of ctx.kb?.objects.values() ?? []) {
    if (o.kind === 'technique' && !o.revoked && !o.deprecated && o.attackId.startsWith(p)) out.push(o.attackId);
  }
  return out.sort().slice(0, COMPLETIONS);
}

export function registerResources(server: McpServer, ctx: McpContext): void {
  server.registerResource('rule', new ResourceTemplate('detectory://rules/{vendor}/{id}', {
    list: undefined,
    complete: { vendor: (v) => ['sigma', 'elastic', 'splunk'].filter((x) => x.startsWith(v)) },
  }), { title: 'Catalog rule', description: 'A rule with its predicates, losses, technique status and similar rules (first page of each list)', mimeType: 'application/json' },
  async (uri, vars) => json(uri, await ruleDetail(ctx, one(vars.vendor), decodeURIComponent(one(vars.id)))));

  server.registerResource('technique', new ResourceTemplate('detectory://techniques/{id}', {
    list: undefined,
    complete: { id: (v) => techniqueIds(ctx, v) },
  }), { title: 'Technique guide', description: 'The authoring guide of an ATT&CK technique (first page of each list)', mimeType: 'application/json' },
  async (uri, vars) => json(uri, await techniqueGuide(ctx, one(vars.id))));

  server.registerResource('field', new ResourceTemplate('detectory://fields/{field}', {
    list: undefined,
    complete: { field: (v) => ctx.use((db) => fieldNamesStartingWith(db, v, COMPLETIONS)) },
  }), { title: 'Canonical field', description: 'How the catalog uses a canonical field: vendor names, operators, values, rules', mimeType: 'application/json' },
  async (uri, vars) => {
    const name = decodeURIComponent(one(vars.field));
    const f = await ctx.use((db) => fieldDetail(db, name));
    if (!f) throw new Error(`no field "${name}" in the catalog`);
    return json(uri, f);
  });
}
