/**
 * Macro expansion, textual as in Splunk: `name` and `name(arg, ...)` are replaced by the macro's
 * definition with `$arg$` substituted, recursively, before parsing. A source map remembers, for
 * every expanded character, where it came from in the authored query and which (outermost) macro
 * produced it, so that errors point at the authored text and predicates can name their macro.
 */
import type { SplError } from './errors.js';
import { readString } from './lexer.js';

export interface MacroDef {
  name: string;
  /** Argument names, in order (`$name$` placeholders in the definition). */
  args: string[];
  definition: string;
  /** Where it was defined (for problems). */
  file?: string;
}

/** Macros keyed as Splunk does: `name` for no arguments, `name(N)` with N arguments. */
export type MacroTable = Map<string, MacroDef>;

export function macroKey(name: string, arity: number): string {
  return arity ? `${name}(${arity})` : name;
}

export interface MacroUse {
  name: string;
  arity: number;
  /** Offset of the opening backtick in the authored query (of the outermost call for nested ones). */
  offset: number;
  /** The call was found inside another macro's definition. */
  nested: boolean;
}

/** A run of expanded text: authored text (origin advances with it) or a macro body (origin fixed). */
interface Segment {
  /** Offset of the run in the expanded text. */
  start: number;
  length: number;
  /** Offset in the authored query of the run's first character (or of the macro call). */
  origin: number;
  /** True when every character maps to `origin` (macro bodies). */
  fixed: boolean;
  macro?: string;
}

export interface Expansion {
  text: string;
  /** Offset in the authored query of an expanded offset (a macro call's backtick for macro text). */
  originAt(offset: number): number;
  /** The outermost macro an expanded offset came from (undefined: authored text). */
  macroAt(offset: number): string | undefined;
  used: MacroUse[];
  missing: MacroUse[];
  errors: SplError[];
}

const MAX_DEPTH = 32;
const MAX_LENGTH = 1 << 20;

export function expandMacros(query: string, table: MacroTable): Expansion {
  const segments: Segment[] = [];
  const chunks: string[] = [];
  let length = 0;
  const used: MacroUse[] = [];
  const missing: MacroUse[] = [];
  const errors: SplError[] = [];
  const emit = (s: string, origin: number, fixed: boolean, macro: string | undefined): void => {
    if (!s) return;
    if (length + s.length > MAX_LENGTH) {
      length = MAX_LENGTH;
      return;
    }
    chunks.push(s);
    segments.push({ start: length, length: s.length, origin, fixed, ...(macro ? { macro } : {}) });
    length += s.length;
  };
  const find = (offset: number): Segment | undefined => {
    let lo = 0;
    let hi = segments.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const g = segments[mid];
      if (offset < g.start) hi = mid - 1;
      else if (offset >= g.start + g.length) lo = mid + 1;
      else return g;
    }
    return undefined;
  };

  /** `callAt`: the authored offset of the macro call whose body `src` is (undefined: authored text). */
  const expand = (src: string, callAt: number | undefined, outer: string | undefined, stack: string[]): void => {
    const origin = (i: number): number => callAt ?? i;
    let i = 0;
    let copyFrom = 0;
    const flush = (to: number): void => {
      if (to > copyFrom) {
        emit(src.slice(copyFrom, to), origin(copyFrom), callAt !== undefined, outer);
      }
    };
    while (i < src.length) {
      if (length >= MAX_LENGTH) return;
      const c = src[i];
      if (c === '\\') {
        i += 2;
        continue;
      }
      if (c === '"') {
        try {
          i = readString(src, i, src.length).end;
        } catch {
          i = src.length;
        }
        continue;
      }
      if (c !== '`') {
        i++;
        continue;
      }
      if (src.startsWith('```', i)) {
        // An SPL comment: ```text```. It separates tokens like a space.
        const close = src.indexOf('```', i + 3);
        flush(i);
        emit(' ', origin(i), true, outer);
        i = close < 0 ? src.length : close + 3;
        copyFrom = i;
        continue;
      }
      const close = src.indexOf('`', i + 1);
      if (close < 0) {
        // An unterminated backtick: left for the parser to report.
        i = src.length;
        continue;
      }
      const call = parseCall(src.slice(i + 1, close));
      const use: MacroUse = { name: call?.name ?? src.slice(i + 1, close), arity: call?.args.length ?? 0, offset: origin(i), nested: callAt !== undefined };
      const def = call ? table.get(macroKey(call.name, call.args.length)) : undefined;
      if (!call || !def) {
        missing.push(use);
        i = close + 1;
        continue;
      }
      const key = macroKey(call.name, call.args.length);
      if (stack.includes(key) || stack.length >= MAX_DEPTH) {
        errors.push({
          offset: use.offset,
          reason: 'macro-recursion',
          message: `macro \`${call.name}\` ${stack.includes(key) ? `calls itself (${[...stack, key].join(' -> ')})` : `nests deeper than ${MAX_DEPTH} levels`}`,
        });
        i = close + 1;
        continue;
      }
      flush(i);
      used.push(use);
      const body = substitute(def, call.args);
      expand(body, origin(i), outer ?? call.name, [...stack, key]);
      i = close + 1;
      copyFrom = i;
    }
    flush(src.length);
  };

  expand(query, undefined, undefined, []);
  if (length >= MAX_LENGTH) errors.push({ offset: 0, reason: 'macro-too-large', message: `macro expansion exceeds ${MAX_LENGTH} characters` });
  const text = chunks.join('');
  return {
    text,
    originAt(offset) {
      const g = find(offset);
      if (!g) return offset >= text.length ? query.length : 0;
      return g.fixed ? g.origin : g.origin + (offset - g.start);
    },
    macroAt: (offset) => find(offset)?.macro,
    used,
    missing,
    errors,
  };
}

function substitute(def: MacroDef, args: string[]): string {
  let body = def.definition;
  def.args.forEach((name, k) => {
    body = body.split(`$${name}$`).join(args[k] ?? '');
  });
  return body;
}

/** `name` or `name(a, "b, c", d)`; double quotes around an argument are removed. */
export function parseCall(inner: string): { name: string; args: string[] } | undefined {
  const m = /^\s*([A-Za-z0-9_.:-]+)\s*(?:\(([\s\S]*)\))?\s*$/.exec(inner);
  if (!m) return undefined;
  if (m[2] === undefined || m[2].trim() === '') return { name: m[1], args: [] };
  const args: string[] = [];
  let cur = '';
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < m[2].length; i++) {
    const c = m[2][i];
    if (c === '\\' && quoted && i + 1 < m[2].length) {
      cur += c + m[2][i + 1];
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === '(') depth++;
    else if (!quoted && c === ')') depth--;
    if (c === ',' && !quoted && depth === 0) {
      args.push(cur);
      cur = '';
      continue;
    }
    cur += c;
  }
  args.push(cur);
  return { name: m[1], args: args.map((a) => a.trim().replace(/^"([\s\S]*)"$/, '$1')) };
}
