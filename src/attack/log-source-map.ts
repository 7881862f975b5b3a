/**
 * ATT&CK log-source references ("WinEventLog:Sysmon", "EventCode=1") mapped to the event categories the
 * catalog uses (Sigma logsource category, product, service), so that an analytic can be joined with
 * rules. Windows event ids come from the taxonomy's logsource table; the code below only parses channels.
 */
import { WINDOWS_CATEGORIES } from '../taxonomy/logsource-windows.js';

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

/**
 * Event id -> Sigma categories of a Windows channel, read from the taxonomy's logsource table (the
 * one the scanner routes events by), so the two cannot disagree. 12/13/14 also count as the generic
 * registry_event, which the taxonomy lists as a category of its own.
 */
function windowsEvents(channel: string): Record<number, string[]> {
  const out: Record<number, string[]> = {};
  for (const [category, sources] of Object.entries(WINDOWS_CATEGORIES)) {
    for (const src of sources) {
      if (src.channel.toLowerCase() !== channel.toLowerCase()) continue;
      for (const id of src.eventIds ?? []) (out[id] ??= []).push(category);
    }
  }
  return out;
}

const SYSMON = 'Microsoft-Windows-Sysmon/Operational';
const POWERSHELL = 'Microsoft-Windows-PowerShell/Operational';

export const LOG_SOURCE_TABLE: readonly SourceRow[] = [
  { names: ['WinEventLog:Sysmon', `WinEventLog:${SYSMON}`], product: 'windows', service: 'sysmon', events: windowsEvents(SYSMON) },
  {
    names: ['linux:Sysmon'],
    product: 'linux',
    service: 'sysmon',
    events: { 1: ['process_creation'], 3: ['network_connection'], 11: ['file_event'], 23: ['file_delete'] },
  },
  { names: ['WinEventLog:Security'], product: 'windows', service: 'security', events: windowsEvents('Security') },
  {
    names: ['WinEventLog:PowerShell', `WinEventLog:${POWERSHELL}`],
    product: 'windows',
    service: 'powershell',
    // 4105/4106 (script block start/stop) have no Sigma category of their own: they belong with ps_script.
    events: { ...windowsEvents(POWERSHELL), ...windowsEvents('Windows PowerShell'), 4105: ['ps_script'], 4106: ['ps_script'] },
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
