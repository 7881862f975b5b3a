/**
 * Which parts of an ECS document a caller reads, so toEcs can leave out the work of the others.
 * A scan with Elastic rules reads a known set of fields (src/engine/elastic/needed-fields.ts): the
 * parts of the mapping that only produce other fields (the Winlogbeat metadata no rule reads,
 * related.*, hashes, argument splitting, DNS answers, signatures, registry data, conversions) are
 * skipped. Every field the set names keeps exactly the value of the full document; a document built
 * for a set is only for that caller (`detectory events --format ecs` and the catalog build the full
 * one). Parts that later steps of the mapping read (file.path for file.name, winlog.user.identifier
 * for user.id...) are always built.
 */

export interface EcsNeeds {
  /** Does the caller read `path` (a field, or an object holding fields it reads)? */
  wants(path: string): boolean;
  /** Parts of the mapping, each built when one of the fields it produces is wanted. */
  readonly related: boolean;
  readonly hashes: boolean;
  readonly args: boolean;
  readonly dnsAnswers: boolean;
  readonly signature: boolean;
  readonly registryData: boolean;
  /** Per base field that no mapping step reads (see OPTIONAL_BASE): built or not. */
  readonly base: Readonly<Record<OptionalBase, boolean>>;
}

/** Fields of the Winlogbeat base document that no later mapping step reads: built only when wanted. */
export const OPTIONAL_BASE = [
  'event.kind', 'event.provider', 'event.created', 'event.module', 'host.hostname', 'host.id', 'host.os.family', 'ecs.version', 'log.level',
  'winlog.record_id', 'winlog.provider_name', 'winlog.provider_guid', 'winlog.opcode', 'winlog.keywords', 'winlog.version', 'winlog.task',
  'winlog.activity_id', 'winlog.related_activity_id', 'winlog.time_created',
] as const;
export type OptionalBase = (typeof OPTIONAL_BASE)[number];

/** Fields some mapping step reads back from the document (getNested in sysmon/security/powershell.ts): never skipped. */
const READ_BACK: ReadonlySet<string> = new Set([
  'file.path', 'file.name', 'file.pe.original_file_name', 'process.command_line', 'process.parent.command_line', 'process.executable',
  'process.parent.executable', 'process.name', 'process.parent.name', 'sysmon.dns.status', 'user.name', 'source.ip', 'destination.ip',
  'dns.question.name', 'winlog.user.identifier', 'winlog.process.pid', 'powershell.file.script_block_text',
  // copied to dll.code_signature.* (sysmon.ts library)
  'file.code_signature.exists', 'file.code_signature.status', 'file.code_signature.subject_name', 'file.code_signature.trusted',
  'file.code_signature.valid',
]);

/** The needs of a caller reading `fields`: each part built when one of the fields it produces is read. */
function fieldNeeds(fields: ReadonlySet<string>): EcsNeeds {
  const memo = new Map<string, boolean>();
  const wants = (path: string): boolean => {
    let w = memo.get(path);
    if (w === undefined) {
      w = READ_BACK.has(path) || overlaps(fields, path);
      if (memo.size < 10_000) memo.set(path, w);
    }
    return w;
  };
  const any = (...paths: string[]): boolean => paths.some(wants);
  return {
    wants,
    related: wants('related'),
    hashes: any('related.hash', 'process.hash', 'process.pe.imphash', 'file.hash', 'file.pe.imphash', 'dll.hash', 'dll.pe.imphash'),
    args: any('process.args', 'process.args_count', 'process.parent.args', 'process.parent.args_count'),
    dnsAnswers: any('dns.answers', 'dns.resolved_ip', 'related.ip', 'related.hosts'),
    signature: any('file.code_signature', 'dll.code_signature'),
    registryData: wants('registry.data'),
    base: Object.fromEntries(OPTIONAL_BASE.map((f) => [f, wants(f)])) as Record<OptionalBase, boolean>,
  };
}

/** Is `path` one of `fields`, inside one (a field read as an object), or holding one? */
function overlaps(fields: ReadonlySet<string>, path: string): boolean {
  if (fields.has(path)) return true;
  for (const f of fields) {
    if (f.length > path.length ? f.startsWith(path) && f.charCodeAt(path.length) === 46 : path.startsWith(f) && path.charCodeAt(f.length) === 46) return true;
  }
  return false;
}

const ALL_BASE = Object.fromEntries(OPTIONAL_BASE.map((f) => [f, true])) as Record<OptionalBase, boolean>;

/** Every part: the full document. */
export const ALL_FIELDS: EcsNeeds = {
  wants: () => true,
  related: true,
  hashes: true,
  args: true,
  dnsAnswers: true,
  signature: true,
  registryData: true,
  base: ALL_BASE,
};

/** The needs of a caller reading `fields` (dotted ECS names); undefined: every field. */
export function ecsNeeds(fields: Iterable<string> | undefined): EcsNeeds {
  return fields === undefined ? ALL_FIELDS : fieldNeeds(new Set(fields));
}
