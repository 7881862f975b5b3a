/**
 * How wide a table for people may be: the terminal's width when writing to one; otherwise (a pipe,
 * a file, --out) the COLUMNS environment variable when set, else 100 columns, a width that reads
 * well in a pager, an editor or a CI log.
 */
export const DEFAULT_TABLE_WIDTH = 100;
const MIN_WIDTH = 40;

export function tableWidth(out: { isTTY?: boolean; columns?: number } | undefined, env: NodeJS.ProcessEnv = process.env): number {
  if (out?.isTTY && out.columns && out.columns > 0) return Math.max(MIN_WIDTH, out.columns);
  const c = Number(env.COLUMNS);
  if (Number.isInteger(c) && c > 0) return Math.max(MIN_WIDTH, c);
  return DEFAULT_TABLE_WIDTH;
}
