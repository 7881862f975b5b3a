import { readFile, stat } from 'node:fs/promises';

const MAX_SOURCE = 512 * 1024;

/**
 * The YAML document of a Sigma rule (the catalog stores no query text for Sigma): read from the rule's
 * file as cataloged, document `index` of a multi-document file. Undefined when the file is gone, too
 * large, or not readable: the page then shows the predicates only.
 */
export async function sigmaSource(path: string, index: number): Promise<string | undefined> {
  try {
    const st = await stat(path);
    if (!st.isFile() || st.size > MAX_SOURCE) return undefined;
    const text = await readFile(path, 'utf8');
    const docs = text.split(/^---[ \t]*$/m).filter((d, i) => i > 0 || d.trim() !== '');
    return docs[index]?.replace(/^\n+|\s+$/g, '');
  } catch {
    return undefined;
  }
}
