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

export interface CrosswalkEntry {
  /** The vendor field as written in rules (case-sensitive for ECS/CIM, looked up case-insensitively for raw Windows names). */
  vendor: string;
  /** The canonical field. */
  canonical: string;
  derive: Derivation;
  /** Why this mapping, when it is not obvious. */
  note?: string;
}

/** Shorthand used by the tables. */
export const m = (vendor: string, canonical: string, derive: Derivation = 'same', note?: string): CrosswalkEntry =>
  note === undefined ? { vendor, canonical, derive } : { vendor, canonical, derive, note };
