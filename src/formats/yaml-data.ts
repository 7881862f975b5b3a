/**
 * A parsed YAML document as plain data, with alias expansion bounded. A "billion laughs" file
 * (aliases of aliases of lists) would expand to gigabytes; the yaml package refuses past
 * `maxAliasCount` by throwing, which here becomes an error value naming the first alias.
 */
import { type Document, isAlias, visit } from 'yaml';

/** Alias expansions allowed per document: real rules use a few, if any. */
export const MAX_YAML_ALIASES = 100;

export type YamlData = { ok: true; data: unknown } | { ok: false; offset: number; message: string };

export function yamlData(doc: Document.Parsed): YamlData {
  try {
    return { ok: true, data: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) as unknown };
  } catch (e) {
    let offset = doc.range[0];
    let aliases = 0;
    visit(doc, (_key, node) => {
      if (!isAlias(node)) return undefined;
      if (aliases++ === 0 && node.range) offset = node.range[0];
      return undefined;
    });
    const why = e instanceof ReferenceError && /alias/i.test(e.message)
      ? `aliases expand too much (more than ${MAX_YAML_ALIASES} expansions; ${aliases} aliases in the document): a YAML alias bomb?`
      : `cannot turn the document into data: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, offset, message: why };
  }
}
