/**
 * The ECS fields the Windows Elastic rules read: predicate fields (field names inside opaque
 * expressions such as length(x) too), sequence join keys, threshold / new_terms fields, optional
 * (?field) fields. Windows rules: rules/windows, and the building blocks tagged "OS: Windows" or
 * reading Windows indices.
 */
import { join } from 'node:path';
import { listTomlFiles, parseElasticFile } from '../../../src/formats/elastic/index.js';
import { walkPredicates } from '../../../src/model/index.js';
import type { Rule } from '../../../src/model/index.js';

const FIELD_IN_TEXT = /(?<![\w."])(?:[A-Za-z_@][\w@]*)(?:\.[A-Za-z_@][\w@]*)+(?![\w(])/g;

function isWindowsRule(rule: Rule): boolean {
  if (rule.tags.some((t) => /^OS: Windows$/i.test(t))) return true;
  const index = rule.extra.index;
  return Array.isArray(index) && index.some((i) => typeof i === 'string' && /winlogbeat|windows|system\.security|endpoint/.test(i));
}

export interface RuleFields {
  rules: number;
  /** field -> number of rules reading it */
  fields: Map<string, number>;
}

export function windowsRuleFields(shared: string): RuleFields {
  const fields = new Map<string, number>();
  let rules = 0;
  const dirs: [string, boolean][] = [
    [join(shared, 'corpora', 'elastic', 'rules', 'windows'), false],
    [join(shared, 'corpora', 'elastic', 'rules_building_block'), true],
  ];
  for (const [dir, filter] of dirs) {
    for (const file of listTomlFiles(dir)) {
      for (const rule of parseElasticFile(file).rules) {
        if (filter && !isWindowsRule(rule)) continue;
        rules++;
        const mine = new Set<string>();
        const add = (f: unknown): void => {
          if (typeof f !== 'string' || f === '') return;
          if (/[\s(]/.test(f)) for (const m of f.match(FIELD_IN_TEXT) ?? []) mine.add(m);
          else mine.add(f);
        };
        if (rule.detection) walkPredicates(rule.detection, (p) => add(p.authoredField ?? p.field));
        const seq = rule.extra.sequence as { by?: string[]; items?: { by?: string[] }[]; until?: { by?: string[] } } | undefined;
        for (const b of seq?.by ?? []) add(b);
        for (const it of seq?.items ?? []) for (const b of it.by ?? []) add(b);
        for (const b of seq?.until?.by ?? []) add(b);
        const th = rule.extra.threshold as { fields?: string[]; cardinality?: { field?: string }[] } | undefined;
        for (const f of th?.fields ?? []) add(f);
        for (const c of th?.cardinality ?? []) add(c.field);
        const nt = rule.extra.new_terms as { fields?: string[] } | undefined;
        for (const f of nt?.fields ?? []) add(f);
        const opt = rule.extra.eql_optional_fields;
        if (Array.isArray(opt)) for (const f of opt) add(f);
        for (const f of mine) fields.set(f, (fields.get(f) ?? 0) + 1);
      }
    }
  }
  return { rules, fields };
}
