import type { Detection, Rule } from '../model/index.js';
import { ruleTree, walkPredicates } from '../model/index.js';

/**
 * The path separator of the platforms a rule targets: '\\' when it targets Windows only, '/' when
 * it targets Linux and/or macOS only, 'any' when it targets both kinds or says nothing (a derived
 * name predicate then matches the basename after either separator).
 */
export type Separator = '\\' | '/' | 'any';

const POSIX = new Set(['linux', 'macos']);

export function pathSeparator(rule: Rule): Separator {
  const oses = new Set<string>();
  const product = (rule.logsource.product ?? '').toLowerCase();
  if (product === 'windows' || POSIX.has(product)) oses.add(product);
  for (const t of rule.tags) {
    const m = /^os:\s*(windows|linux|macos)$/i.exec(t.trim());
    if (m) oses.add(m[1].toLowerCase());
  }
  if (oses.size === 0) for (const os of hostOsTypes(ruleTree(rule))) oses.add(os);
  if (oses.size === 0) return 'any';
  if (oses.has('windows')) return oses.size === 1 ? '\\' : 'any';
  return [...oses].every((o) => POSIX.has(o)) ? '/' : 'any';
}

/** Operating systems a rule's positive host.os.type / host.os.platform tests name. */
function hostOsTypes(d: Detection | undefined): string[] {
  if (!d) return [];
  const found = new Set<string>();
  walkPredicates(d, (p, _path, negated) => {
    if (negated || p.op !== 'eq') return;
    const f = (p.authoredField ?? p.field ?? '').toLowerCase();
    if (f !== 'host.os.type' && f !== 'host.os.platform') return;
    for (const v of p.values) {
      if (typeof v !== 'string') continue;
      const os = v.toLowerCase() === 'darwin' ? 'macos' : v.toLowerCase();
      found.add(os === 'windows' || POSIX.has(os) ? os : 'other');
    }
  });
  return [...found];
}
