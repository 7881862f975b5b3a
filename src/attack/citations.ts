import { externalRefs, type Json } from './fields.js';

export interface Reference {
  n: number;
  source_name: string;
  description: string;
  url: string;
}

const ATTACK_SOURCES = new Set(['mitre-attack', 'mitre-mobile-attack', 'mitre-ics-attack']);
export const CITATION_RE = /\(Citation: ([^)]{1,300})\)/g;

/**
 * Numbers the external references of an object (and of the relationships shown with it) in the order
 * they are first met, so "(Citation: LOLBAS Project)" becomes [1] in text and [^1] in the vault.
 */
export class Citations {
  readonly list: Reference[] = [];
  private readonly byName = new Map<string, Reference>();

  addFrom(obj: Json): void {
    for (const r of externalRefs(obj)) {
      if (ATTACK_SOURCES.has(r.source_name) || !r.source_name) continue;
      if (this.byName.has(r.source_name)) continue;
      const ref: Reference = { n: this.list.length + 1, source_name: r.source_name, description: r.description, url: r.url };
      this.list.push(ref);
      this.byName.set(r.source_name, ref);
    }
  }

  /** Renumbers the references in the order the texts first cite them; uncited ones follow in their order. */
  orderBy(texts: string[]): void {
    const first = new Map<string, number>();
    let i = 0;
    for (const t of texts) for (const m of t.matchAll(CITATION_RE)) if (!first.has(m[1])) first.set(m[1], i++);
    const pos = (r: Reference): number => first.get(r.source_name) ?? Number.MAX_SAFE_INTEGER;
    this.list.sort((a, b) => pos(a) - pos(b) || a.n - b.n);
    this.list.forEach((r, k) => (r.n = k + 1));
  }

  number(name: string): number | undefined {
    return this.byName.get(name)?.n;
  }

  /** Replaces citation markers with `mark(n)`; unknown citations keep their name in brackets. */
  replace(text: string, mark: (n: number) => string, unknown: (name: string) => string = (n) => `[${n}]`): string {
    return text.replace(CITATION_RE, (_m, name: string) => {
      const n = this.number(name);
      return n === undefined ? unknown(name) : mark(n);
    });
  }
}
