import type { Detection, Op, Predicate, Scalar } from '../model/index.js';
import type { Separator } from './platform.js';
import type { Derivation } from './types.js';

/**
 * Rewrites a predicate on a derived vendor field (process.name) into an equivalent predicate on the
 * canonical field (Image), adjusting operator and values. `platformSep` is the path separator of
 * the rule's platform ('\\' on Windows, '/' on Linux/macOS, 'any' for cross-platform or unknown
 * rules: the values are written with '\\' and flagged anySeparator, see separators.ts). Returns the
 * new tree node (a `not` for `ne`).
 */
export function derivePredicate(p: Predicate, canonical: string, derive: Derivation, platformSep: Separator): Detection {
  const base: Predicate = { ...p, field: canonical };
  if (derive === 'same') return base;
  const authoredValues = p.authoredValues ?? p.values;
  const any = platformSep === 'any';
  const sep = any ? '\\' : platformSep;
  const withValues = (op: Op, values: Scalar[]): Predicate => {
    const out: Predicate = { ...base, op, values, authoredValues };
    // A separator inserted by the derivation matches either kind when the platform is not fixed.
    const inserted = (derive === 'basename' || derive === 'directory') && op !== 'regex_match' && values.some((v, i) => v !== p.values[i]);
    if (any && inserted) out.flags = { ...base.flags, anySeparator: true };
    return out;
  };
  const strs = (f: (s: string) => string): Scalar[] => p.values.map((v) => (typeof v === 'string' ? f(v) : typeof v === 'number' ? f(String(v)) : v));

  if (derive === 'basename') {
    switch (p.op) {
      case 'eq':
      case 'in':
        return withValues('ends_with', strs((v) => sep + v));
      case 'ne':
        return { kind: 'not', child: withValues('ends_with', strs((v) => sep + v)) };
      case 'starts_with':
        return withValues('contains', strs((v) => sep + v));
      case 'wildcard':
        return withValues('wildcard', strs((v) => (v.startsWith('*') ? v : `*${sep === '\\' ? '\\\\' : sep}${v}`)));
      case 'regex_match':
        return withValues('regex_match', strs((v) => anchorRegexAfterSeparator(v)));
      default:
        return base;
    }
  }
  if (derive === 'extension') {
    const dot = (v: string): string => (v.startsWith('.') ? v : `.${v}`);
    switch (p.op) {
      case 'eq':
      case 'in':
        return withValues('ends_with', strs(dot));
      case 'ne':
        return { kind: 'not', child: withValues('ends_with', strs(dot)) };
      case 'wildcard':
        return withValues('wildcard', strs((v) => `*${dot(v)}`));
      default:
        return base;
    }
  }
  if (derive === 'directory') {
    // Unknown platform: a folder keeps the separator it is written with.
    const dsep = (v: string): string => (any && v.includes('/') && !v.includes('\\') ? '/' : sep);
    const glob = (v: string): string => (dsep(v) === '\\' ? '\\\\' : '/');
    const folder = (v: string): string => (v.endsWith(dsep(v)) ? v : v + dsep(v));
    switch (p.op) {
      case 'eq':
      case 'in':
        return withValues('starts_with', strs(folder));
      case 'ne':
        return { kind: 'not', child: withValues('starts_with', strs(folder)) };
      case 'ends_with':
        return withValues('contains', strs((v) => v + dsep(v)));
      case 'wildcard':
        return withValues('wildcard', strs((v) => (v.endsWith('*') ? v : `${v}${glob(v)}*`)));
      default:
        return base;
    }
  }
  // hash:ALG -> Sysmon Hashes list "ALG=value,..."
  const alg = derive.slice('hash:'.length);
  switch (p.op) {
    case 'eq':
    case 'in':
      return withValues('contains', strs((v) => `${alg}=${v}`));
    case 'ne':
      return { kind: 'not', child: withValues('contains', strs((v) => `${alg}=${v}`)) };
    default:
      return base;
  }
}

/** A regex anchored at the start of a basename becomes anchored after a path separator. */
function anchorRegexAfterSeparator(re: string): string {
  const m = /^(\(\?[a-z]+\))?\^/.exec(re);
  if (!m) return re;
  return `${m[1] ?? ''}(?:^|[\\\\/])${re.slice(m[0].length)}`;
}
