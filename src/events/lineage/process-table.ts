/**
 * Process lineage, built while events stream by: which process started which, so that an event's
 * process has its ancestry and rules can ask for it.
 *
 * Interface (for the EQL engine's `descendant of` / `child of` / `event of`, and for analytics):
 *   const t = new ProcessTable();
 *   t.observe(doc)                  feed every ECS document in time order; returns the event's process
 *                                   node (undefined when the event names no process). For Security
 *                                   4688 / 4689 documents it also writes the synthetic
 *                                   process.entity_id / process.parent.entity_id into the document.
 *   t.get(entityId)                 the node of a process (executable, pid, start/end, signature...)
 *   t.parentOf(entityId)            its parent's entity id
 *   t.ancestorsOf(entityId, max?)   entity ids of the parent, grandparent, ... nearest first
 *   t.isChildOf(id, parentId), t.isDescendantOf(id, ancestorId)
 *   t.ancestry(entityId, n)         the ancestor nodes themselves (e.g. for alert context)
 *
 * EQL lineage (Python eql's extension, not the Elasticsearch dialect): `child of [q]` holds when the
 * event's process.entity_id has parentOf() among the processes q matched; `descendant of [q]` when
 * any of ancestorsOf() is; `event of [q]` when the event's own process.entity_id is.
 *
 * Identities: Sysmon's ProcessGuid (process.entity_id / process.parent.entity_id of the ECS document).
 * Security 4688 has none: a process is "4688:<host>:<pid>:<start time>", its parent the live process of
 * that pid on that host at that time (a 4688 seen earlier, not ended by a 4689), or a placeholder
 * "4688:<host>:<pid>:?" when its start was not seen. A pid started again on the same host (pid
 * reuse, or a missed 4689) ends the older process and the new one takes the pid.
 *
 * Memory is bounded: processes that exited more than `horizonMs` before the latest event time are
 * dropped, and beyond `maxProcesses` the least recently seen go first.
 */
import { type EcsDoc, getPath, setPath } from '../ecs/doc.js';

export interface ProcessNode {
  entityId: string;
  host: string;
  pid?: number;
  parentEntityId?: string;
  executable?: string;
  name?: string;
  commandLine?: string;
  /** Start / end, ms since the epoch, when seen. */
  start?: number;
  end?: number;
  /** The process's own image signature, from a Sysmon 7 load of its executable. */
  signature?: { exists?: boolean; trusted?: boolean; status?: string; subject?: string };
  /** Latest event time that touched this node (for eviction). */
  lastSeen: number;
}

export interface ProcessTableOptions {
  /** How long an exited process stays (ms of event time). Default 1 hour. */
  horizonMs?: number;
  /** At most this many processes are kept. Default 200 000. */
  maxProcesses?: number;
  /** Ancestor chains stop at this depth. Default 64. */
  maxDepth?: number;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const first = (v: unknown): unknown => (Array.isArray(v) ? v[0] : v);

export class ProcessTable {
  private readonly nodes = new Map<string, ProcessNode>();
  /** host + "|" + pid -> entity id of the live 4688 process with that pid. */
  private readonly livePid = new Map<string, string>();
  private readonly horizonMs: number;
  private readonly maxProcesses: number;
  private readonly maxDepth: number;
  private now = 0;
  private sinceEviction = 0;

  constructor(opts: ProcessTableOptions = {}) {
    this.horizonMs = opts.horizonMs ?? 3_600_000;
    this.maxProcesses = opts.maxProcesses ?? 200_000;
    this.maxDepth = opts.maxDepth ?? 64;
  }

  get size(): number {
    return this.nodes.size;
  }

  get(entityId: string): ProcessNode | undefined {
    return this.nodes.get(entityId);
  }

  parentOf(entityId: string): string | undefined {
    return this.nodes.get(entityId)?.parentEntityId;
  }

  ancestorsOf(entityId: string, max = this.maxDepth): string[] {
    const out: string[] = [];
    const seen = new Set<string>([entityId]);
    let cur = this.nodes.get(entityId)?.parentEntityId;
    while (cur !== undefined && out.length < max && !seen.has(cur)) {
      out.push(cur);
      seen.add(cur);
      cur = this.nodes.get(cur)?.parentEntityId;
    }
    return out;
  }

  ancestry(entityId: string, n = this.maxDepth): ProcessNode[] {
    return this.ancestorsOf(entityId, n).map((id) => this.nodes.get(id) ?? { entityId: id, host: '', lastSeen: 0 });
  }

  isChildOf(entityId: string, parentId: string): boolean {
    return this.parentOf(entityId) === parentId;
  }

  isDescendantOf(entityId: string, ancestorId: string): boolean {
    return this.ancestorsOf(entityId).includes(ancestorId);
  }

  /** Updates the table from one ECS document; returns the node of the event's process. */
  observe(doc: EcsDoc): ProcessNode | undefined {
    const t = Date.parse(str(doc['@timestamp']) ?? '');
    const time = Number.isFinite(t) ? t : this.now;
    if (time > this.now) this.now = time;
    const host = str(getPath(doc, 'host.id')) ?? str(getPath(doc, 'host.name')) ?? '';
    const code = str(getPath(doc, 'event.code'));
    const provider = str(getPath(doc, 'event.provider'));
    let node: ProcessNode | undefined;
    if (provider === 'Microsoft-Windows-Security-Auditing' && code === '4688') node = this.start4688(doc, host, time);
    else if (provider === 'Microsoft-Windows-Security-Auditing' && code === '4689') node = this.end4689(doc, host, time);
    else node = this.fromEntityIds(doc, host, time, code);
    if (++this.sinceEviction >= 1024) this.evict();
    return node;
  }

