/** Lucene query_string syntax tree (the subset Elastic rules use). */
import type { PatternPart } from '../elastic/pattern.js';
import type { Span } from '../elastic/position.js';

export type LuceneTerm =
  /** `fuzzy`: written with `~` (a fuzzy term, or a phrase with slop): not an exact match. */
  | { kind: 'term'; text: string; parts: PatternPart[]; span: Span; fuzzy?: boolean }
  | { kind: 'phrase'; text: string; span: Span; fuzzy?: boolean }
  | { kind: 'regex'; pattern: string; span: Span }
  | { kind: 'range'; lower: string | null; upper: string | null; includeLower: boolean; includeUpper: boolean; span: Span };

export type LuceneNode =
  | { type: 'and' | 'or'; children: LuceneNode[] }
  | { type: 'not'; child: LuceneNode }
  /** field: term; field null for a default-field search. */
  | { type: 'term'; field: string | null; term: LuceneTerm }
  /** field: ( a OR b ...): a boolean of terms on one field. */
  | { type: 'group'; field: string; query: LuceneNode };
