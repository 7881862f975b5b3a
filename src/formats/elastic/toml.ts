/** Small typed readers over a parsed TOML document (untrusted: every field may be missing or odd). */
export type Table = Record<string, unknown>;

export function table(v: unknown): Table | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Table) : undefined;
}

export function tables(v: unknown): Table[] {
  return Array.isArray(v) ? v.map(table).filter((t): t is Table => t !== undefined) : [];
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
}

export function strs(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  return Array.isArray(v) ? v.map(str).filter((s): s is string => s !== undefined) : [];
}

/** Plain JSON-able copy (TOML dates become ISO strings) for `extra`. */
export function plain(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(plain);
  const t = table(v);
  if (t) return Object.fromEntries(Object.entries(t).map(([k, x]) => [k, plain(x)]));
  return v;
}
