/** `detectory mcp [--db FILE] [--allow DIR]...`: the Model Context Protocol server over stdio. */
import { readFileSync } from 'node:fs';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Command } from 'commander';
import { CatalogUnavailable } from '../catalog/open.js';
import { McpContext } from '../mcp/context.js';
import { createMcpServer } from '../mcp/server.js';
import { defaultDbPath } from '../store/db.js';
import { CliError, EXIT_UNREADABLE } from './exit.js';
import { safeLine } from '../util/safe-text.js';

const collect = (v: string, prev: string[]): string[] => [...prev, v];

export function registerMcp(program: Command): void {
  program.command('mcp')
    .description('Model Context Protocol server over stdio (read-only): search, guides, rules, ATT&CK, coverage, scan, convert')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--allow <dir>', 'folder whose files the scan tool may read (repeatable; default: none, every path is refused)', collect, [])
    .action(async (o: { db?: string; allow: string[] }) => {
      let ctx: McpContext;
      try {
        ctx = await McpContext.open(o.db ?? defaultDbPath(), o.allow);
      } catch (e) {
        if (e instanceof CatalogUnavailable) throw new CliError(e.message, EXIT_UNREADABLE);
        throw e;
      }
      const server = createMcpServer(ctx, packageVersion());
      const transport = new StdioServerTransport();
      const closed = new Promise<void>((resolve) => {
        transport.onclose = () => resolve();
        process.stdin.on('end', () => resolve());
      });
      await server.connect(transport);
      // a line that is no JSON-RPC message: one line on stderr (the protocol has no request to answer)
      server.server.onerror = (e) => void process.stderr.write(`detectory mcp: ${safeLine(e.message.split('\n')[0])}\n`);
      await closed;
      await server.close();
      ctx.close();
    });
}

function packageVersion(): string {
  try {
    const p = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return p.version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}
