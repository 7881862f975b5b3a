/**
 * Fast YAML reading for rule files: js-yaml (later keys win) reads a text about five times faster
 * than the `yaml` package, which stays the reference: plain scalars are resolved by the `yaml`
 * package's own core-schema tags (js-yaml's differ, e.g. on `-.5`). A text goes to the `yaml` package
 * instead (undefined here) when it holds what the two might read differently or what needs the
 * `yaml` package's guards and positions: control characters, tabs, CR, a BOM, directives, a
 * document js-yaml refuses (it then also has an error to report with its position), an alias of a
 * collection (a possible alias bomb: the `yaml` package bounds the expansion), or document starts
 * that cannot be placed. test/formats/yaml-fast.test.ts checks on the whole SigmaHQ corpus and on
 * random and mutated texts that whatever is read here equals the `yaml` package's data and lines.
 */
import { FAILSAFE_SCHEMA, loadAll, Type } from 'js-yaml';
import { isScalar, Schema } from 'yaml';

/** One document: its data and the line the `yaml` package gives as its start (see parseSigmaText). */
export interface FastDoc {
  data: unknown;
  line: number;
}

interface ScalarTag {
  tag: string;
  default?: boolean | 'key';
  test?: RegExp;
  resolve: (value: string, onError: (message: string) => void, options: object) => unknown;
}

/** The `yaml` package's implicit core-schema tags (null, booleans, numbers) as js-yaml types. */
const CORE_TAGS = (new Schema({}).tags as unknown as ScalarTag[]).filter((t) => t.default === true && t.test);
const SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: CORE_TAGS.map((t, i) => new Type(`${t.tag}#${i}`, { // unique: js-yaml keeps one type per tag
    kind: 'scalar',
    resolve: (s: string | null) => s !== null && t.test!.test(s),
    construct: (s: string) => {
      const r = t.resolve(s, () => undefined, { intAsBigInt: false });
      const v = isScalar(r) ? r.value : r;
      return typeof v === 'bigint' ? Number(v) : v;
    },
  })),
});
/** Keys the `yaml` package turns into '' (a null key) while js-yaml keeps their text. */
const NULL_KEYS = new Set(['null', 'Null', 'NULL', '~']);

/** Control characters but newline, tab (indentation rules differ), a BOM: left to the `yaml` package. */
const REFUSED_CHARS = /[\u0000-\u0009\u000b-\u001f\u007f\ufeff]/;
const DOC_START = /^---(?:[ \t]|$)/;
const DOC_END = /^\.\.\.(?:[ \t]|$)/;
/** A line that opens a document without a marker: anything but blanks and a comment. */
const CONTENT = /^[ \t]*[^ \t#]/;

/** The documents of `text`, or undefined when the `yaml` package must read it. */
export function fastYamlDocs(text: string): FastDoc[] | undefined {
  if (REFUSED_CHARS.test(text) || /^%/m.test(text)) return undefined;
  let docs: unknown[];
  // Scalars written over several lines other than `|` / `>` blocks: js-yaml takes some the `yaml`
  // package refuses (a quoted scalar whose next line is not indented), so these texts go there.
  const opened: number[] = [];
  let multiline = false;
  const listener = (event: 'open' | 'close', state: { kind: string | null; line: number; position: number }): void => {
    if (event === 'open') {
      opened.push(state.line, state.position);
      return;
    }
    const position = opened.pop()!;
    const line = opened.pop()!;
    if (state.kind !== 'scalar' || state.line === line || multiline) return;
    let i = position;
    while (text[i] === ' ') i++;
    if (text[i] !== '|' && text[i] !== '>') multiline = true;
  };
  try {
    docs = loadAll(text, undefined, { schema: SCHEMA, json: true, listener });
  } catch {
    return undefined;
  }
  if (multiline) return undefined;
  const lines = documentLines(text);
  if (lines.length !== docs.length || docs.some(oddShape)) return undefined;
  return docs.map((data, i) => ({ data: data === undefined ? null : data, line: lines[i] }));
}

/**
 * Where each document starts, as the `yaml` package counts it (1-based): the line of its `---`
 * marker, else (the first document, or one after `...`) its first line that is not blank or a comment.
 */
function documentLines(text: string): number[] {
  const out: number[] = [];
  let open = false;
  let n = 0;
  for (const line of text.split('\n')) {
    n++;
    if (DOC_START.test(line)) {
      out.push(n);
      open = true;
    } else if (DOC_END.test(line)) {
      open = false;
    } else if (!open && CONTENT.test(line)) {
      out.push(n);
      open = true;
    }
  }
  return out;
}

/** A collection twice in the data (an alias of a map or list), or a null key? Iterative: no depth limit. */
function oddShape(data: unknown): boolean {
  const seen = new Set<object>();
  const todo: unknown[] = [data];
  while (todo.length) {
    const v = todo.pop();
    if (v === null || typeof v !== 'object') continue;
    if (seen.has(v)) return true;
    seen.add(v);
    if (!Array.isArray(v) && Object.keys(v).some((k) => NULL_KEYS.has(k))) return true;
    for (const x of Array.isArray(v) ? v : Object.values(v)) todo.push(x);
  }
  return false;
}
