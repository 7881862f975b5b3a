/**
 * A small strict XML 1.0 well-formedness checker for tests (no parser is installed): an optional
 * declaration, one root element, properly nested tags, attributes quoted and unique, only the five
 * predefined entities and character references, no '<' in attribute values, no ']]>' in text, only
 * XML Chars. Throws with the offset of the first fault; returns the element tree otherwise.
 * Comments, CDATA, processing instructions and DOCTYPE are refused: our JUnit output has none.
 */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const NAME = /[A-Za-z_:][-A-Za-z0-9_:.]*/y;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const BAD_CHAR = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;

function isXmlCodePoint(c: number): boolean {
  return c === 0x9 || c === 0xa || c === 0xd || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);
}

export function parseXml(src: string): XmlElement {
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`XML not well-formed at offset ${i}: ${why}`);
  };
  for (let k = 0; k < src.length; k++) {
    const code = src.codePointAt(k)!;
    if (code > 0xffff) k++;
    else if ((code >= 0xd800 && code <= 0xdfff) || !isXmlCodePoint(code)) {
      i = k;
      fail(`character U+${code.toString(16)} is not allowed in XML`);
    }
  }
  const ws = (): void => {
    while (i < src.length && ' \t\r\n'.includes(src[i])) i++;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const m = NAME.exec(src);
    if (!m) fail('a name was expected');
    i += m![0].length;
    return m![0];
  };
  const decode = (raw: string, inAttr: boolean): string => raw.replace(/&([^;]*);|&|</g, (m, ent: string | undefined) => {
    if (m === '<') return fail(inAttr ? "'<' in an attribute value" : "'<' in text");
    if (ent === undefined) return fail("'&' that starts no reference");
    if (ENTITIES[ent]) return ENTITIES[ent];
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(ent);
    if (!num) return fail(`unknown entity &${ent};`);
    const c = num[1] ? parseInt(num[1], 16) : parseInt(num[2], 10);
    if (!isXmlCodePoint(c)) return fail(`character reference &${ent}; names no XML character`);
    return String.fromCodePoint(c);
  });
  if (src.startsWith('<?xml')) {
    const end = src.indexOf('?>');
    if (end < 0) fail('unterminated declaration');
    if (!/^<\?xml\s+version="1\.[0-9]"(\s+encoding="[A-Za-z][-A-Za-z0-9._]*")?(\s+standalone="(yes|no)")?\s*\?>$/.test(src.slice(0, end + 2))) fail('bad XML declaration');
    i = end + 2;
  }
  const element = (): XmlElement => {
    if (src[i] !== '<') fail("'<' expected");
    i++;
    const el: XmlElement = { name: name(), attrs: {}, children: [], text: '' };
    for (;;) {
      const before = i;
      ws();
      if (src.startsWith('/>', i)) {
        i += 2;
        return el;
      }
      if (src[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('white space expected before an attribute');
      const a = name();
      ws();
      if (src[i] !== '=') fail("'=' expected");
      i++;
      ws();
      const q = src[i];
      if (q !== '"' && q !== "'") fail('quoted attribute value expected');
      const end = src.indexOf(q, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (Object.hasOwn(el.attrs, a)) fail(`attribute ${a} given twice`);
      el.attrs[a] = decode(src.slice(i + 1, end), true);
      i = end + 1;
    }
    for (;;) {
      const lt = src.indexOf('<', i);
      if (lt < 0) fail(`</${el.name}> missing`);
      const raw = src.slice(i, lt);
      if (raw.includes(']]>')) fail("']]>' in text");
      el.text += decode(raw, false);
      i = lt;
      if (src.startsWith('</', i)) {
        i += 2;
        const n = name();
        if (n !== el.name) fail(`</${n}> closes <${el.name}>`);
        ws();
        if (src[i] !== '>') fail("'>' expected");
        i++;
        return el;
      }
      if (src.startsWith('<!', i) || src.startsWith('<?', i)) fail('comments, CDATA, DOCTYPE and processing instructions are not expected here');
      el.children.push(element());
    }
  };
  ws();
  const root = element();
  ws();
  if (i !== src.length) fail('content after the root element');
  if (BAD_CHAR.test(src)) fail('control character');
  return root;
}

/** Direct children named `name`. */
export const childrenNamed = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
