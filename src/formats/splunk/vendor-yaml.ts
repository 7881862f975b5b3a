/**
 * YAML as Splunk's own tooling reads it. security_content is loaded with PyYAML (YAML 1.1), which
 * accepts a multi-line quoted scalar whose continuation lines start at column 0; strict YAML (1.1
 * or 1.2 alike, in the `yaml` package) rejects them. When strict parsing fails, the continuation
 * lines of an unclosed quoted scalar are indented (a folded quoted scalar trims that indentation, so
 * the value is unchanged) and the text is read as YAML 1.1. The caller records that leniency was
 * needed: `lenient` says what was done.
 */
import { parseDocument, type Document } from 'yaml';

export interface VendorYaml {
  doc: Document.Parsed;
  /** The text the document was read from (the repaired text when leniency was needed). */
  text: string;
  /** Set when strict YAML 1.2 rejected the file and the vendor's reading was used: what and where. */
  lenient?: string;
}

export function parseVendorYaml(text: string): VendorYaml {
  const strict = parseDocument(text, { prettyErrors: false });
  if (!strict.errors.length) return { doc: strict, text };
  const repaired = indentQuotedContinuations(text);
  if (repaired.lines.length) {
    const doc = parseDocument(repaired.text, { prettyErrors: false, version: '1.1' });
    if (!doc.errors.length) {
      const lines = repaired.lines.length > 5 ? `${repaired.lines.slice(0, 5).join(', ')}...` : repaired.lines.join(', ');
      return {
        doc, text: repaired.text,
        lenient: `strict YAML rejects it (${strict.errors[0].message.split('\n')[0]}); read as Splunk's tooling (PyYAML, YAML 1.1) does: `
          + `continuation lines of a quoted scalar start at column 0 (line ${lines})`,
      };
    }
  }
  const v11 = parseDocument(text, { prettyErrors: false, version: '1.1' });
  if (!v11.errors.length) {
    return { doc: v11, text, lenient: `strict YAML 1.2 rejects it (${strict.errors[0].message.split('\n')[0]}); read as YAML 1.1, as Splunk's tooling does` };
  }
  return { doc: strict, text };
}

const KEY_THEN_QUOTE = /^(\s*(?:-\s+)?)[^\s#'"-][^:#]*:\s+(['"])/;

/** Indents the under-indented continuation lines of multi-line quoted scalars; returns their 1-based numbers. */
export function indentQuotedContinuations(text: string): { text: string; lines: number[] } {
  const lines = text.split('\n');
  const fixed: number[] = [];
  let open: { quote: string; indent: number } | undefined;
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k];
    if (!open) {
      const m = KEY_THEN_QUOTE.exec(line);
      if (m && !closes(line.slice(m[0].length), m[2])) open = { quote: m[2], indent: m[1].length };
      continue;
    }
    const lead = /^ */.exec(line)![0].length;
    if (line.trim() !== '' && lead <= open.indent) {
      lines[k] = ' '.repeat(open.indent + 1 - lead) + line;
      fixed.push(k + 1);
    }
    if (closes(line, open.quote)) open = undefined;
  }
  return { text: lines.join('\n'), lines: fixed };
}

/** Does `rest` (inside a quoted scalar) hold the closing quote? `''` and `\"` are escapes. */
function closes(rest: string, quote: string): boolean {
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (quote === '"' && c === '\\') {
      i++;
      continue;
    }
    if (c !== quote) continue;
    if (quote === "'" && rest[i + 1] === "'") {
      i++;
      continue;
    }
    return true;
  }
  return false;
}
