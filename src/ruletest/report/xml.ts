/**
 * Text made safe for XML 1.0: the five markup characters escaped, and characters XML 1.0 cannot
 * hold at all, even as references (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF),
 * replaced by a visible \xNN / \uNNNN. Rule titles and event values come from untrusted files.
 */
const MARKUP: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

// Not XML 1.0 Chars: C0 controls except \t \n \r, unpaired surrogates, U+FFFE, U+FFFF.
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

function visible(c: string): string {
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

export function xmlText(s: string): string {
  return s.replace(NOT_XML, visible).replace(/[&<>"']/g, (c) => MARKUP[c]);
}

/** An attribute value: also newlines and tabs as references, which attribute normalization would otherwise turn into spaces. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function element(name: string, attrs: Record<string, string | number | undefined>, body?: string): string {
  const a = Object.entries(attrs).filter(([, v]) => v !== undefined).map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`).join('');
  return body === undefined ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}
