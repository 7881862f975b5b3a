/** Where the ClickHouse server program is: DETECTORY_CLICKHOUSE_SERVER, else clickhouse-server (Debian), else `clickhouse server`. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface ServerCommand {
  file: string;
  args: string[];
}

function executable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/bin'];
  return dirs.filter(Boolean).map((d) => join(d, name)).find(executable);
}

export function findServer(): ServerCommand | undefined {
  const env = process.env.DETECTORY_CLICKHOUSE_SERVER;
  if (env) return executable(env) ? { file: env, args: [] } : undefined;
  const server = onPath('clickhouse-server');
  if (server) return { file: server, args: [] };
  const single = onPath('clickhouse');
  return single ? { file: single, args: ['server'] } : undefined;
}
