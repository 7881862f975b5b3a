/**
 * Maps an offset in a YAML scalar's value back to an offset in the file, so that a query error
 * points at the file's line and column. Walks the scalar's source and its value side by side
 * (single-quote `''`, double-quote escapes, line folding, block indentation) and checks that the
 * walk rebuilds the value exactly; when it does not, only the scalar's start is known.
 */
export interface ScalarSource {
  /** Offset of the scalar's first character (its quote or block indicator) in the file. */
  start: number;
  /** Offset just past the scalar's value in the file. */
  end: number;
  type: string;
}

/** For each value character, its file offset; undefined when the walk does not rebuild the value. */
export function scalarOffsets(file: string, src: ScalarSource, value: string): number[] | undefined {
  const map: number[] = [];
  let built = '';
  const add = (ch: string, at: number): void => {
    built += ch;
    for (let k = 0; k < ch.length; k++) map.push(at);
  };
  const raw = file.slice(src.start, src.end);
  if (src.type === 'BLOCK_LITERAL' || src.type === 'BLOCK_FOLDED') {
    const firstNl = raw.indexOf('\n');
    if (firstNl < 0) return undefined;
    const lines = raw.slice(firstNl + 1).split('\n');
    const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^ */.exec(l)![0].length));
    let at = src.start + firstNl + 1;
    let empties = 0;
    let lastKind: 'none' | 'normal' | 'more' = 'none';
    let lastEnd = at;
    for (const l of lines) {
      const body = l.slice(Math.min(indent, l.length));
      if (!l.trim()) {
        empties++;
      } else {
        const kind = /^[ \t]/.test(body) ? 'more' : 'normal';
        if (src.type === 'BLOCK_LITERAL' || lastKind === 'none') {
          if (lastKind !== 'none') empties++;
          add('\n'.repeat(empties), lastEnd);
        } else if (lastKind === 'normal' && kind === 'normal') {
          add(empties ? '\n'.repeat(empties) : ' ', lastEnd);
        } else {
          add('\n'.repeat(empties + 1), lastEnd);
        }
        for (let i = 0; i < body.length; i++) add(body[i], at + indent + i);
        empties = 0;
        lastKind = kind;
        lastEnd = at + l.length;
      }
      at += l.length + 1;
    }
  } else {
    const quote = src.type === 'QUOTE_SINGLE' ? "'" : src.type === 'QUOTE_DOUBLE' ? '"' : '';
    let i = quote ? 1 : 0;
    const stop = quote ? raw.length - 1 : raw.length;
    while (i < stop) {
      const c = raw[i];
      const at = src.start + i;
      if (c === "'" && quote === "'" && raw[i + 1] === "'") {
        add("'", at);
        i += 2;
      } else if (c === '\\' && quote === '"') {
        const n = raw[i + 1];
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '"': '"', '\\': '\\', '/': '/', ' ': ' ', '0': '\0' };
        if (n === '\n') {
          i += 2;
          while (raw[i] === ' ' || raw[i] === '\t') i++;
        } else if (n in simple) {
          add(simple[n], at);
          i += 2;
        } else {
          const len = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
          if (!len) return undefined;
          add(String.fromCodePoint(parseInt(raw.slice(i + 2, i + 2 + len), 16)), at);
          i += 2 + len;
        }
      } else if (c === '\n' || ((c === ' ' || c === '\t') && /^[ \t]*\n/.test(raw.slice(i, stop)))) {
        // line folding: trailing blanks, newline(s), indentation -> one space, or n-1 newlines
        let j = i;
        let newlines = 0;
        while (j < stop && (raw[j] === ' ' || raw[j] === '\t' || raw[j] === '\n' || raw[j] === '\r')) {
          if (raw[j] === '\n') newlines++;
          j++;
        }
        add(newlines > 1 ? '\n'.repeat(newlines - 1) : ' ', at);
        i = j;
      } else {
        add(c, at);
        i++;
      }
    }
  }
  if (built !== value) {
    // Block scalars may drop or keep a final newline (chomping): accept a difference at the end only.
    const [long, short] = built.length > value.length ? [built, value] : [value, built];
    if (!(long.startsWith(short) && long.slice(short.length).trim() === '')) return undefined;
  }
  return map;
}
