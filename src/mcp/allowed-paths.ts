import { realpathSync } from 'node:fs';
import { isAbsolute, relative, resolve, sep } from 'node:path';

/**
 * Files the MCP tools may read: only under the folders given with --allow (none by default, so a
 * server started without --allow reads no file the assistant names). Links are resolved first, so
 * a link inside an allowed folder to a file outside it is refused too.
 */
export function checkAllowed(path: string, allowed: string[]): string {
  if (allowed.length === 0) throw new Error(`path ${path} refused: this server allows no file paths (start it with --allow DIR)`);
  let real: string;
  try {
    real = realpathSync(resolve(path));
  } catch {
    throw new Error(`path ${path} refused: it does not exist or cannot be read`);
  }
  for (const dir of allowed) {
    let root: string;
    try {
      root = realpathSync(resolve(dir));
    } catch {
      continue;
    }
    const rel = relative(root, real);
    if (rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel))) return real;
  }
  throw new Error(`path ${path} refused: outside the allowed folders (${allowed.join(', ')})`);
}
