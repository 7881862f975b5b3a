import type { Detection, Rule } from '../model/index.js';
import { ruleTree, walkPredicates } from '../model/index.js';

/** The path separator of the platform a rule targets: '/' for Linux/macOS rules, '\\' otherwise. */
export function pathSeparator(rule: Rule): string {
  const product = (rule.logsource.product ?? '').toLowerCase();
  if (product === 'linux' || product === 'macos') return '/';
  if (product === 'windows') return '\\';
  for (const t of rule.tags) {
    const tl = t.toLowerCase();
    if (tl === 'os: linux' || tl === 'os: macos') return '/';
    if (tl === 'os: windows') return '\\';
  }
  const os = hostOsType(ruleTree(rule));
  if (os === 'linux' || os === 'macos') return '/';
  return '\\';
}

function hostOsType(d: Detection | undefined): string | undefined {
  if (!d) return undefined;
  let found: string | undefined;
  walkPredicates(d, (p, _path, negated) => {
    if (found || negated) return;
    const f = (p.authoredField ?? p.field ?? '').toLowerCase();
    if ((f === 'host.os.type' || f === 'host.os.platform') && typeof p.values[0] === 'string') found = p.values[0].toLowerCase();
  });
  return found;
}
