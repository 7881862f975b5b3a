/**
 * Where the rule cache lives: $DETECTORY_CACHE if set ("off" turns the cache off), else
 * $XDG_CACHE_HOME/detectory, else ~/.cache/detectory.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The cache folder, or undefined when the environment turns the cache off. */
export function defaultCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const own = env.DETECTORY_CACHE;
  if (own) return own === 'off' ? undefined : own;
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec says relative paths are invalid and must be ignored.
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'detectory');
}
