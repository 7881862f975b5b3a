import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { parse } from 'yaml';

/** Every note path under a vault (folder/name without .md, forward slashes). */
export function notePaths(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else if (e.endsWith('.md')) out.push(relative(root, p).split(sep).join('/').slice(0, -3));
    }
  };
  walk(root);
  return out;
}

/** Link targets of every [[target]] / [[target|alias]] / [[target\|alias]] in a note. */
export function linkTargets(text: string): string[] {
  return [...text.matchAll(/\[\[([^\]]*?)\]\]/g)].map((m) => m[1].split(/\\?\|/)[0]);
}

/** Parses the YAML front matter; throws when the note does not start with a well-formed block. */
export function frontMatterOf(text: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(text);
  if (!m) throw new Error('no front matter block');
  const data = parse(m[1]) as unknown;
  if (!data || typeof data !== 'object' || Array.isArray(data)) throw new Error('front matter is not a mapping');
  return data as Record<string, unknown>;
}

/** A file name every major OS accepts. */
export function isPortableName(name: string): boolean {
  return !/[<>:"\\|?*\x00-\x1f]/.test(name) && !/[. ]$/.test(name) && !/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name)
    && Buffer.byteLength(name, 'utf8') <= 200 && name.length > 0;
}

export function readNote(root: string, path: string): string {
  return readFileSync(join(root, `${path}.md`), 'utf8');
}
