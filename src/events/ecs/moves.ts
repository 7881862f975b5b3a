/**
 * A field move is one ingest-pipeline processor that takes an event data field into an ECS field:
 * rename (the source leaves event_data; a target that already exists makes the rename fail, so the
 * first one wins), copy (set copy_from: the source stays, the target is overwritten), and the
 * convert processors with a target_field (long, ip, boolean: the source stays until cleanup).
 */
import { memoPerObject } from '../../util/memo-per-object.js';
import { type EcsDoc, getNested, setPath } from './doc.js';
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

/** Per move table, per event code: the moves that apply to the code, in table order (computed once). */
const plans = memoPerObject<readonly FieldMove[], readonly FieldMove[]>(4096);

function movesFor(moves: readonly FieldMove[], code: string): readonly FieldMove[] {
  return plans(moves, code, () => moves.filter((m) => (!m.codes || m.codes.includes(code)) && !(m.notCodes && m.notCodes.includes(code))));
}

export function applyMoves(doc: EcsDoc, data: EventData, code: string, moves: readonly FieldMove[]): void {
  for (const m of movesFor(moves, code)) {
    const v = data[m.from];
    if (v === undefined || v === '') continue;
    switch (m.op) {
      case 'rename':
        if (getNested(doc, m.to) !== undefined) continue;
        setPath(doc, m.to, v);
        delete data[m.from];
        break;
      case 'copy':
        setPath(doc, m.to, v);
        break;
      case 'long':
        setPath(doc, m.to, toLong(v));
        break;
      case 'ip':
        setPath(doc, m.to, toIp(v));
        break;
      case 'boolean': {
        const b = v.trim().toLowerCase();
        if (b === 'true' || b === 'false') setPath(doc, m.to, b === 'true');
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
