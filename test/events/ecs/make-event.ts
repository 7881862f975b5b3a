import type { EventRecord } from '../../../src/events/types.js';

/** A hand-made event in the evtx_dump shape the readers yield. */
export function makeEvent(
  channel: string,
  provider: string,
  id: number,
  data: Record<string, unknown>,
  opts: { time?: string; computer?: string; userId?: string; keywords?: string; recordId?: number; task?: number; userData?: Record<string, unknown> } = {},
): EventRecord {
  const system: Record<string, unknown> = {
    Provider: { '#attributes': { Name: provider } },
    EventID: id,
    Version: 2,
    Level: 4,
    Opcode: 0,
    Task: opts.task ?? 0,
    Keywords: opts.keywords ?? '0x8000000000000000',
    TimeCreated: { '#attributes': { SystemTime: opts.time ?? '2024-05-01T10:00:00.123456Z' } },
    EventRecordID: opts.recordId ?? 1,
    Execution: { '#attributes': { ProcessID: 100, ThreadID: 200 } },
    Channel: channel,
    Computer: opts.computer ?? 'HOST1',
    Security: opts.userId ? { '#attributes': { UserID: opts.userId } } : null,
  };
  const event: Record<string, unknown> = { System: system };
  if (opts.userData) event.UserData = opts.userData;
  else event.EventData = data;
  return { file: 'hand-made', recordId: opts.recordId ?? 1, event };
}

export const sysmon = (id: number, data: Record<string, unknown>, time?: string, computer?: string): EventRecord =>
  makeEvent('Microsoft-Windows-Sysmon/Operational', 'Microsoft-Windows-Sysmon', id, data, { time, computer, userId: 'S-1-5-18' });

export const security = (id: number, data: Record<string, unknown>, opts: Parameters<typeof makeEvent>[4] = {}): EventRecord =>
  makeEvent('Security', 'Microsoft-Windows-Security-Auditing', id, data, { keywords: '0x8020000000000000', ...opts });
