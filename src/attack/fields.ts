/** Typed reads of the fields ATT&CK puts on STIX objects. Bundle text is untrusted: every read checks its type. */
export type Json = Record<string, unknown>;

export function str(o: Json, key: string): string {
  const v = o[key];
  return typeof v === 'string' ? v : '';
}

export function bool(o: Json, key: string): boolean {
  return o[key] === true;
}

export function strList(o: Json, key: string): string[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function objList(o: Json, key: string): Json[] {
  const v = o[key];
  return Array.isArray(v) ? v.filter((x): x is Json => !!x && typeof x === 'object' && !Array.isArray(x)) : [];
}

export interface ExternalRef {
  source_name: string;
  external_id: string;
  url: string;
  description: string;
}

export function externalRefs(o: Json): ExternalRef[] {
  return objList(o, 'external_references').map((r) => ({
    source_name: str(r, 'source_name'),
    external_id: str(r, 'external_id'),
    url: str(r, 'url'),
    description: str(r, 'description'),
  }));
}

const ATTACK_SOURCES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);

/** The ATT&CK id (T1216, AN1288, ...) from the object's mitre-attack external reference, or ''. */
export function attackIdOf(o: Json): string {
  for (const r of objList(o, 'external_references')) {
    if (ATTACK_SOURCES.has(str(r, 'source_name')) && str(r, 'external_id')) return str(r, 'external_id');
  }
  return '';
}

export function attackUrlOf(o: Json): string {
  for (const r of objList(o, 'external_references')) if (ATTACK_SOURCES.has(str(r, 'source_name'))) return str(r, 'url');
  return '';
}

/** Tactic short names from kill_chain_phases (defense-evasion, execution, ...). */
export function phaseNames(o: Json): string[] {
  return objList(o, 'kill_chain_phases')
    .filter((p) => str(p, 'kill_chain_name').startsWith('mitre-'))
    .map((p) => str(p, 'phase_name'))
    .filter(Boolean);
}

export interface LogSourceRef {
  dataComponentRef: string;
  name: string;
  channel: string;
}

export function logSourceRefs(o: Json): LogSourceRef[] {
  return objList(o, 'x_mitre_log_source_references').map((r) => ({
    dataComponentRef: str(r, 'x_mitre_data_component_ref'),
    name: str(r, 'name'),
    channel: str(r, 'channel'),
  }));
}

export function dataComponentLogSources(o: Json): Array<{ name: string; channel: string }> {
  return objList(o, 'x_mitre_log_sources').map((r) => ({ name: str(r, 'name'), channel: str(r, 'channel') }));
}

export function mutableElements(o: Json): Array<{ field: string; description: string }> {
  return objList(o, 'x_mitre_mutable_elements').map((r) => ({ field: str(r, 'field'), description: str(r, 'description') }));
}
