/**
 * Round-trip fidelity helpers for Splunk rules: every condition of the raw query (the search's own
 * conditions, its event selector and its subsearches, each read by our SPL parser) against the
 * conditions of the SPL printed from the rule's tree, compared as a normalized boolean structure.
 * Normalization: nested and/or flattened, their children in a fixed order, a predicate with several
 * values (alternatives) an or of one-value tests (`ne`: an and). Nothing else.
 */
import type { Detection, Rule } from '../../../src/model/index.js';
import { analyzeSearch } from '../../../src/formats/splunk/analyze-search.js';
import type { MacroTable } from '../../../src/formats/spl/index.js';
import { printRuleSpl, SplPrintError } from '../../../src/backends/spl/index.js';

export function canon(d: Detection | undefined): string {
  if (!d) return 'true';
  switch (d.kind) {
    case 'pred': {
      const f = d.flags;
      const key = (v: unknown): string => {
        const shown = typeof v === 'string' && f.cased !== true ? v.toLowerCase() : v;
        return `${JSON.stringify(d.field)} ${d.op}${f.cased ? ' cased' : ''}${f.fieldref ? ' fieldref' : ''}${f.regexFlags ? ` /${f.regexFlags}` : ''} ${typeof v}:${JSON.stringify(shown)}`;
      };
      if (d.values.length === 0) return key(null);
      if (d.values.length === 1) return key(d.values[0]);
      return group(d.op === 'ne' ? 'and' : 'or', d.values.map(key));
    }
    case 'and':
    case 'or': {
      const kids: string[] = [];
      for (const c of d.children) {
        const k = canon(c);
        if (k === 'true' && d.kind === 'and') continue;
        const nested = k.startsWith(`${d.kind}(`) ? splitTop(k.slice(d.kind.length + 1, -1)) : [k];
        kids.push(...nested);
      }
      if (kids.length === 0) return 'true';
      return group(d.kind, kids);
    }
    case 'not':
      return `not(${canon(d.child)})`;
    case 'const':
      return String(d.value);
    case 'unknown':
      return `?${JSON.stringify(d.text)}`;
    case 'computed':
      return `computed ${JSON.stringify(d.value)} ${d.op} ${JSON.stringify(d.values)}`;
  }
}

function group(kind: string, kids: string[]): string {
  const flat: string[] = [];
  for (const k of kids) flat.push(...(k.startsWith(`${kind}(`) ? splitTop(k.slice(kind.length + 1, -1)) : [k]));
  return flat.length === 1 ? flat[0] : `${kind}(${flat.sort().join(' ; ')})`;
}

/** Splits "a ; b(c ; d) ; e" at top-level separators. */
function splitTop(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (inStr) {
      if (c === '\\') i++;
      else if (c === '"') inStr = false;
      continue;
    }
    if (c === '"') inStr = true;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (depth === 0 && s.startsWith(' ; ', i)) {
      out.push(s.slice(start, i));
      start = i + 3;
      i += 2;
    }
  }
  out.push(s.slice(start));
  return out;
}

const andOf = (xs: Array<Detection | undefined>): Detection | undefined => {
  const kids = xs.filter((x): x is Detection => x !== undefined);
  return kids.length === 0 ? undefined : kids.length === 1 ? kids[0] : { kind: 'and', children: kids };
};

/** Every condition of the raw query: selector, search conditions, and each subsearch's conditions. */
export function rawConditions(query: string, macros: MacroTable): Detection | undefined {
  // subsearches apart: each one's conditions, whether or not the rule's tree holds them
  const a = analyzeSearch(query, macros, { joinsInTree: false });
  const subs = a.subsearches.map((s): Detection => (s.error ? { kind: 'unknown', text: s.text, reason: s.error } : s.detection ?? { kind: 'const', value: true }));
  return andOf([a.selector, a.detection, ...subs]);
}

export interface RoundTrip {
  exact: boolean;
  printed?: string;
  error?: string;
  raw: string;
  back: string;
}

/**
 * Prints the rule's tree as SPL (a canonicalized rule: on its authored fields again), reads it back,
 * and compares with every condition of the raw query.
 */
export function roundTrip(rule: Rule, macros: MacroTable): RoundTrip {
  const raw = canon(rawConditions(rule.query ?? '', macros));
  let printed: string;
  try {
    printed = printRuleSpl(rule);
  } catch (e) {
    if (e instanceof SplPrintError) return { exact: false, error: e.message, raw, back: '' };
    throw e;
  }
  const back = canon(rawConditions(printed, new Map()));
  return { exact: raw === back, printed, raw, back };
}
