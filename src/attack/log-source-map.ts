/**
 * ATT&CK log-source references ("WinEventLog:Sysmon", "EventCode=1") mapped to the event categories the
 * catalog uses (Sigma logsource category, product, service), so that an analytic can be joined with
 * rules. A reviewer reads the table; the code below it only parses channels.
 */
export interface EventCategory {
  product: string;
  service: string;
  /** Sigma logsource categories this event is filed under ('' when rules name the service only). */
  categories: string[];
}

interface SourceRow {
  /** Log source names as ATT&CK writes them (compared case-insensitively). */
  names: string[];
  product: string;
  service: string;
  /** Event id -> Sigma categories. Event ids not listed still map to product/service. */
  events: Record<number, string[]>;
}

export const LOG_SOURCE_TABLE: readonly SourceRow[] = [
  {
    names: ['WinEventLog:Sysmon', 'WinEventLog:Microsoft-Windows-Sysmon/Operational'],
    product: 'windows',
    service: 'sysmon',
    events: {
      1: ['process_creation'], 2: ['file_change'], 3: ['network_connection'], 5: ['process_termination'],
      6: ['driver_load'], 7: ['image_load'], 8: ['create_remote_thread'], 9: ['raw_access_thread'],
      10: ['process_access'], 11: ['file_event'], 12: ['registry_event', 'registry_add', 'registry_delete'],
      13: ['registry_event', 'registry_set'], 14: ['registry_event', 'registry_rename'], 15: ['create_stream_hash'],
      17: ['pipe_created'], 18: ['pipe_created'], 19: ['wmi_event'], 20: ['wmi_event'], 21: ['wmi_event'],
      22: ['dns_query'], 23: ['file_delete'], 24: ['clipboard_change'], 25: ['process_tampering'], 26: ['file_delete'],
      27: ['file_block'], 28: ['file_block'], 29: ['file_executable_detected'],
    },
  },
  {
    names: ['linux:Sysmon'],
    product: 'linux',
    service: 'sysmon',
    events: { 1: ['process_creation'], 3: ['network_connection'], 11: ['file_event'], 23: ['file_delete'] },
  },
  {
    names: ['WinEventLog:Security'],
    product: 'windows',
    service: 'security',
    events: { 4688: ['process_creation'] },
  },
  {
    names: ['WinEventLog:PowerShell', 'WinEventLog:Microsoft-Windows-PowerShell/Operational'],
    product: 'windows',
    service: 'powershell',
    events: { 4103: ['ps_module'], 4104: ['ps_script'], 4105: ['ps_script'], 4106: ['ps_script'], 400: ['ps_classic_start'], 600: ['ps_classic_provider_start'] },
  },
  { names: ['WinEventLog:System'], product: 'windows', service: 'system', events: {} },
  { names: ['WinEventLog:Application'], product: 'windows', service: 'application', events: {} },
  { names: ['WinEventLog:Microsoft-Windows-WMI-Activity/Operational'], product: 'windows', service: 'wmi', events: {} },
  { names: ['WinEventLog:Microsoft-Windows-TaskScheduler/Operational'], product: 'windows', service: 'taskscheduler', events: {} },
  { names: ['WinEventLog:Microsoft-Windows-Windows Defender/Operational'], product: 'windows', service: 'windefend', events: {} },
  { names: ['WinEventLog:AppLocker'], product: 'windows', service: 'applocker', events: {} },
];

const BY_NAME = new Map<string, SourceRow>();
for (const row of LOG_SOURCE_TABLE) for (const n of row.names) BY_NAME.set(n.toLowerCase(), row);

/** Event ids named in a channel: "EventCode=4103, 4104, 4105, 4106" -> [4103, 4104, 4105, 4106]; "4103-4106" too. */
export function eventIdsOf(channel: string): number[] {
  const m = /\bEvent(?:Code|ID|Id)\s*[=:]\s*([0-9][0-9,\s-]*)/i.exec(channel);
  if (!m) return [];
  const out: number[] = [];
  for (const part of m[1].split(',')) {
    const r = /^\s*(\d{1,6})\s*(?:-\s*(\d{1,6}))?\s*$/.exec(part);
    if (!r) continue;
    const a = Number(r[1]);
    const b = r[2] ? Number(r[2]) : a;
    for (let i = a; i <= b && i - a < 100; i++) out.push(i);
  }
  return [...new Set(out)];
}

/** Categories for one log-source reference; undefined when the source is not one the catalog knows. */
export function eventCategoryOf(name: string, channel: string): EventCategory | undefined {
  const row = BY_NAME.get(name.trim().toLowerCase());
  if (!row) return undefined;
  const categories = new Set<string>();
  for (const id of eventIdsOf(channel)) for (const c of row.events[id] ?? []) categories.add(c);
  return { product: row.product, service: row.service, categories: [...categories] };
}
