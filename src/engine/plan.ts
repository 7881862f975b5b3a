/**
 * Where each rule runs: its logsource resolved to (channel, EventIDs) sources, each with the
 * field mapping of that source applied, giving one variant per source. Rules that cannot run on
 * Windows event logs are reported with a reason.
 */
import type { Detection, Rule } from '../model/index.js';
import { resolveWindowsLogsource } from '../taxonomy/logsource-windows.js';
import { WINDOWS_FIELD_MAPPINGS } from '../taxonomy/field-mapping-windows.js';

export const ANY = '*';

export interface Variant {
  rule: Rule;
  /** Lower-case channel, or ANY. */
  channel: string;
  /** EventIDs this variant can match, or undefined for any. */
  eventIds?: number[];
  detection: Detection;
}

export type PlanResult = { variants: Variant[] } | { skip: string; message: string };

export function planRule(rule: Rule): PlanResult {
  if (!rule.detection) return { skip: 'no-detection', message: 'rule has no detection' };
  const res = resolveWindowsLogsource(rule.logsource);
  if (res.kind === 'not-windows') return { skip: 'not-windows-logsource', message: `logsource product ${res.product} is not Windows event logs` };
  if (res.kind === 'unmapped') return { skip: 'unmapped-logsource', message: `no Windows channel known for ${res.what}` };
  const detIds = eventIdsOf(rule.detection);
  if (res.kind === 'any-windows') {
    return { variants: [{ rule, channel: ANY, eventIds: detIds, detection: rule.detection }] };
  }
  const variants: Variant[] = [];
  for (const src of res.sources) {
    let ids = src.eventIds;
    if (detIds) ids = ids ? ids.filter((i) => detIds.includes(i)) : detIds;
    if (ids && ids.length === 0) continue; // the rule's EventIDs never occur on this source
    const mapping = src.fieldMapping ? WINDOWS_FIELD_MAPPINGS[src.fieldMapping] : undefined;
    const detection = mapping ? renameFields(rule.detection, mapping.rename) : rule.detection;
    variants.push({ rule, channel: src.channel.toLowerCase(), eventIds: ids, detection });
  }
  if (variants.length === 0) return { skip: 'no-matching-eventid', message: 'the EventIDs in the detection never occur on its logsource' };
  return { variants };
}

export function renameFields(d: Detection, rename: Record<string, string>): Detection {
  switch (d.kind) {
    case 'pred': {
      const field = d.field !== null && rename[d.field] ? rename[d.field] : d.field;
      const values = d.flags.fieldref ? d.values.map((v) => (typeof v === 'string' && rename[v] ? rename[v] : v)) : d.values;
      return field === d.field && values === d.values ? d : { ...d, field, values };
    }
    case 'and':
    case 'or':
      return { kind: d.kind, children: d.children.map((c) => renameFields(c, rename)) };
    case 'not':
      return { kind: 'not', child: renameFields(d.child, rename) };
    case 'const':
    case 'unknown':
    case 'computed':
      return d;
  }
}

/** EventIDs the detection requires (from EventID equality tests that must hold), if it says. */
export function eventIdsOf(d: Detection): number[] | undefined {
  switch (d.kind) {
    case 'pred': {
      if (d.field !== 'EventID' || d.op !== 'eq' || d.flags.fieldref || d.flags.timePart) return undefined;
      const ids = d.values.map((v) => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : NaN));
      return ids.every((i) => Number.isInteger(i)) ? ids : undefined;
    }
    case 'and': {
      let acc: number[] | undefined;
      for (const c of d.children) {
        const ids = eventIdsOf(c);
        if (ids) acc = acc ? acc.filter((i) => ids.includes(i)) : ids;
      }
      return acc;
    }
    case 'or': {
      const all: number[] = [];
      for (const c of d.children) {
        const ids = eventIdsOf(c);
        if (!ids) return undefined;
        all.push(...ids);
      }
      return [...new Set(all)];
    }
    default:
      return undefined;
  }
}
