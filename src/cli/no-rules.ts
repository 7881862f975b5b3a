/**
 * A scan with no rule to run would print nothing and look like "no alerts": it is a usage error
 * (exit 2) with the reason in words: the paths hold no rule file, or every rule file was skipped.
 */

/** What the rule paths hold, and why none of it could run. `skipped`: rules skipped by reason. */
export function noRulesMessage(rulePaths: string[], ruleFiles: number, skipped: Record<string, number>): string {
  const where = rulePaths.join(', ');
  const reasons = Object.entries(skipped).sort((a, b) => b[1] - a[1]).map(([r, n]) => `${r} ${n}`).join(', ');
  const why = ruleFiles === 0
    ? `no rule file (Sigma .yml, .yaml; Elastic .toml) in ${where}`
    : `${ruleFiles} rule file${ruleFiles === 1 ? '' : 's'} in ${where}, none usable${reasons ? ` (skipped: ${reasons}; see the lines above)` : ''}`;
  return `no rule loaded: ${why}`;
}
