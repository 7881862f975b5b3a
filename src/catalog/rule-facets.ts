import type { Db } from '../store/db.js';
import { CATEGORY_DOMAINS, PRODUCT_DOMAINS } from './domain-table.js';

/** The platform (windows, linux, aws, ...) and domain (endpoint, cloud, network, ...) of a rule. */
export interface RuleFacet {
  platform: string;
  domain: string;
}

export const UNKNOWN = 'other';

/**
 * Platform and domain of every rule, by uid: platform = the logsource product (Elastic: its "OS: X" tag
 * when no product was derived); domain = Elastic's "Domain: X" tag, Splunk's security_domain, else the
 * product's domain from the table. Read once by long-running readers and used to filter rule lists.
 */
export async function ruleFacets(db: Db): Promise<Map<string, RuleFacet>> {
  const r = await db.conn.runAndReadAll(`SELECT uid, vendor, lower(product) AS product, lower(category) AS category,
      list_filter(tags, t -> lower(t) LIKE 'os:%' OR lower(t) LIKE 'domain:%') AS tags,
      CASE WHEN vendor = 'splunk' THEN regexp_extract(model, '"security_domain":"([A-Za-z_]+)"', 1) END AS security_domain
    FROM rules WHERE parse_status <> 'failed'`);
  const out = new Map<string, RuleFacet>();
  for (const row of r.getRowObjectsJS()) {
    const tags = Array.isArray(row.tags) ? row.tags.map(String) : [];
    const tag = (prefix: string): string | undefined => {
      const t = tags.find((x) => x.toLowerCase().startsWith(prefix));
      return t ? t.slice(prefix.length).trim().toLowerCase() : undefined;
    };
    const product = typeof row.product === 'string' && row.product ? row.product : undefined;
    const platform = product ?? tag('os:') ?? UNKNOWN;
    const category = typeof row.category === 'string' ? row.category : '';
    const sd = typeof row.security_domain === 'string' && row.security_domain ? row.security_domain.toLowerCase() : undefined;
    const domain = tag('domain:') ?? sd ?? PRODUCT_DOMAINS[platform] ?? CATEGORY_DOMAINS[category] ?? UNKNOWN;
    out.set(String(row.uid), { platform, domain });
  }
  return out;
}

/** Distinct values with counts, most frequent first. */
export function facetCounts(facets: Iterable<RuleFacet>, key: keyof RuleFacet): Array<{ value: string; rules: number }> {
  const m = new Map<string, number>();
  for (const f of facets) m.set(f[key], (m.get(f[key]) ?? 0) + 1);
  return [...m].map(([value, rules]) => ({ value, rules })).sort((a, b) => b.rules - a.rules || a.value.localeCompare(b.value));
}
