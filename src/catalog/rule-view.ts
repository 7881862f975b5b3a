import type { Db } from '../store/db.js';
import { detailOf, type RuleDetail } from './rule-detail.js';
import { rows } from './query.js';
import { sigmaSource } from './rule-source.js';

/** A condition of the raw query not exactly in the predicate tree (table rule_losses, when the catalog has it). */
export interface RuleLoss {
  text: string;
  reason: string;
  offset: number | null;
  detail: string | null;
}

/** Everything a rule page shows: the catalog detail plus what the stored model keeps (authors, guide, ...). */
export interface RuleView extends RuleDetail {
  author: string | null;
  date: string | null;
  modified: string | null;
  references: string[];
  false_positives: string[];
  tags: string[];
  note: string | null;
  interesting_fields: string[];
  /** Vendor settings: index, risk_score, interval, from, max_signals, threshold, version, data_sources... */
  extra: Record<string, unknown>;
  losses: RuleLoss[];
  /** The text to show highlighted: the query, or for Sigma the rule's YAML document. */
  source: { text: string; language: string } | null;
}

const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** The rule of `vendor` with id `id` (ids are unique per vendor in the catalog), or undefined. */
export async function ruleView(db: Db, vendor: string, id: string): Promise<RuleView | undefined> {
  const found = await rows(db, `SELECT * FROM rules WHERE vendor = $1 AND id = $2 ORDER BY path, doc_index LIMIT 1`, [vendor, id]);
  if (!found[0]) return undefined;
  const detail = await detailOf(db, found[0]);
  let model: Record<string, unknown> = {};
  try {
    const m: unknown = found[0].model === null ? {} : JSON.parse(String(found[0].model));
    if (m && typeof m === 'object') model = m as Record<string, unknown>;
  } catch {
    // a model that does not parse shows as a rule without the extra metadata
  }
  const extra = model.extra && typeof model.extra === 'object' && !Array.isArray(model.extra) ? model.extra as Record<string, unknown> : {};
  return {
    ...detail,
    author: str(model.author), date: str(model.date), modified: str(model.modified),
    references: strs(model.references), false_positives: strs(model.falsePositives), tags: strs(model.tags),
    note: str(model.note), interesting_fields: strs(model.fields), extra,
    losses: detail.losses,
    source: await sourceOf(detail, String(found[0].path), Number(found[0].doc_index ?? 0)),
  };
}

async function sourceOf(r: RuleDetail, path: string, index: number): Promise<RuleView['source']> {
  if (r.query) return { text: r.query, language: r.language ?? '' };
  if (r.vendor !== 'sigma') return null;
  const text = await sigmaSource(path, index);
  return text === undefined ? null : { text, language: 'sigma' };
}
