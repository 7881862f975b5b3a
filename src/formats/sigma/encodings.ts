/** Value transformations of Sigma's encoding modifiers (base64, base64offset, utf16*, windash). */
import { type SigmaString, literal, plainText } from './sigma-string.js';

function toBytes(v: SigmaString, text: string): Buffer {
  return v.bytes ? Buffer.from(text, 'latin1') : Buffer.from(text, 'utf8');
}

export function base64(v: SigmaString): SigmaString {
  const text = plainText(v);
  if (text === undefined) throw new Error('base64 cannot encode a value with wildcards');
  return literal(toBytes(v, text).toString('base64'));
}

/**
 * The three base64 forms a value takes at byte offsets 0, 1 and 2 of an encoded string, cut to the
 * characters that do not depend on the surrounding bytes. Combine with `contains`.
 */
export function base64offset(v: SigmaString): SigmaString[] {
  const text = plainText(v);
  if (text === undefined) throw new Error('base64offset cannot encode a value with wildcards');
  const bytes = toBytes(v, text);
  const out: SigmaString[] = [];
  // Leading characters to drop for shifts 0, 1, 2 and trailing characters to drop by (len + shift) % 3.
  const dropStart = [0, 2, 3];
  const dropEnd = [0, 3, 2];
  for (let shift = 0; shift < 3; shift++) {
    const enc = Buffer.concat([Buffer.alloc(shift, 0x20), bytes]).toString('base64');
    const end = dropEnd[(bytes.length + shift) % 3];
    out.push(literal(enc.slice(dropStart[shift], enc.length - end)));
  }
  return out;
}

export function utf16(v: SigmaString, mode: 'le' | 'be' | 'bom'): SigmaString {
  const enc = (s: string, bom: boolean): string => {
    const b = Buffer.from(s, 'utf16le');
    if (mode === 'be') b.swap16();
    return (bom ? Buffer.concat([Buffer.from([0xff, 0xfe]), b]) : b).toString('latin1');
  };
  const parts = v.parts.map((p, i) => (p.t === 'lit' ? { t: 'lit' as const, s: enc(p.s, mode === 'bom' && i === 0) } : p));
  return { parts, bytes: true };
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const MAX_WINDASH = 625; // 5^4: more dashes than that in one value is not a command-line flag pattern

/**
 * Every permutation of the dash characters that start a command-line flag: a dash preceded by the
 * start of the text or a non-word character and followed by a word character.
 */
export function windash(v: SigmaString): SigmaString[] {
  let results: SigmaString[] = [{ ...v, parts: [] }];
  v.parts.forEach((p) => {
    if (p.t !== 'lit') {
      results = results.map((r) => ({ ...r, parts: [...r.parts, p] }));
      return;
    }
    const positions: number[] = [];
    for (let i = 0; i < p.s.length; i++) {
      if (!DASHES.includes(p.s[i])) continue;
      // At the start of a literal (start of value or after a wildcard) there is no word character before.
      const prev = i > 0 ? p.s[i - 1] : '';
      const next = p.s[i + 1] ?? '';
      const prevWord = /\w/.test(prev);
      if (!prevWord && /\w/.test(next)) positions.push(i);
    }
    let variants = [p.s];
    for (const pos of positions) {
      if (variants.length * DASHES.length > MAX_WINDASH) break;
      variants = variants.flatMap((s) => DASHES.map((d) => s.slice(0, pos) + d + s.slice(pos + 1)));
    }
    results = results.flatMap((r) => variants.map((s) => ({ ...r, parts: [...r.parts, { t: 'lit' as const, s }] })));
  });
  return results;
}
