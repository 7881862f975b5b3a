/**
 * The STIX object types an ATT&CK bundle carries, the kind each is shown as, and the ATT&CK id prefix
 * that names it. A type missing from this table is kept (kind "unknown") and reported at import.
 */
export type Kind =
  | 'technique' | 'tactic' | 'mitigation' | 'group' | 'software' | 'campaign'
  | 'data-source' | 'data-component' | 'detection-strategy' | 'analytic'
  | 'matrix' | 'collection' | 'identity' | 'marking-definition' | 'relationship' | 'asset' | 'unknown';

export interface KindRow {
  stixType: string;
  kind: Kind;
  /** ATT&CK id prefixes of this type (T1216 -> "T"). */
  prefixes: string[];
  label: string;
}

export const KINDS: readonly KindRow[] = [
  { stixType: 'attack-pattern', kind: 'technique', prefixes: ['T'], label: 'Technique' },
  { stixType: 'x-mitre-tactic', kind: 'tactic', prefixes: ['TA'], label: 'Tactic' },
  { stixType: 'course-of-action', kind: 'mitigation', prefixes: ['M'], label: 'Mitigation' },
  { stixType: 'intrusion-set', kind: 'group', prefixes: ['G'], label: 'Group' },
  { stixType: 'malware', kind: 'software', prefixes: ['S'], label: 'Software (malware)' },
  { stixType: 'tool', kind: 'software', prefixes: ['S'], label: 'Software (tool)' },
  { stixType: 'campaign', kind: 'campaign', prefixes: ['C'], label: 'Campaign' },
  { stixType: 'x-mitre-data-source', kind: 'data-source', prefixes: ['DS'], label: 'Data source' },
  { stixType: 'x-mitre-data-component', kind: 'data-component', prefixes: ['DC'], label: 'Data component' },
  { stixType: 'x-mitre-detection-strategy', kind: 'detection-strategy', prefixes: ['DET'], label: 'Detection strategy' },
  { stixType: 'x-mitre-analytic', kind: 'analytic', prefixes: ['AN'], label: 'Analytic' },
  { stixType: 'x-mitre-asset', kind: 'asset', prefixes: ['A'], label: 'Asset' },
  { stixType: 'x-mitre-matrix', kind: 'matrix', prefixes: [], label: 'Matrix' },
  { stixType: 'x-mitre-collection', kind: 'collection', prefixes: [], label: 'Collection' },
  { stixType: 'identity', kind: 'identity', prefixes: [], label: 'Identity' },
  { stixType: 'marking-definition', kind: 'marking-definition', prefixes: [], label: 'Marking definition' },
  { stixType: 'relationship', kind: 'relationship', prefixes: [], label: 'Relationship' },
];

const BY_TYPE = new Map(KINDS.map((k) => [k.stixType, k]));

export function kindOf(stixType: string): Kind {
  return BY_TYPE.get(stixType)?.kind ?? 'unknown';
}

export function labelOf(stixType: string): string {
  return BY_TYPE.get(stixType)?.label ?? `Unknown type ${stixType}`;
}

export function isKnownType(stixType: string): boolean {
  return BY_TYPE.has(stixType);
}

/** The prefix of an ATT&CK id: "T1216.001" -> "T", "DET0466" -> "DET", "AN1288" -> "AN". */
export function idPrefix(attackId: string): string {
  const m = /^([A-Za-z]+)\d/.exec(attackId);
  return m ? m[1].toUpperCase() : '';
}

/** STIX types an ATT&CK id with this prefix normally names (first choice when ids collide). */
export function typesForPrefix(prefix: string): string[] {
  return KINDS.filter((k) => k.prefixes.includes(prefix)).map((k) => k.stixType);
}

/** Looks like an ATT&CK id (T1216, T1216.001, TA0005, AN1288, DET0466, DC0032, M1038, G0007, S0002, C0010, DS0009). */
export const ATTACK_ID_RE = /^(?:T\d{4}(?:\.\d{3})?|TA\d{4}|AN\d{4}|DET\d{4}|DC\d{4}|DS\d{4}|M\d{4}|G\d{4}|S\d{4}|C\d{4}|A\d{4})$/i;
