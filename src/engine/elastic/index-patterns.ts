/**
 * Which events an Elastic rule sees: the index (data stream) an event would be stored in, tested
 * against the rule's index patterns, and the rule's `OS:` tags against the event's host.os.type.
 */
import { compileGlob, globMatch } from '../glob.js';
import type { Glob } from '../glob.js';
import type { Doc } from '../eql/values.js';
import { fieldReader } from '../eql/values.js';
import type { Value } from '../eql/values.js';

const readers = new Map<string, (d: Doc) => Value>();
const text = (doc: Doc, path: string): string | undefined => {
  let read = readers.get(path);
  if (!read) {
    read = fieldReader(path.split('.'));
    readers.set(path, read);
  }
  const v = read(doc);
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === 'string' && s !== '' ? s : undefined;
};

/**
 * The index of an ECS document: `<type>-<dataset>-<namespace>` from data_stream (event.dataset
 * when there is none), or `winlogbeat-<version>` for Winlogbeat documents; undefined when unknown.
 */
export function docIndex(doc: Doc): string | undefined {
  const dataset = text(doc, 'data_stream.dataset') ?? text(doc, 'event.dataset');
  if (dataset) return `${text(doc, 'data_stream.type') ?? 'logs'}-${dataset}-${text(doc, 'data_stream.namespace') ?? 'default'}`;
  if (text(doc, 'agent.type') === 'winlogbeat') return `winlogbeat-${text(doc, 'agent.version') ?? '0'}`;
  return undefined;
}

export interface EventScope {
  /** Index patterns (`-pattern` excludes); empty: every index. */
  include: Glob[];
  exclude: Glob[];
  /** host.os.type values from the rule's `OS: ...` tags; empty: every OS. */
  os: Set<string>;
  /** Answers per index name (an input has few distinct indexes). */
  seen: Map<string, boolean>;
}

const OS_TAGS: Record<string, string> = { 'os: windows': 'windows', 'os: linux': 'linux', 'os: macos': 'macos' };

export function eventScope(indexPatterns: string[], tags: string[]): EventScope {
  const include: Glob[] = [];
  const exclude: Glob[] = [];
  for (const raw of indexPatterns.flatMap((p) => p.split(','))) {
    const p = raw.trim().replace(/^[^:]+:/, ''); // cross-cluster prefix
    if (!p) continue;
    if (p.startsWith('-')) exclude.push(compileGlob(p.slice(1), true));
    else include.push(compileGlob(p, true));
  }
  const os = new Set(tags.map((t) => OS_TAGS[t.trim().toLowerCase()]).filter((o): o is string => !!o));
  return { include, exclude, os, seen: new Map() };
}

/** The event's host.os.type, lower-case (read once per event). */
export function hostOs(doc: Doc): string | undefined {
  return text(doc, 'host.os.type')?.toLowerCase();
}

/**
 * Does the rule see the event? An event whose index cannot be told (a bare ECS document) is seen
 * by every rule; its host.os.type, when present, must be one of the rule's OS tags.
 */
export function inScope(scope: EventScope, os: string | undefined, index: string | undefined): boolean {
  if (scope.os.size && os && !scope.os.has(os)) return false;
  if (index === undefined || scope.include.length === 0) return true;
  let ok = scope.seen.get(index);
  if (ok === undefined) {
    ok = scope.include.some((g) => globMatch(g, index)) && !scope.exclude.some((g) => globMatch(g, index));
    if (scope.seen.size < 1024) scope.seen.set(index, ok);
  }
  return ok;
}
