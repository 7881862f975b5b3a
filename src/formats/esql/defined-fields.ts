/**
 * Fields an ES|QL command creates or overwrites (EVAL, RENAME, DISSECT, GROK, ENRICH ... WITH):
 * a later WHERE on one of them tests a computed value, not an event field. Read from the command
 * text (the parser keeps non-WHERE commands as text).
 */
export function definedFields(name: string, body: string): string[] {
  const text = stripComments(body);
  switch (name) {
    case 'eval':
      return topLevel(text).map((part) => /^\s*(`[^`]+`|[\w.@]+)\s*=(?!=)/.exec(part)?.[1]).filter((x): x is string => !!x).map(unquote);
    case 'rename':
      return topLevel(text).flatMap((part) => {
        const as = /\bas\s+(`[^`]+`|[\w.@]+)\s*$/i.exec(part);
        if (as) return [unquote(as[1])];
        const eq = /^\s*(`[^`]+`|[\w.@]+)\s*=/.exec(part);
        return eq ? [unquote(eq[1])] : [];
      });
    case 'dissect':
      return [...text.matchAll(/%\{[?+&*]?([\w.@]+)(?:->)?\}/g)].map((m) => m[1]);
    case 'grok':
      return [...text.matchAll(/%\{\w+:([\w.@]+)(?::\w+)?\}|\(\?<([\w.@]+)>/g)].map((m) => m[1] ?? m[2]);
    case 'enrich': {
      const w = /\bwith\b([\s\S]*)$/i.exec(text);
      if (!w) return [];
      return topLevel(w[1]).map((part) => /^\s*(`[^`]+`|[\w.@]+)/.exec(part)?.[1]).filter((x): x is string => !!x).map(unquote);
    }
    case 'completion': {
      // COMPLETION name = prompt WITH {...}; without a name the answer goes to `completion`
      const m = /^\s*(`[^`]+`|[\w.@]+)\s*=(?!=)/.exec(text);
      return [m ? unquote(m[1]) : 'completion'];
    }
    default:
      return [];
  }
}

/** `eval a = expr, b = expr`: each assignment's name and expression text. */
export function evalAssignments(body: string): Array<{ name: string; expr: string }> {
  const text = stripComments(body);
  const out: Array<{ name: string; expr: string }> = [];
  for (const part of topLevel(text)) {
    const m = /^\s*(`[^`]+`|[\w.@]+)\s*=(?!=)([\s\S]*)$/.exec(part);
    if (m) out.push({ name: unquote(m[1]), expr: m[2].trim() });
  }
  return out;
}

/** `//` and `/* *\/` comments outside strings ("..." and """...""") become spaces. */
export function stripComments(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith('"""', i)) {
      const e = s.indexOf('"""', i + 3);
      const end = e < 0 ? s.length : e + 3;
      out += s.slice(i, end);
      i = end - 1;
    } else if (s[i] === '"') {
      let j = i + 1;
      while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
      out += s.slice(i, j + 1);
      i = j;
    } else if (s.startsWith('//', i)) {
      while (i < s.length && s[i] !== '\n') i++;
      out += ' \n';
    } else if (s.startsWith('/*', i)) {
      const e = s.indexOf('*/', i + 2);
      i = e < 0 ? s.length : e + 1;
      out += ' ';
    } else out += s[i];
  }
  return out;
}

const unquote = (s: string): string => (s.startsWith('`') ? s.slice(1, -1) : s);

/** Splits on commas outside parentheses and strings. */
export function topLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      out.push(s.slice(start, i));
      start = i + 1;
    }
  }
  out.push(s.slice(start));
  return out;
}
