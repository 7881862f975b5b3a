import { str, table, tables } from './toml.js';
import type { Table } from './toml.js';

/**
 * ATT&CK mapping of an Elastic rule from its [[rule.threat]] entries: technique and sub-technique ids
 * (upper-case, as written: T1216, T1216.001; a sub-technique does not add its parent, the catalog rolls
 * up), tactic short names (Defense Evasion -> defense-evasion) and tactic ids.
 */
export interface ThreatMapping {
  techniques: string[];
  tactics: string[];
  tacticIds: string[];
  frameworks: string[];
}

const TECHNIQUE_ID = /^T\d{4}(\.\d{3})?$/;

export function threatMapping(rule: Table): ThreatMapping {
  const techniques = new Set<string>();
  const tactics = new Set<string>();
  const tacticIds = new Set<string>();
  const frameworks = new Set<string>();
  for (const threat of tables(rule.threat)) {
    const fw = str(threat.framework);
    if (fw) frameworks.add(fw);
    const tactic = table(threat.tactic);
    const tname = str(tactic?.name);
    if (tname) tactics.add(tname.trim().toLowerCase().replace(/[\s_]+/g, '-'));
    const tid = str(tactic?.id);
    if (tid) tacticIds.add(tid.trim().toUpperCase());
    for (const tech of tables(threat.technique)) {
      const id = str(tech.id)?.trim().toUpperCase();
      if (id && TECHNIQUE_ID.test(id)) techniques.add(id);
      for (const sub of tables(tech.subtechnique)) {
        const sid = str(sub.id)?.trim().toUpperCase();
        if (sid && TECHNIQUE_ID.test(sid)) techniques.add(sid);
      }
    }
  }
  return { techniques: [...techniques], tactics: [...tactics], tacticIds: [...tacticIds], frameworks: [...frameworks] };
}
