/**
 * A Windows Sigma rule on the ECS fields of the events it reads, for the Elastic targets (EQL, KQL):
 * the rule planned as the Sigma matcher plans it (one variant per channel and EventIDs of its
 * logsource, with that source's field mapping), each raw field put where the ECS document of that
 * source keeps its value as written (ecs-placement.ts), and the variants joined by `or`, each under
 * its channel and EventID test (one shared tree when every variant places its fields alike).
 * A field with no such place, or a value the integration drops, makes the rule not convertible:
 * the query would select other events than the rule.
 */
import type { Detection, Predicate, Rule, Scalar } from '../model/index.js';
import { and, or, pred } from '../model/index.js';
import { ANY, planRule } from '../engine/plan.js';
import { resolveWindowsLogsource } from '../taxonomy/logsource-windows.js';
import { canonicalTree } from './canonical-tree.js';
import { matchesDroppedValue, placeField, SYSTEM_FIELDS } from './ecs-placement.js';

export type WindowsEcs = { tree: Detection } | { error: string } | undefined;

class PlaceError extends Error {}

/** undefined: not a Windows Sigma rule the matcher plans by channel (the caller's general mapping applies). */
export function windowsEcsTree(rule: Rule): WindowsEcs {
  if (rule.vendor !== 'sigma' || rule.logsource.product !== 'windows' || !rule.detection) return undefined;
  const plan = planRule({ ...rule, detection: canonicalTree(rule) });
  if ('skip' in plan || plan.variants.some((v) => v.channel === ANY)) return undefined;
  // The plan lower-cases channels; the query names them as the logsource does (both compare case-insensitively).
  const ls = resolveWindowsLogsource(rule.logsource);
  const spelled = new Map(ls.kind === 'sources' ? ls.sources.map((s) => [s.channel.toLowerCase(), s.channel]) : []);
  try {
    const parts = plan.variants.map((v) => ({
      source: and([pred(SYSTEM_FIELDS.Channel, 'eq', [spelled.get(v.channel) ?? v.channel]), ...(v.eventIds ? [pred(SYSTEM_FIELDS.EventID, 'eq', v.eventIds)] : [])]),
      tree: place(v.detection, v.channel, v.eventIds),
    }));
    const shared = JSON.stringify(parts[0].tree);
    if (parts.every((p) => JSON.stringify(p.tree) === shared)) return { tree: and([or(parts.map((p) => p.source)), parts[0].tree]) };
    return { tree: or(parts.map((p) => and([p.source, p.tree]))) };
  } catch (e) {
    if (e instanceof PlaceError) return { error: e.message };
    throw e;
  }
}

function place(d: Detection, channel: string, ids: number[] | undefined): Detection {
  switch (d.kind) {
    case 'pred': {
      if (d.field === null) return d;
      const at = pathOf(d.field, channel, ids);
      if (!at.userData) return placePredicate(d, at, channel, ids);
      // The event has <EventData> or <UserData>, never both: the test holds on the one it has.
      if (d.flags.fieldref) throw new PlaceError(`ecs-field: ${d.field} may be in event_data or user_data; a field comparison cannot say both`);
      const both = [placePredicate(d, at, channel, ids), placePredicate(d, { path: at.userData, numeric: false }, channel, ids)];
      return d.op === 'exists' && d.values[0] === false ? and(both) : or(both);
    }
    case 'and':
    case 'or':
      return { kind: d.kind, children: d.children.map((c) => place(c, channel, ids)) };
    case 'not':
      return { kind: 'not', child: place(d.child, channel, ids) };
    default:
      return d;
  }
}

function pathOf(field: string, channel: string, ids: number[] | undefined): { path: string; numeric: boolean; userData?: string } {
  const p = placeField(channel, ids, field);
  if ('error' in p) throw new PlaceError(`ecs-field: ${p.error}`);
  return p;
}

function placePredicate(p: Predicate, at: { path: string; numeric: boolean }, channel: string, ids: number[] | undefined): Predicate {
  let values = p.values;
  if (p.flags.fieldref) {
    values = p.values.map((v) => (typeof v === 'string' ? pathOf(v, channel, ids).path : v));
  } else if (at.numeric && p.op !== 'exists') {
    if (!['eq', 'ne', 'lt', 'lte', 'gt', 'gte'].includes(p.op) || !p.values.every(isInteger)) {
      throw new PlaceError(`ecs-field: ${p.field} is a number in the ECS document (${at.path}); the rule tests it ${p.op} ${JSON.stringify(p.values).slice(0, 60)}`);
    }
    values = p.values.map((v) => Number(v));
  } else {
    const dropped = matchesDroppedValue(channel, p.op, p.values);
    if (dropped !== undefined) throw new PlaceError(`ecs-field: ${p.field} ${p.op} ${JSON.stringify(p.values).slice(0, 60)} matches ${JSON.stringify(dropped)}, an empty value the integration drops from the ECS document`);
  }
  return { ...p, field: at.path, authoredField: at.path, values };
}

const isInteger = (v: Scalar): boolean => (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^(0|[1-9]\d{0,14})$/.test(v));
