/**
 * A Sigma rule's logsource as conditions for targets whose queries name no log source (EQL, KQL,
 * SPL): a Windows category or service is the channels and event ids it reads (the scan engine's
 * own reading, taxonomy/logsource-windows.ts), as canonical Channel / EventID tests. A logsource
 * with no such reading (another product, an unknown category) is not a condition: the conversion
 * says so (the query then reads every event), never drops it silently.
 */
import type { Detection, Rule } from '../model/index.js';
import { and, or, pred } from '../model/index.js';
import { resolveWindowsLogsource } from '../taxonomy/logsource-windows.js';

export interface LogsourceConditions {
  tree?: Detection;
  /** Why the logsource is not (entirely) in the conditions. */
  note?: string;
}

/** `rawFields`: the target names raw event fields (SPL here), not ECS fields normalized across sources. */
export function logsourceConditions(rule: Rule, rawFields = false): LogsourceConditions {
  if (rule.vendor !== 'sigma') return {};
  const ls = rule.logsource;
  const shown = JSON.stringify(Object.fromEntries(Object.entries(ls).filter(([k, v]) => v !== undefined && k !== 'definition')));
  const r = resolveWindowsLogsource(ls);
  switch (r.kind) {
    case 'sources': {
      const tree = or(r.sources.map((s) => and([
        pred('Channel', 'eq', [s.channel]),
        ...(s.eventIds ? [pred('EventID', 'eq', s.eventIds)] : []),
      ])));
      const mapped = r.sources.filter((s) => s.fieldMapping).map((s) => `${s.channel} ${s.eventIds?.join(',') ?? ''}`.trim());
      return mapped.length && rawFields ? { tree, note: `logsource ${shown}: events of ${mapped.join('; ')} name some fields differently (the scan maps them); the query uses the rule's field names` } : { tree };
    }
    case 'any-windows':
      return { note: `logsource ${shown}: any Windows event log, no condition added` };
    case 'not-windows':
    case 'unmapped':
      return { note: `logsource ${shown} has no condition form: the query reads every event` };
  }
}
