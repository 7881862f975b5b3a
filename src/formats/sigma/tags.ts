/** ATT&CK ids and tactics from Sigma tags (attack.t1216.001, attack.defense-evasion, ...). */
const TECHNIQUE = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;
const OTHER_ID = /^attack\.(g|s|c|m|ta|ds|dc)\d{4}$/i;

export function techniquesFromTags(tags: string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const m = TECHNIQUE.exec(t.trim());
    if (m) out.add(m[1].toUpperCase());
  }
  return [...out];
}

export function tacticsFromTags(tags: string[]): string[] {
  const out = new Set<string>();
  for (const t of tags) {
    const s = t.trim().toLowerCase();
    if (!s.startsWith('attack.') || TECHNIQUE.test(s) || OTHER_ID.test(s)) continue;
    out.add(s.slice('attack.'.length).replace(/_/g, '-'));
  }
  return [...out];
}
