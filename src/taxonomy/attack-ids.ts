/** ATT&CK technique id normalization: T1216, T1216.001 (upper-case), parents of sub-techniques. */

const TECHNIQUE = /^(?:attack\.)?(t\d{4})(?:\.(\d{3}))?$/i;

/** The normalized technique id of a tag or id ("attack.t1216.001", "t1216", "T1216.001"), or undefined. */
export function normalizeTechnique(s: string): string | undefined {
  const m = TECHNIQUE.exec(s.trim());
  if (!m) return undefined;
  return m[2] ? `${m[1].toUpperCase()}.${m[2]}` : m[1].toUpperCase();
}

export function parentTechnique(id: string): string {
  const dot = id.indexOf('.');
  return dot < 0 ? id : id.slice(0, dot);
}

export const isSubtechnique = (id: string): boolean => id.includes('.');

/** Distinct normalized technique ids of a rule (from its techniques and, as a fallback, its tags). */
export function ruleTechniques(techniques: readonly string[], tags: readonly string[]): string[] {
  const out = new Set<string>();
  for (const t of techniques) {
    const n = normalizeTechnique(t);
    if (n) out.add(n);
  }
  for (const t of tags) {
    const n = /^attack\.t\d{4}/i.test(t) ? normalizeTechnique(t) : undefined;
    if (n) out.add(n);
  }
  return [...out].sort();
}
