import type { CoverageMatrix } from './coverage.js';

/** An ATT&CK Navigator layer, format 4.5 (the fields this project writes). */
export interface NavigatorLayer {
  name: string;
  versions: { attack: string; navigator: string; layer: '4.5' };
  domain: 'enterprise-attack';
  description: string;
  filters: { platforms: string[] };
  sorting: number;
  layout: { layout: 'side' | 'flat' | 'mini'; aggregateFunction: 'average' | 'min' | 'max' | 'sum'; showID: boolean; showName: boolean; showAggregateScores: boolean; countUnscored: boolean; expandedSubtechniques: 'none' | 'annotated' | 'all' };
  hideDisabled: boolean;
  techniques: Array<{ techniqueID: string; score: number; color: string; comment: string; enabled: boolean; metadata: Array<{ name: string; value: string }>; links: Array<{ label: string; url: string }>; showSubtechniques: boolean }>;
  gradient: { colors: string[]; minValue: number; maxValue: number };
  legendItems: Array<{ label: string; color: string }>;
  metadata: Array<{ name: string; value: string }>;
  links: Array<{ label: string; url: string }>;
  showTacticRowBackground: boolean;
  tacticRowBackground: string;
  selectTechniquesAcrossTactics: boolean;
  selectSubtechniquesWithParent: boolean;
  selectVisibleTechniques: boolean;
}

/** Navigator's platform names for the catalog's platforms (others have no Navigator filter). */
const NAVIGATOR_PLATFORMS: Readonly<Record<string, string>> = { windows: 'Windows', linux: 'Linux', macos: 'macOS' };

/** Colour buckets by rule count; the coverage page uses the same ones. */
export const COVERAGE_BUCKETS: ReadonlyArray<{ min: number; color: string; label: string }> = [
  { min: 0, color: '#ffffff', label: 'no rule' },
  { min: 1, color: '#d8ecf9', label: '1-2 rules' },
  { min: 3, color: '#9ccbee', label: '3-9 rules' },
  { min: 10, color: '#4f9ad6', label: '10-29 rules' },
  { min: 30, color: '#1f5f99', label: '30 or more rules' },
];

export function bucketOf(rules: number): number {
  let k = 0;
  COVERAGE_BUCKETS.forEach((b, i) => { if (rules >= b.min) k = i; });
  return k;
}

/**
 * The matrix as a Navigator layer: one entry per technique and sub-technique with rules (score = rule
 * count, as the coverage page shows it; a parent counts its sub-techniques' rules too).
 */
export function navigatorLayer(m: CoverageMatrix): NavigatorLayer {
  const entries = new Map<string, number>();
  for (const t of m.tactics) {
    for (const c of t.techniques) {
      if (c.rules > 0) entries.set(c.id, c.rules);
      for (const s of c.subtechniques) if (s.rules > 0) entries.set(s.id, s.rules);
    }
  }
  const max = Math.max(1, ...entries.values());
  const f = m.filters;
  const what = [f.vendor && `vendor ${f.vendor}`, f.platform && `platform ${f.platform}`, f.logsource && `log source ${f.logsource}`].filter(Boolean).join(', ');
  return {
    name: `detectory coverage${what ? ` (${what})` : ''}`,
    versions: { attack: m.release.split('.')[0] || m.release, navigator: '5.1.0', layer: '4.5' },
    domain: 'enterprise-attack',
    description: `Catalog rules per technique (${m.rules} rules${what ? `; ${what}` : ''}); ATT&CK release ${m.release}`,
    filters: { platforms: f.platform && NAVIGATOR_PLATFORMS[f.platform] ? [NAVIGATOR_PLATFORMS[f.platform]] : [] },
    sorting: 3,
    layout: { layout: 'side', aggregateFunction: 'average', showID: true, showName: true, showAggregateScores: false, countUnscored: false, expandedSubtechniques: 'none' },
    hideDisabled: false,
    techniques: [...entries].map(([id, n]) => ({
      techniqueID: id, score: n, color: '', comment: `${n} rule${n === 1 ? '' : 's'}`, enabled: true, metadata: [], links: [], showSubtechniques: false,
    })),
    gradient: { colors: ['#d8ecf9', '#1f5f99'], minValue: 0, maxValue: max },
    legendItems: COVERAGE_BUCKETS.slice(1).map((b) => ({ label: b.label, color: b.color })),
    metadata: [{ name: 'generator', value: 'detectory coverage layer' }],
    links: [],
    showTacticRowBackground: false,
    tacticRowBackground: '#dddddd',
    selectTechniquesAcrossTactics: true,
    selectSubtechniquesWithParent: false,
    selectVisibleTechniques: false,
  };
}
