import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { DEFAULT_LIMIT, MAX_LIMIT, paged } from './paging.js';

/** A structured tool result: the object as structuredContent and, for clients that read text, as JSON text. */
export function structured(value: object): CallToolResult {
  return { content: [{ type: 'text', text: JSON.stringify(value) }], structuredContent: value as Record<string, unknown> };
}

/** The paging arguments every tool with lists takes. */
export const PAGE_ARGS = {
  cursor: z.string().max(12).optional().describe('next_cursor of the previous page'),
  limit: z.number().int().min(1).max(MAX_LIMIT).optional().describe(`items per list (default ${DEFAULT_LIMIT}; fewer when the result would be too large)`),
};

export function pagedResult(value: object, args: { cursor?: string; limit?: number }): CallToolResult {
  return structured(paged(value, args.cursor, args.limit));
}