  /** Drops processes that ended more than the horizon ago, then the least recently seen beyond the cap. */
  evict(): void {
    this.sinceEviction = 0;
    const limit = this.now - this.horizonMs;
    for (const [id, n] of this.nodes) {
      if (n.end !== undefined && n.end < limit) this.drop(id, n);
    }
    if (this.nodes.size <= this.maxProcesses) return;
    // Map order is least recently touched first (touch() re-inserts).
    for (const [id, n] of this.nodes) {
      if (this.nodes.size <= this.maxProcesses) break;
      this.drop(id, n);
    }
  }

  private drop(id: string, n: ProcessNode): void {
    this.nodes.delete(id);
    if (n.pid !== undefined) {
      const key = `${n.host}|${n.pid}`;
      if (this.livePid.get(key) === id) this.livePid.delete(key);
    }
  }

  private touch(entityId: string, host: string, time: number): ProcessNode {
    let n = this.nodes.get(entityId);
    if (n) this.nodes.delete(entityId);
    else n = { entityId, host, lastSeen: time };
    if (time > n.lastSeen) n.lastSeen = time;
    this.nodes.set(entityId, n);
    return n;
  }

  /** Sysmon and any document carrying entity ids (ECS input from Elastic Defend too). */
  private fromEntityIds(doc: EcsDoc, host: string, time: number, code: string | undefined): ProcessNode | undefined {
    const id = str(getPath(doc, 'process.entity_id'));
    if (!id) return undefined;
    const n = this.touch(id, host, time);
    n.pid ??= int(getPath(doc, 'process.pid'));
    n.executable ??= str(getPath(doc, 'process.executable'));
    n.name ??= str(getPath(doc, 'process.name'));
    const types = getPath(doc, 'event.type');
    const typeList = Array.isArray(types) ? types : [types];
    const category = getPath(doc, 'event.category');
    const isProcess = Array.isArray(category) ? category.includes('process') : category === 'process';
    if (isProcess && typeList.includes('start') && !typeList.includes('change')) {
      n.start = time;
      n.commandLine = str(getPath(doc, 'process.command_line')) ?? n.commandLine;
      n.executable = str(getPath(doc, 'process.executable')) ?? n.executable;
      n.name = str(getPath(doc, 'process.name')) ?? n.name;
      const parentId = str(getPath(doc, 'process.parent.entity_id'));
      if (parentId && parentId !== id) {
        n.parentEntityId = parentId;
        const p = this.touch(parentId, host, time);
        p.pid ??= int(getPath(doc, 'process.parent.pid'));
        p.executable ??= str(getPath(doc, 'process.parent.executable'));
        p.name ??= str(getPath(doc, 'process.parent.name'));
        p.commandLine ??= str(getPath(doc, 'process.parent.command_line'));
      }
    }
    if (isProcess && typeList.includes('end')) n.end = time;
    // Sysmon 7 of the process's own executable: its image signature.
    const dllPath = str(getPath(doc, 'dll.path')) ?? (code === '7' ? str(getPath(doc, 'file.path')) : undefined);
    if (dllPath && n.executable && dllPath.toLowerCase() === n.executable.toLowerCase()) {
      const cs = (f: string): unknown => getPath(doc, `dll.code_signature.${f}`) ?? getPath(doc, `file.code_signature.${f}`);
      n.signature = {
        exists: typeof cs('exists') === 'boolean' ? (cs('exists') as boolean) : undefined,
        trusted: typeof cs('trusted') === 'boolean' ? (cs('trusted') as boolean) : undefined,
        status: str(first(cs('status'))),
        subject: str(first(cs('subject_name'))),
      };
    }
    return n;
  }

  private start4688(doc: EcsDoc, host: string, time: number): ProcessNode | undefined {
    const pid = int(getPath(doc, 'process.pid'));
    if (pid === undefined) return undefined;
    const ppid = int(getPath(doc, 'process.parent.pid'));
    let parentId: string | undefined;
    if (ppid !== undefined) {
      parentId = this.livePid.get(`${host}|${ppid}`);
      if (!parentId) {
        parentId = `4688:${host}:${ppid}:?`;
        const p = this.touch(parentId, host, time);
        p.pid = ppid;
        this.livePid.set(`${host}|${ppid}`, parentId);
      }
      const p = this.touch(parentId, host, time);
      p.executable ??= str(getPath(doc, 'process.parent.executable'));
      p.name ??= str(getPath(doc, 'process.parent.name'));
    }
    const key = `${host}|${pid}`;
    const older = this.livePid.get(key);
    if (older) {
      const o = this.nodes.get(older);
      if (o && o.end === undefined) o.end = time; // pid reuse: the older process must have ended
    }
    const id = `4688:${host}:${pid}:${str(doc['@timestamp']) ?? time}`;
    const n = this.touch(id, host, time);
    n.pid = pid;
    n.start = time;
    n.parentEntityId = parentId;
    n.executable = str(getPath(doc, 'process.executable'));
    n.name = str(getPath(doc, 'process.name'));
    n.commandLine = str(getPath(doc, 'process.command_line'));
    this.livePid.set(key, id);
    setPath(doc, 'process.entity_id', id);
    if (parentId) setPath(doc, 'process.parent.entity_id', parentId);
    return n;
  }

  private end4689(doc: EcsDoc, host: string, time: number): ProcessNode | undefined {
    const pid = int(getPath(doc, 'process.pid'));
    if (pid === undefined) return undefined;
    const key = `${host}|${pid}`;
    const id = this.livePid.get(key);
    if (!id) return undefined;
    const n = this.touch(id, host, time);
    n.end = time;
    this.livePid.delete(key);
    setPath(doc, 'process.entity_id', id);
    return n;
  }
}
