import type { Span } from './spans.js';

const KEY = /^(\s*(?:-\s+)?)([^\s#'"][^:#]*?)(:)(?=\s|$)/;
const SCALAR_KW = /^(?:true|false|null|~|yes|no)$/i;

/** A line-based key/value highlighter for Sigma rule YAML (keys, strings, numbers, comments, list dashes). */
export function highlightSigmaYaml(text: string): Span[] {
  const out: Span[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    let rest = line;
    const m = KEY.exec(rest);
    if (m) {
      if (m[1]) out.push({ text: m[1], cls: m[1].includes('-') ? 'o' : undefined });
      out.push({ text: m[2], cls: 'k' }, { text: m[3], cls: 'o' });
      rest = rest.slice(m[0].length);
    } else {
      const dash = /^(\s*-\s+)/.exec(rest);
      if (dash) {
        out.push({ text: dash[1], cls: 'o' });
        rest = rest.slice(dash[1].length);
      }
    }
    const lead = /^\s*/.exec(rest)![0];
    if (lead) out.push({ text: lead });
    rest = rest.slice(lead.length);
    if (rest.startsWith('#')) out.push({ text: rest, cls: 'c' });
    else if (rest) {
      const comment = /\s#.*$/.exec(rest);
      const value = comment ? rest.slice(0, comment.index) : rest;
      const v = value.trim();
      const cls = /^['"]/.test(v) ? 's' : /^-?\d+(?:\.\d+)?$/.test(v) ? 'n' : SCALAR_KW.test(v) ? 'kw' : /^[|>][-+]?$/.test(v) ? 'o' : 's';
      out.push({ text: value, cls });
      if (comment) out.push({ text: comment[0], cls: 'c' });
    }
    if (i < lines.length - 1) out.push({ text: '\n' });
  });
  return out.filter((s) => s.text !== '').map((s) => (s.cls === undefined ? { text: s.text } : s));
}
