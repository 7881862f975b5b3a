/**
 * The Sigma value modifiers (spec 2.1), one entry per name. `kind` says what a modifier does:
 * - type: decides how the value is compared (re, cidr, exists, fieldref, lt..., time parts);
 * - position: puts wildcards at the ends (contains, startswith, endswith);
 * - transform: rewrites each value, possibly into several (windash, base64, base64offset, utf16...);
 * - flag: changes how values combine or compare (all, cased, neq, expand, re sub-modifiers).
 */
import type { TimePart } from '../../model/index.js';

export type ModifierKind = 'type' | 'position' | 'transform' | 'flag';

export interface ModifierInfo {
  kind: ModifierKind;
  /** Only valid right after (or among the sub-modifiers of) this modifier. */
  after?: string;
}

export const MODIFIERS: Record<string, ModifierInfo> = {
  contains: { kind: 'position' },
  startswith: { kind: 'position' },
  endswith: { kind: 'position' },
  all: { kind: 'flag' },
  cased: { kind: 'flag' },
  neq: { kind: 'flag' },
  expand: { kind: 'flag' },
  exists: { kind: 'type' },
  re: { kind: 'type' },
  i: { kind: 'flag', after: 're' },
  m: { kind: 'flag', after: 're' },
  s: { kind: 'flag', after: 're' },
  cidr: { kind: 'type' },
  fieldref: { kind: 'type' },
  lt: { kind: 'type' },
  lte: { kind: 'type' },
  gt: { kind: 'type' },
  gte: { kind: 'type' },
  minute: { kind: 'type' },
  hour: { kind: 'type' },
  day: { kind: 'type' },
  week: { kind: 'type' },
  month: { kind: 'type' },
  year: { kind: 'type' },
  windash: { kind: 'transform' },
  base64: { kind: 'transform' },
  base64offset: { kind: 'transform' },
  utf16le: { kind: 'transform' },
  utf16be: { kind: 'transform' },
  utf16: { kind: 'transform' },
  wide: { kind: 'transform' },
};

export const TIME_PARTS: readonly TimePart[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];
export const COMPARISONS = ['lt', 'lte', 'gt', 'gte'] as const;
