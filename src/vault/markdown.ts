import { stringify } from 'yaml';

/**
 * Turning untrusted bundle and rule text into Markdown that cannot break the note: no wiki links,
 * footnotes, comments, raw HTML or images injected by the text; links only to http(s) and mailto;
 * ATT&CK's own links to other objects become wiki links to their notes.
 */
export type LinkResolver = (url: string, text: string) => string | undefined;

const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g;

/** Escapes what could inject structure, keeping ordinary Markdown emphasis and code. */
function neutralize(s: string): string {
  return s
    .replace(CONTROL, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\[/g, '\\[')
    .replace(/\]/g, '\\]')
    .replace(/%%/g, '%\\%')
    .replace(/!(?=\\\[)/g, '\\!')
    .replace(/^(\s*)(-{3,}|={3,})\s*$/gm, '$1\\$2');
}

const MD_LINK = /\[([^\]\n]{0,300})\]\(([^)\s]{1,2000})\)/g;

/** Body text: Markdown links kept when safe (or made wiki links), everything else neutralized. */
export function mdText(s: string, resolve?: LinkResolver): string {
  let out = '';
  let last = 0;
  for (const m of s.matchAll(MD_LINK)) {
    // "![x](url)" would embed a remote image: the "!" before a kept link is escaped.
    out += neutralize(s.slice(last, m.index)).replace(/!$/, '\\!');
    const [, text, url] = m;
    const wiki = resolve?.(url, text);
    if (wiki) out += wiki;
    else if (/^(https?:|mailto:)/i.test(url)) out += `[${neutralize(text).replace(/\n/g, ' ')}](<${url.replace(/[<>\s]/g, encodeURIComponent)}>)`;
    else out += neutralize(text);
    last = m.index + m[0].length;
  }
  out += neutralize(s.slice(last));
  return out;
}

/** A table cell: one line, pipes escaped. */
export function mdCell(s: string, resolve?: LinkResolver): string {
  return mdText(s.replace(/\s+/g, ' ').trim(), resolve).replace(/\|/g, '\\|');
}

export function mdTable(headers: string[], rows: string[][]): string {
  return [`| ${headers.join(' | ')} |`, `| ${headers.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** One-line scalar for front matter. */
export function fmText(s: string): string {
  return s.replace(CONTROL, '').replace(/\s+/g, ' ').trim();
}

/** A wiki link the exporter made (kept as is in front matter, where other text gets its [[ ]] defused). */
export class FmLink {
  constructor(readonly text: string) {}
}

/**
 * YAML front matter; every string collapsed to one line and quoted by the YAML writer when needed.
 * Editors read [[...]] in front matter as links, so only FmLink values may carry them.
 */
export function frontMatter(data: Record<string, unknown>): string {
  const clean = (v: unknown): unknown => {
    if (v instanceof FmLink) return v.text;
    if (typeof v === 'string') return fmText(v).replace(/\[\[/g, '[ [').replace(/\]\]/g, '] ]');
    if (Array.isArray(v)) return v.map(clean);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clean(x)]));
    return v;
  };
  const body = stringify(clean(data), { lineWidth: 0, defaultStringType: 'PLAIN', defaultKeyType: 'PLAIN' });
  return `---\n${body}---\n`;
}
