import type { Db } from '../store/db.js';
import { tableColumns, tableExists } from './schema.js';

/**
 * The catalog side of the join: rules, their technique ids and their event categories, read from the
 * catalog engineer's tables when they exist (rules, rule_techniques, and event categories either as
 * columns on rules or in a rule_* table with rule_id). Missing tables mean "catalog not built".
 */
export interface CatalogRule {
  id: string;
  title: string;
  vendor: string;
  path: string;
  status: string;
  level: string;
  techniques: string[];
  categories: string[];
  products: string[];
  services: string[];
  extra: Record<string, unknown>;
}

export interface Catalog {
  built: boolean;
  /** True when the catalog records event categories (else analytics match rules by technique only). */
  hasEvents: boolean;
  rules: Map<string, CatalogRule>;
  /** Technique id (upper case, as the rule wrote it) -> rule ids. */
  byTechnique: Map<string, string[]>;
}

export const EMPTY_CATALOG: Catalog = { built: false, hasEvents: false, rules: new Map(), byTechnique: new Map() };

const CATEGORY_COLS = ['logsource_category', 'category', 'event_category', 'event'];
const PRODUCT_COLS = ['logsource_product', 'product'];
const SERVICE_COLS = ['logsource_service', 'service'];
const EVENT_TABLES = ['rule_events', 'rule_event_categories', 'rule_logsources', 'rule_logsource', 'rule_categories'];

function pick(cols: string[], choices: string[]): string | undefined {
  return choices.find((c) => cols.includes(c));
}

function q(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

export async function loadCatalog(db: Db): Promise<Catalog> {
  if (!(await tableExists(db, 'rules')) || !(await tableExists(db, 'rule_techniques'))) return EMPTY_CATALOG;
  const cols = await tableColumns(db, 'rules');
  const rules = new Map<string, CatalogRule>();
  const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
  for (const row of (await db.conn.runAndReadAll('SELECT * FROM rules')).getRowObjectsJson()) {
    const extra: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(row)) if (!['id', 'title', 'vendor', 'path', 'status', 'level'].includes(k)) extra[k] = v;
    const r: CatalogRule = {
      id: text(row.id), title: text(row.title), vendor: text(row.vendor), path: text(row.path), status: text(row.status),
      level: text(row.level), techniques: [], categories: [], products: [], services: [], extra,
    };
    const c = pick(cols, CATEGORY_COLS);
    const p = pick(cols, PRODUCT_COLS);
    const s = pick(cols, SERVICE_COLS);
    if (c && row[c]) r.categories.push(...asList(row[c]));
    if (p && row[p]) r.products.push(...asList(row[p]));
    if (s && row[s]) r.services.push(...asList(row[s]));
    rules.set(r.id, r);
  }
  let hasEvents = !!pick(cols, CATEGORY_COLS);
  for (const t of EVENT_TABLES) {
    if (!(await tableExists(db, t))) continue;
    const tc = await tableColumns(db, t);
    const c = pick(tc, CATEGORY_COLS);
    if (!tc.includes('rule_id') || !c) continue;
    const p = pick(tc, PRODUCT_COLS);
    const s = pick(tc, SERVICE_COLS);
    const sql = `SELECT rule_id, ${q(c)} AS c${p ? `, ${q(p)} AS p` : ''}${s ? `, ${q(s)} AS s` : ''} FROM ${q(t)}`;
    for (const row of (await db.conn.runAndReadAll(sql)).getRowObjectsJson()) {
      const r = rules.get(text(row.rule_id));
      if (!r) continue;
      if (row.c) r.categories.push(...asList(row.c));
      if (row.p) r.products.push(...asList(row.p));
      if (row.s) r.services.push(...asList(row.s));
    }
    hasEvents = true;
    break;
  }
  const byTechnique = new Map<string, string[]>();
  for (const row of (await db.conn.runAndReadAll('SELECT DISTINCT rule_id, technique_id FROM rule_techniques')).getRowObjectsJson()) {
    const tid = text(row.technique_id).toUpperCase();
    const r = rules.get(text(row.rule_id));
    if (!r || !tid) continue;
    r.techniques.push(tid);
    const list = byTechnique.get(tid);
    if (list) list.push(r.id); else byTechnique.set(tid, [r.id]);
  }
  for (const r of rules.values()) {
    r.categories = [...new Set(r.categories.map((x) => x.toLowerCase()))];
    r.products = [...new Set(r.products.map((x) => x.toLowerCase()))];
    r.services = [...new Set(r.services.map((x) => x.toLowerCase()))];
  }
  return { built: true, hasEvents, rules, byTechnique };
}

function asList(v: unknown): string[] {
  if (Array.isArray(v)) return v.map(String).filter(Boolean);
  return String(v).split(',').map((x) => x.trim()).filter(Boolean);
}

/** Rules for a technique, including rules for its sub-techniques (marked by `via`). */
export function rulesForTechnique(cat: Catalog, techniqueId: string): Array<{ rule: CatalogRule; via: string }> {
  const id = techniqueId.toUpperCase();
  const out: Array<{ rule: CatalogRule; via: string }> = [];
  const seen = new Set<string>();
  for (const [tid, ids] of cat.byTechnique) {
    if (tid !== id && !tid.startsWith(`${id}.`)) continue;
    for (const rid of ids) {
      if (seen.has(rid)) continue;
      seen.add(rid);
      out.push({ rule: cat.rules.get(rid)!, via: tid });
    }
  }
  return out.sort((a, b) => a.rule.vendor.localeCompare(b.rule.vendor) || a.rule.title.localeCompare(b.rule.title));
}

/**
 * Rules matching an analytic: technique among the analytic's techniques, and an event category (or,
 * for a rule with no category, the product/service) among the analytic's log sources.
 */
export function rulesForAnalytic(
  cat: Catalog, techniqueIds: string[], sources: Array<{ product: string | null; service: string | null; categories: string[] }>,
): Array<{ rule: CatalogRule; via: string; matched: string }> {
  const cats = new Set(sources.flatMap((s) => s.categories));
  const services = new Set(sources.map((s) => `${s.product ?? ''}/${s.service ?? ''}`));
  const out: Array<{ rule: CatalogRule; via: string; matched: string }> = [];
  const seen = new Set<string>();
  for (const t of techniqueIds) {
    for (const { rule, via } of rulesForTechnique(cat, t)) {
      if (seen.has(rule.id)) continue;
      let matched = '';
      if (!cat.hasEvents) matched = 'technique only (catalog has no event categories)';
      else {
        const c = rule.categories.find((x) => cats.has(x));
        if (c) matched = c;
        else if (rule.categories.length === 0) {
          const s = rule.services.map((sv) => rule.products.map((p) => `${p}/${sv}`)).flat().find((x) => services.has(x));
          if (s) matched = s;
        }
      }
      if (!matched) continue;
      seen.add(rule.id);
      out.push({ rule, via, matched });
    }
  }
  return out;
}
