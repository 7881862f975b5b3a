/**
 * A Navigator layer made for one ATT&CK release, moved to another: a technique revoked in TO becomes
 * its replacement (two entries landing on the same technique and tactic merge: the higher score stays,
 * comments are joined), a deprecated or unknown one is dropped, and every change is reported.
 */
import type { techniqueIdsOf } from './diff.js';

type Ids = Awaited<ReturnType<typeof techniqueIdsOf>>;

export interface LayerUpgrade {
  layer: Record<string, unknown>;
  replaced: Array<{ from: string; to: string; tactic: string | null }>;
  merged: Array<{ id: string; tactic: string | null }>;
  dropped: Array<{ id: string; status: string; tactic: string | null }>;
  kept: number;
}

interface Entry {
  techniqueID?: unknown;
  tactic?: unknown;
  score?: unknown;
  comment?: unknown;
  [k: string]: unknown;
}

export function upgradeLayer(input: unknown, ids: Ids, to: string): LayerUpgrade {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new Error('not a Navigator layer: a JSON object is expected');
  const layer = input as Record<string, unknown>;
  if (!Array.isArray(layer.techniques)) throw new Error('not a Navigator layer: no "techniques" list');
  const out: LayerUpgrade = { layer: {}, replaced: [], merged: [], dropped: [], kept: 0 };
  const placed = new Map<string, Entry>();
  for (const [i, raw] of (layer.techniques as unknown[]).entries()) {
    if (!raw || typeof raw !== 'object' || typeof (raw as Entry).techniqueID !== 'string') throw new Error(`techniques[${i}]: no techniqueID`);
    const e = { ...(raw as Entry) };
    const id = String(e.techniqueID).toUpperCase();
    const tactic = typeof e.tactic === 'string' ? e.tactic : null;
    const s = ids.get(id);
    let target = id;
    if (!s || s.status === 'deprecated' || (s.status === 'revoked' && !s.replaced_by)) {
      out.dropped.push({ id, status: s ? s.status : 'unknown', tactic });
      continue;
    }
    if (s.status === 'revoked') {
      target = s.replaced_by!.id;
      out.replaced.push({ from: id, to: target, tactic });
      e.techniqueID = target;
    } else out.kept++;
    const key = `${target}\u0000${tactic ?? ''}`;
    const there = placed.get(key);
    if (!there) {
      placed.set(key, e);
      continue;
    }
    out.merged.push({ id: target, tactic });
    if (typeof e.score === 'number' && (typeof there.score !== 'number' || e.score > there.score)) there.score = e.score;
    const comments = [there.comment, e.comment].filter((c): c is string => typeof c === 'string' && c !== '');
    if (comments.length) there.comment = comments.join('\n');
  }
  const versions = layer.versions && typeof layer.versions === 'object' ? layer.versions as Record<string, unknown> : {};
  out.layer = { ...layer, versions: { ...versions, attack: to.split('.')[0] }, techniques: [...placed.values()] };
  return out;
}
