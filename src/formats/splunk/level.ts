/**
 * Splunk detections carry no severity; they carry a risk score (tags.risk_score, which
 * security_content computes as confidence x impact / 100; or the highest rba.risk_objects score in
 * newer files). The level is read from that score with this table (lower bounds, inclusive).
 */
import type { Level } from '../../model/index.js';

export const RISK_SCORE_LEVELS: readonly { min: number; level: Level }[] = [
  { min: 80, level: 'critical' },
  { min: 60, level: 'high' },
  { min: 40, level: 'medium' },
  { min: 20, level: 'low' },
  { min: 0, level: 'informational' },
];

function num(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** The risk score of a detection document: rba objects, tags.risk_score, or confidence x impact. */
export function riskScore(doc: Record<string, unknown>): number | undefined {
  const rba = doc.rba as { risk_objects?: { score?: unknown }[] } | undefined;
  const scores = (Array.isArray(rba?.risk_objects) ? rba.risk_objects : []).map((o) => num(o?.score)).filter((n): n is number => n !== undefined);
  if (scores.length) return Math.max(...scores);
  const tags = (doc.tags ?? {}) as Record<string, unknown>;
  const rs = num(tags.risk_score);
  if (rs !== undefined) return rs;
  const c = num(tags.confidence);
  const i = num(tags.impact);
  return c !== undefined && i !== undefined ? Math.round((c * i) / 100) : undefined;
}

export function levelOfScore(score: number | undefined): Level | undefined {
  if (score === undefined) return undefined;
  return RISK_SCORE_LEVELS.find((r) => score >= r.min)?.level;
}
