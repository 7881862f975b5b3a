/** A small synthetic bundle: one tactic, two techniques (one revoked by the other), one odd object. */
export function tinyBundle(extra: unknown[] = [], version?: string): object {
  const ref = (id: string, url = '') => [{ source_name: 'mitre-attack', external_id: id, url }];
  const objects: unknown[] = [
    { type: 'x-mitre-tactic', id: 'x-mitre-tactic--1', name: 'Execution', x_mitre_shortname: 'execution', external_references: ref('TA0002'), modified: '2025-01-01T00:00:00.000Z' },
    { type: 'attack-pattern', id: 'attack-pattern--1', name: 'New Technique', external_references: ref('T0001'), kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'execution' }], modified: '2025-01-01T00:00:00.000Z', x_mitre_version: '1.0' },
    { type: 'attack-pattern', id: 'attack-pattern--2', name: 'Old Technique', revoked: true, external_references: ref('T0002'), modified: '2024-01-01T00:00:00.000Z' },
    { type: 'relationship', id: 'relationship--1', relationship_type: 'revoked-by', source_ref: 'attack-pattern--2', target_ref: 'attack-pattern--1' },
    ...extra,
  ];
  if (version) objects.push({ type: 'x-mitre-collection', id: 'x-mitre-collection--1', name: 'Test ATT&CK', x_mitre_version: version });
  return { type: 'bundle', id: 'bundle--1', spec_version: '2.0', objects };
}

