import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { McpContext } from './context.js';
import { registerResources } from './resources.js';
import { registerAttackTools } from './tools/attack-tools.js';
import { registerCatalogTools } from './tools/catalog-tools.js';
import { registerScanTools } from './tools/scan-tools.js';

/**
 * The detectory MCP server: read-only tools and resources over the same query functions as the web
 * API. eql_query runs the EQL engine (src/engine/eql) over allowed event files.
 */
export function createMcpServer(ctx: McpContext, version: string): McpServer {
  const server = new McpServer({ name: 'detectory', version }, {
    capabilities: { tools: {}, resources: {}, completions: {} },
    instructions: 'detectory: Sigma, Elastic and Splunk rules on one model, joined with MITRE ATT&CK. Lists in results are paged: pass paging.next_cursor as cursor for more.',
  });
  registerCatalogTools(server, ctx);
  registerAttackTools(server, ctx);
  registerScanTools(server, ctx);
  registerResources(server, ctx);
  return server;
}
