/**
 * Note file names that are safe on Windows, macOS and Linux and cannot break a [[wiki link]]:
 * no reserved characters (<>:"/\|?* and control characters), none of the link syntax ([]#^|%),
 * no trailing dot or space, no reserved device names (CON, NUL, COM1, ...), at most 150 UTF-8 bytes,
 * no ending that reads as a file extension (editors would take [[x InstallUtil.exe]] for an attachment:
 * the last dot becomes "_"), and unique when compared case-insensitively (macOS and Windows fold case).
 */
const UNSAFE = /[<>:"/\\|?*\x00-\x1f\x7f-\x9f#^[\]%{}`$!]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
const MAX_BYTES = 150;

export function safeFileName(raw: string): string {
  let s = raw.normalize('NFC').replace(UNSAFE, ' ').replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '');
  s = s.replace(/\s+/g, ' ').trim().replace(/^[.\s-]+/, '').replace(/[.\s]+$/, '');
  while (Buffer.byteLength(s, 'utf8') > MAX_BYTES) s = [...s].slice(0, -1).join('');
  s = s.replace(/[.\s]+$/, '');
  s = s.replace(/\.([^.\s]{1,10})$/, '_$1');
  if (!s) s = '_';
  if (RESERVED.test(s)) s = `_${s}`;
  return s;
}

/** Hands out note paths (folder/name, without .md), unique case-insensitively. */
export class NoteNames {
  private readonly used = new Set<string>();

  take(folder: string, name: string): string {
    const base = safeFileName(name);
    let candidate = `${folder}/${base}`;
    for (let i = 2; this.used.has(candidate.toLowerCase()); i++) candidate = `${folder}/${base} (${i})`;
    this.used.add(candidate.toLowerCase());
    return candidate;
  }
}

/** Text usable as the display part of [[target|display]]. */
export function linkLabel(s: string): string {
  return s.replace(/[\x00-\x1f\x7f[\]|#^]/g, ' ').replace(/\s+/g, ' ').trim() || '_';
}

export function wikiLink(target: string, label?: string): string {
  return label ? `[[${target}|${linkLabel(label)}]]` : `[[${target}]]`;
}
