import type { Op, Predicate, Scalar } from '../model/index.js';

/**
 * A predicate flagged `anySeparator` (a basename or folder derived for a rule whose platform is
 * unknown or mixed) stands for two sets of values: every path separator written as `\`, and every
 * one written as `/`. Wildcard values are in the model's glob form, where a literal backslash is
 * `\\` and `\*`, `\?` are escaped wildcards.
 */
export function separatorVariants(value: string, op: Op): [string, string] {
  if (op !== 'wildcard') return [value.replace(/\//g, '\\'), value.replace(/\\/g, '/')];
  let win = '';
  let posix = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '\\' && i + 1 < value.length) {
      const n = value[++i];
      if (n === '\\') {
        win += '\\\\';
        posix += '/';
      } else {
        win += `\\${n}`;
        posix += `\\${n}`;
      }
    } else if (c === '/') {
      win += '\\\\';
      posix += '/';
    } else {
      win += c;
      posix += c;
    }
  }
  return [win, posix];
}

/** The predicate with its values expanded to both separators and the flag removed. */
export function expandSeparators(p: Predicate): Predicate {
  if (!p.flags.anySeparator) return p;
  const values: Scalar[] = [];
  for (const v of p.values) {
    if (typeof v !== 'string') {
      values.push(v);
      continue;
    }
    for (const x of separatorVariants(v, p.op)) if (!values.includes(x)) values.push(x);
  }
  const flags = { ...p.flags };
  delete flags.anySeparator;
  return { ...p, values, flags };
}
