/**
 * A field move is one ingest-pipeline processor that takes an event data field into an ECS field:
 * rename (the source leaves event_data; a target that already exists makes the rename fail, so the
 * first one wins), copy (set copy_from: the source stays, the target is overwritten), and the
 * convert processors with a target_field (long, ip, boolean: the source stays until cleanup).
 */
import { memoPerObject } from '../../util/memo-per-object.js';
import { type EcsDoc, getNested, partsOf, setParts, setPartsIfAbsent, setPath } from './doc.js';
import { ALL_FIELDS, type EcsNeeds } from './needs.js';
import type { EventData } from './winlog.js';

export type MoveOp = 'rename' | 'copy' | 'long' | 'ip' | 'boolean';

export interface FieldMove {
  /** winlog.event_data field. */
  from: string;
  /** ECS field (dotted). */
  to: string;
  op: MoveOp;
  /** Only for these event codes. */
  codes?: readonly string[];
  /** Not for these event codes. */
  notCodes?: readonly string[];
}

/** Convert "123" / "0x7b" to a number as the convert processor's type long does (hex through Long.decode). */
export function toLong(s: string): number | undefined {
  const t = s.trim();
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t, 16) : /^-?\d+$/.test(t) ? Number(t) : NaN;
  return Number.isFinite(n) ? n : undefined;
}

/** IPv4 / IPv6 text as the ip type accepts it (a "::ffff:1.2.3.4" mapped address stays as written). */
export function toIp(s: string): string | undefined {
  const t = s.trim();
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(t)) return t.split('.').every((p) => Number(p) <= 255) ? t : undefined;
  if (/^[0-9a-f:.]+(%\w+)?$/i.test(t) && t.includes(':')) return t;
  return undefined;
}

/** A move of a plan: its target already split. */
interface PlannedMove {
  from: string;
  to: string;
  parts: readonly string[];
  op: MoveOp;
}

/**
 * Per move table, per event code: the moves that apply to the code, in table order (computed once;
 * past 4,096 codes a table's plans are dropped and made again as needed).
 */
const movesFor = memoPerObject<readonly FieldMove[], readonly PlannedMove[]>(4096, (moves, code) =>
  moves.filter((m) => (!m.codes || m.codes.includes(code)) && !(m.notCodes && m.notCodes.includes(code))).map((m) => ({ from: m.from, to: m.to, parts: partsOf(m.to), op: m.op })));

/**
 * Per needs and plan: the plan without the moves whose only effect is a field the caller does not
 * read (a rename also takes its source out of event_data and blocks later renames: always kept).
 */
const neededPlans = new WeakMap<EcsNeeds, WeakMap<readonly PlannedMove[], readonly PlannedMove[]>>();

function neededMoves(plan: readonly PlannedMove[], needs: EcsNeeds): readonly PlannedMove[] {
  const out = neededPlans.get(needs)?.get(plan);
  return out !== undefined ? out : newNeededMoves(plan, needs);
}

function newNeededMoves(plan: readonly PlannedMove[], needs: EcsNeeds): readonly PlannedMove[] {
  let byPlan = neededPlans.get(needs);
  if (!byPlan) neededPlans.set(needs, (byPlan = new WeakMap()));
  const out = plan.filter((m) => m.op === 'rename' || needs.wants(m.to));
  byPlan.set(plan, out);
  return out;
}

export function applyMoves(doc: EcsDoc, data: EventData, code: string, moves: readonly FieldMove[], needs: EcsNeeds = ALL_FIELDS): void {
  const plan = movesFor(moves, code);
  for (const m of needs === ALL_FIELDS ? plan : neededMoves(plan, needs)) {
    const v = data[m.from];
    if (v === undefined || v === '') continue;
    switch (m.op) {
      case 'rename':
        // A target already set makes the rename fail: the source stays.
        if (!setPartsIfAbsent(doc, m.parts, v)) continue;
        delete data[m.from];
        break;
      case 'copy':
        setParts(doc, m.parts, v);
        break;
      case 'long':
        setParts(doc, m.parts, toLong(v));
        break;
      case 'ip':
        setParts(doc, m.parts, toIp(v));
        break;
      case 'boolean': {
        const b = v.trim().toLowerCase();
        if (b === 'true' || b === 'false') setParts(doc, m.parts, b === 'true');
        break;
      }
    }
  }
}

/** Appends to a related.* list without duplicates (the pipelines' append with allow_duplicates: false). */
export function appendRelated(doc: EcsDoc, field: 'related.user' | 'related.ip' | 'related.hosts' | 'related.hash', value: unknown): void {
  if (typeof value !== 'string' || value === '' || value === '-') return;
  const cur = getNested(doc, field);
  const list = Array.isArray(cur) ? (cur as string[]) : typeof cur === 'string' ? [cur] : [];
  if (!list.includes(value)) list.push(value);
  if (!Array.isArray(cur)) setPath(doc, field, list);
}
