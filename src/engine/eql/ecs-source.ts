/**
 * ADAPTER (one file, to be swapped at merge): where the EQL engine gets ECS documents from.
 *
 * The ECS normalization of Windows events is written by another branch (src/events/ecs, exporting
 * `toEcs(rec: EventRecord)`), and its JSON readers pass ECS documents through. Until it is merged,
 * this file carries a MINIMAL FALLBACK of its own, clearly limited: a few Sysmon / Security fields,
 * enough for the engine's tests and the seed rule. At merge: replace `fallbackToEcs` by the real
 * `toEcs` and let `readEcsEvents` use readEventFile for every extension.
 */
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { createInterface } from 'node:readline';
import { listEventFiles, readEventFile } from '../../events/read.js';
import { toEventRecord } from '../../events/json/shapes.js';
import type { EventRecord, ProblemSink } from '../../events/types.js';

export type EcsDoc = Record<string, unknown>;

/** One input event: its source record (file, record id...) and its ECS document. */
export interface EcsEvent {
  rec: EventRecord;
  doc: EcsDoc;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** An ECS document (Winlogbeat, Elastic Agent, Elastic Defend): @timestamp and no Windows XML shape. */
export function isEcsDocument(v: unknown): v is EcsDoc {
  return isObject(v) && '@timestamp' in v && !('System' in v) && !('Event' in v);
}

/** The ECS document of a Windows event record (see the file comment: fallback until merge). */
export function toEcs(rec: EventRecord): EcsDoc {
  const own = (rec as EventRecord & { ecs?: EcsDoc }).ecs;
  if (own) return own;
  if (isEcsDocument(rec.event)) return rec.event;
  return fallbackToEcs(rec);
}

// ---------------------------------------------------------------- MINIMAL FALLBACK (replace at merge)
const basename = (p: unknown): string | undefined => (typeof p === 'string' ? p.split(/[\\/]/).pop() : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' && v !== '-' ? v : undefined);

function splitUser(u: unknown): { name?: string; domain?: string } {
  const s = str(u);
  if (!s) return {};
  const i = s.indexOf('\\');
  return i < 0 ? { name: s } : { domain: s.slice(0, i), name: s.slice(i + 1) };
}

/** Data stream of a channel, as Elastic's integrations name them (decides which rules see an event). */
const DATASETS: Record<string, string> = {
  'Microsoft-Windows-Sysmon/Operational': 'windows.sysmon_operational',
  Security: 'system.security',
  System: 'system.system',
  Application: 'system.application',
  'Microsoft-Windows-PowerShell/Operational': 'windows.powershell_operational',
  'Windows PowerShell': 'windows.powershell',
};

function fallbackToEcs(rec: EventRecord): EcsDoc {
  const sys = (rec.event.System ?? {}) as Record<string, unknown>;
  const data = (rec.event.EventData ?? {}) as Record<string, unknown>;
  const channel = String(sys.Channel ?? '');
  const idRaw = sys.EventID;
  const code = Number(isObject(idRaw) ? idRaw['#text'] : idRaw);
  const computer = str(sys.Computer);
  const doc: EcsDoc = {
    '@timestamp': rec.timestamp,
    event: { code: String(code), provider: (sys.Provider as Record<string, Record<string, unknown>> | undefined)?.['#attributes']?.Name },
    host: { name: computer, id: computer, os: { type: 'windows', family: 'windows' } },
    winlog: { channel, event_id: String(code), computer_name: computer, record_id: rec.recordId, event_data: data },
    data_stream: { type: 'logs', dataset: DATASETS[channel] ?? 'windows.forwarded', namespace: 'default' },
  };
  const event = doc.event as Record<string, unknown>;
  const user = splitUser(data.User);
  const proc = (image: unknown, pid: unknown, guid: unknown, cmd?: unknown, original?: unknown): EcsDoc => ({
    executable: str(image), name: basename(image), pid: pid !== undefined ? Number(pid) : undefined, entity_id: str(guid),
    ...(cmd !== undefined ? { command_line: str(cmd) } : {}), ...(original !== undefined ? { pe: { original_file_name: str(original) } } : {}),
  });
  if (channel === 'Microsoft-Windows-Sysmon/Operational') {
    if (code === 1) {
      Object.assign(event, { category: ['process'], type: ['start'], action: 'Process Create (rule: ProcessCreate)' });
      doc.process = { ...proc(data.Image, data.ProcessId, data.ProcessGuid, data.CommandLine, data.OriginalFileName), parent: proc(data.ParentImage, data.ParentProcessId, data.ParentProcessGuid, data.ParentCommandLine) };
      doc.user = user;
    } else if (code === 7) {
      Object.assign(event, { category: ['process'], type: ['change'], action: 'Image loaded (rule: ImageLoad)' });
      doc.process = proc(data.Image, data.ProcessId, data.ProcessGuid);
      doc.dll = { path: str(data.ImageLoaded), name: basename(data.ImageLoaded), pe: { original_file_name: str(data.OriginalFileName) } };
      doc.file = { path: str(data.ImageLoaded), name: basename(data.ImageLoaded) };
      doc.user = user;
    } else if (code === 11) {
      Object.assign(event, { category: ['file'], type: ['creation'] });
      doc.process = proc(data.Image, data.ProcessId, data.ProcessGuid);
      doc.file = { path: str(data.TargetFilename), name: basename(data.TargetFilename) };
    } else if (code === 3) {
      Object.assign(event, { category: ['network'], type: ['connection'] });
      doc.process = proc(data.Image, data.ProcessId, data.ProcessGuid);
      doc.source = { ip: str(data.SourceIp), port: Number(data.SourcePort) };
      doc.destination = { ip: str(data.DestinationIp), port: Number(data.DestinationPort) };
    }
  } else if (channel === 'Security' && code === 4688) {
    Object.assign(event, { category: ['process'], type: ['start'] });
    doc.process = { ...proc(data.NewProcessName, data.NewProcessId, undefined, data.CommandLine), parent: proc(data.ParentProcessName, data.ProcessId, undefined) };
    doc.user = { name: str(data.SubjectUserName), domain: str(data.SubjectDomainName) };
  }
  return doc;
}
// ---------------------------------------------------------------- end of the fallback

/**
 * The ECS documents of every event file under `paths`, in batches, in file order. NDJSON lines that
 * are ECS documents pass through; Windows events (EVTX, evtx_dump JSON) go through toEcs.
 */
export async function* readEcsEvents(paths: string[], onProblem: ProblemSink): AsyncGenerator<EcsEvent[]> {
  const { files } = listEventFiles(paths, onProblem);
  for (const file of files) {
    const ext = extname(file).toLowerCase();
    if (ext === '.jsonl' || ext === '.ndjson') {
      yield* readNdjsonEcs(file, onProblem);
      continue;
    }
    for await (const batch of readEventFile(file, onProblem)) yield batch.map((rec) => ({ rec, doc: toEcs(rec) }));
  }
}

async function* readNdjsonEcs(file: string, onProblem: ProblemSink): AsyncGenerator<EcsEvent[]> {
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  let n = 0;
  let batch: EcsEvent[] = [];
  for await (const line of lines) {
    n++;
    if (line.trim() === '') continue;
    const where = `line ${n}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (e) {
      onProblem({ file, where, reason: 'invalid-json', message: (e as Error).message });
      continue;
    }
    if (isEcsDocument(v)) {
      batch.push({ rec: { file, where, event: v, timestamp: typeof v['@timestamp'] === 'string' ? v['@timestamp'] : undefined }, doc: v });
    } else {
      const rec = toEventRecord(v, file, where);
      if (typeof rec === 'string') onProblem({ file, where, reason: 'not-an-event', message: rec });
      else batch.push({ rec, doc: toEcs(rec) });
    }
    if (batch.length >= 512) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** Milliseconds since the epoch of a document's @timestamp (NaN when absent or unreadable). */
export function timestampMs(doc: EcsDoc): number {
  const t = doc['@timestamp'];
  if (typeof t === 'number') return t;
  return typeof t === 'string' ? Date.parse(t) : Number.NaN;
}
