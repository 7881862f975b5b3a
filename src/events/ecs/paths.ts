/** Windows path pieces as the pipelines' painless scripts derive them. */

/**
 * Sysmon "Adds process name information": the text after the last backslash; "" when there is no
 * backslash (the pipeline then sets no name).
 */
export function nameAfterLastBackslash(path: string): string {
  const i = path.lastIndexOf('\\');
  return i > -1 ? path.slice(i + 1) : '';
}

/** Security "splitOnToken(\"\\\\\")[-1]": the last component, the whole path when there is no backslash. */
export function lastComponent(path: string): string {
  const i = path.lastIndexOf('\\');
  return i > -1 ? path.slice(i + 1) : path;
}

export interface FileParts {
  name: string;
  directory: string;
  extension?: string;
}

/**
 * Sysmon / PowerShell "Adds file information": name and directory split at the last backslash, and
 * the extension after the last dot of the whole path (only when the path has a backslash).
 */
export function fileParts(path: string): FileParts | undefined {
  const i = path.lastIndexOf('\\');
  if (i < 0) return undefined;
  const dot = path.lastIndexOf('.');
  return { name: path.slice(i + 1), directory: path.slice(0, i), extension: dot > -1 ? path.slice(dot + 1) : undefined };
}
