/**
 * Shapes of the field crosswalk tables. A vendor field maps onto exactly one canonical field (Sigma
 * taxonomy name where Sigma has one, otherwise ECS), with a derivation saying how the operator and
 * values change when the vendor field is only a part of the canonical one.
 */

/**
 * How a vendor field relates to its canonical field:
 * - same: the same value (rename only)
 * - basename: the last path component (process.name of Image): eq x -> ends_with '\x'
 * - extension: the file extension without the dot (file.extension of TargetFilename): eq x -> ends_with '.x'
 * - directory: the folder part of a path (file.directory of TargetFilename): eq x -> starts_with 'x\'
 * - hash:ALG: one hash of a Sysmon-style "ALG=value,..." list (process.hash.sha256 of Hashes): eq x -> contains 'ALG=x'
 */
export type Derivation = 'same' | 'basename' | 'extension' | 'directory' | `hash:${string}`;

/**
 * When a row applies, for vendor fields whose meaning depends on the event (a table may hold several
 * rows for one vendor field: the first whose condition holds wins; a field with no matching row
 * stays under its own name). Every listed condition must hold.
 */
export interface When {
  /** The event categories (ECS event.category, EQL `category where`) the test is scoped to must all be among these. */
  categories?: readonly string[];
  /** The rule reads one of these data sources (see taxonomy/context.ts: winlog, web, endpoint...). */
  sources?: readonly string[];
  /** Every value is a number (or a numeric string). */
  numeric?: boolean;
}

export interface CrosswalkEntry {
  /** The vendor field as written in rules (case-sensitive for ECS/CIM, looked up case-insensitively for raw Windows names). */
  vendor: string;
  /** The canonical field. */
  canonical: string;
  derive: Derivation;
  /** Why this mapping, when it is not obvious. */
  note?: string;
  /** The row applies only in this context (category-aware mappings). */
  when?: When;
}

/** Shorthand used by the tables. */
export const m = (vendor: string, canonical: string, derive: Derivation = 'same', note?: string, when?: When): CrosswalkEntry => ({
  vendor, canonical, derive, ...(note !== undefined ? { note } : {}), ...(when ? { when } : {}),
});
