import type { Db } from '../store/db.js';
import { tableColumns, tableExists } from './schema.js';

/**
 * The catalog side of the join: rules, their technique ids and their event categories, read from the
 * catalog engineer's tables when they exist (rules, rule_techniques, and event categories either as
 * columns on rules or in a rule_* table with rule_id). Missing tables mean "catalog not built".
 */
export interface CatalogRule {
  /** The catalog's key for the rule (rules.uid when the catalog has it, else rules.id). */
  key: string;
  id: string;
  title: string;
  vendor: string;
  path: string;
  status: string;
  level: string;
  description: string;
  techniques: string[];
  categories: string[];
  products: string[];
  services: string[];
}

export interface Catalog {
  built: boolean;
  /** True when the catalog records event categories (else analytics match rules by technique only). */
  hasEvents: boolean;
  /** By rule key. */
  rules: Map<string, CatalogRule>;
  /** Technique id (upper case, as the rule wrote it) -> rule keys. */
  byTechnique: Map<string, string[]>;
}

export const EMPTY_CATALOG: Catalog = { built: false, hasEvents: false, rules: new Map(), byTechnique: new Map() };

const CATEGORY_COLS = ['logsource_category', 'category', 'event_category', 'event'];
const PRODUCT_COLS = ['logsource_product', 'product'];
const SERVICE_COLS = ['logsource_service', 'service'];
const LIST_CATEGORY_COLS = ['event_types'];
const EVENT_TABLES = ['rule_events', 'rule_event_categories', 'rule_logsources', 'rule_logsource', 'rule_categories'];

function pick(cols: string[], choices: string[]): string | undefined {
  return choices.find((c) => cols.includes(c));
}

function q(ident: string): string {
  return `"${ident.replace(/"/g, '""')}"`;
}

const text = (v: unknown): string => (v === null || v === undefined ? '' : String(v));

/**
 * Reads the catalog (src/catalog/schema.ts: rules keyed by uid, rule_techniques.rule_uid,
 * rule_events(rule_uid, event)); older or other shapes keyed by id are read too.
 */
export async function loadCatalog(db: Db): Promise<Catalog> {
  if (!(await tableExists(db, 'rules')) || !(await tableExists(db, 'rule_techniques'))) return EMPTY_CATALOG;
  const cols = await tableColumns(db, 'rules');
  const keyCol = cols.includes('uid') ? 'uid' : 'id';
  const c = pick(cols, CATEGORY_COLS);
  const p = pick(cols, PRODUCT_COLS);
  const s = pick(cols, SERVICE_COLS);
  const lc = pick(cols, LIST_CATEGORY_COLS);
  const wanted: Array<[string, string | undefined]> = [
    ['k', keyCol], ['id', 'id'], ['title', 'title'], ['vendor', 'vendor'], ['path', 'path'], ['status', 'status'], ['level', 'level'],
    ['description', 'description'], ['c', c], ['p', p], ['s', s], ['lc', lc],
  ];
  const select = wanted.filter(([, col]) => col && cols.includes(col)).map(([as, col]) => `${q(col!)} AS ${as}`).join(', ');
  const where = cols.includes('parse_status') ? ` WHERE coalesce(parse_status, '') <> 'failed'` : '';
  const rules = new Map<string, CatalogRule>();
  for (const row of (await db.conn.runAndReadAll(`SELECT ${select} FROM rules${where}`)).getRowObjectsJson()) {
    const r: CatalogRule = {
      key: text(row.k), id: text(row.id), title: text(row.title), vendor: text(row.vendor), path: text(row.path), status: text(row.status),
      level: text(row.level), description: text(row.description), techniques: [], categories: [], products: [], services: [],
    };
    if (row.c) r.categories.push(...asList(row.c));
    if (row.lc) r.categories.push(...asList(row.lc));
    if (row.p) r.products.push(...asList(row.p));
    if (row.s) r.services.push(...asList(row.s));
    rules.set(r.key, r);
  }
  let hasEvents = !!(c || lc);
  for (const t of EVENT_TABLES) {
    if (!(await tableExists(db, t))) continue;
    const tc = await tableColumns(db, t);
    const tk = tc.includes('rule_uid') && keyCol === 'uid' ? 'rule_uid' : tc.includes('rule_id') ? 'rule_id' : undefined;
    const ec = pick(tc, CATEGORY_COLS);
    if (!tk || !ec) continue;
    const ep = pick(tc, PRODUCT_COLS);
    const es = pick(tc, SERVICE_COLS);
    const sql = `SELECT ${q(tk)} AS k, ${q(ec)} AS c${ep ? `, ${q(ep)} AS p` : ''}${es ? `, ${q(es)} AS s` : ''} FROM ${q(t)}`;
    for (const row of (await db.conn.runAndReadAll(sql)).getRowObjectsJson()) {
      const r = rules.get(text(row.k));
      if (!r) continue;
      if (row.c) r.categories.push(...asList(row.c));
      if (row.p) r.products.push(...asList(row.p));
      if (row.s) r.services.push(...asList(row.s));
    }
    hasEvents = true;
    break;
  }
  const tcols = await tableColumns(db, 'rule_techniques');
  const tkey = tcols.includes('rule_uid') && keyCol === 'uid' ? 'rule_uid' : 'rule_id';
  const byTechnique = new Map<string, string[]>();
  for (const row of (await db.conn.runAndReadAll(`SELECT DISTINCT ${q(tkey)} AS k, technique_id FROM rule_techniques`)).getRowObjectsJson()) {
    const tid = text(row.technique_id).toUpperCase();
    const r = rules.get(text(row.k));
    if (!r || !tid) continue;
    r.techniques.push(tid);
    const list = byTechnique.get(tid);
    if (list) list.push(r.key); else byTechnique.set(tid, [r.key]);
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
      if (seen.has(rule.key)) continue;
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
      seen.add(rule.key);
      out.push({ rule, via, matched });
    }
  }
  return out;
}
