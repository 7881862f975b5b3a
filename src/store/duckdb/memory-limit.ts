/** DuckDB's memory limit on a store on disk (its default is 80% of the machine's RAM). */
import type { DuckDBConnection } from '@duckdb/node-api';

const UNITS: Record<string, number> = { bytes: 1, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3, tib: 1024 ** 4, kb: 1e3, mb: 1e6, gb: 1e9, tb: 1e12 };

/**
 * Lowers the limit to `bytes`: buffers past it spill to the store's temporary directory. Left as
 * it is when the store is in memory (nowhere to spill) or already set lower.
 */
export async function boundMemory(conn: DuckDBConnection, bytes: number): Promise<void> {
  try {
    const r = (await conn.runAndReadAll(`SELECT current_setting('temp_directory') AS dir, current_setting('memory_limit') AS lim`)).getRowObjectsJson()[0];
    if (!r || !r.dir) return;
    const m = /^([\d.]+)\s*(KiB|MiB|GiB|TiB|KB|MB|GB|TB|bytes)?$/i.exec(String(r.lim).trim());
    const now = m ? Number(m[1]) * (UNITS[(m[2] ?? 'bytes').toLowerCase()] ?? 1) : Infinity;
    if (now > bytes) await conn.run(`SET memory_limit = '${Math.floor(bytes / 1024 ** 2)}MiB'`);
  } catch {
    // A setting this DuckDB lacks: its default stays.
  }
}
