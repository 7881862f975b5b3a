/**
 * Field mappings for Windows sources whose events name Sigma's fields differently. A rule compiled
 * for such a source has its fields renamed; fields starting with "__" are derived by the event
 * normalizer (src/events/normalize.ts) from raw fields of the same event.
 */
export interface FieldMapping {
  /** Sigma field -> field of the raw event (or a derived "__" field). */
  rename: Record<string, string>;
}

export const WINDOWS_FIELD_MAPPINGS: Record<string, FieldMapping> = {
  security_4688: {
    rename: {
      Image: 'NewProcessName',
      ParentImage: 'ParentProcessName',
      ProcessId: 'NewProcessId',
      ParentProcessId: 'ProcessId',
      LogonId: 'SubjectLogonId',
      User: '__User',
      IntegrityLevel: '__IntegrityLevel',
      ParentUser: '__ParentUser',
    },
  },
};

/** Mandatory label SIDs of Security 4688 to Sysmon's IntegrityLevel names. */
export const INTEGRITY_LEVELS: Record<string, string> = {
  'S-1-16-0': 'Untrusted',
  'S-1-16-4096': 'Low',
  'S-1-16-8192': 'Medium',
  'S-1-16-8448': 'Medium',
  'S-1-16-12288': 'High',
  'S-1-16-16384': 'System',
  'S-1-16-20480': 'Protected',
};
