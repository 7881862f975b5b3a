import type { AttackDiff, DiffRef } from './diff.js';

const MAX_RULES_SHOWN = 10;

/** The text form of `attack diff`: counts first, then each change one line, then the rules to update. */
export function renderDiff(d: AttackDiff): string {
  const out: string[] = [`ATT&CK ${d.from} -> ${d.to}`, ''];
  const name = (r: DiffRef): string => `${r.id} ${r.name}`;
  const section = (title: string, lines: string[]): void => {
    if (lines.length === 0) return;
    out.push(`${title} (${lines.length})`, ...lines.map((l) => `  ${l}`), '');
  };
  for (const [label, c] of [['techniques', d.techniques], ['detection strategies', d.detection_strategies], ['analytics', d.analytics]] as const) {
    section(`${label} added`, c.added.map(name));
    section(`${label} removed`, c.removed.map(name));
    section(`${label} revoked`, c.revoked.map((r) => `${name(r)} -> ${r.replaced_by ? name(r.replaced_by) : '(no replacement)'}`));
    section(`${label} deprecated`, c.deprecated.map(name));
    if ('renamed' in c) {
      section(`${label} renamed`, c.renamed.map((r) => `${r.id} "${r.from_name}" -> "${r.name}"`));
      section(`${label} moved between tactics`, c.moved.map((r) => `${name(r)}: ${[...r.tactics_removed.map((x) => `-${x}`), ...r.tactics_added.map((x) => `+${x}`)].join(' ')}`));
    }
    if ('changed' in c) section(`${label} changed`, c.changed.map((r) => `${name(r)}: ${[...r.fields_changed, ...r.fields_added.map((f) => `+${f}`), ...r.fields_removed.map((f) => `-${f}`)].join(', ') || '(modified only)'}`));
  }
  section('catalog technique ids to update', d.rules.map((r) => {
    const sugg = r.suggested.length ? ` -> ${r.suggested.map((s) => `${s.id} (${s.why})`).join(', ')}` : '';
    const rules = r.rules.slice(0, MAX_RULES_SHOWN).map((x) => `${x.vendor}/${x.id}`).join(', ');
    const more = r.rules.length > MAX_RULES_SHOWN ? `, and ${r.rules.length - MAX_RULES_SHOWN} more` : '';
    return `${r.technique_id} ${r.status}${r.name ? ` (${r.name})` : ''}${sugg}: ${r.rules.length} rules: ${rules}${more}`;
  }));
  out.push('objects by STIX type: added, removed, revoked, deprecated');
  for (const [type, c] of Object.entries(d.objects)) out.push(`  ${type}: +${c.added} -${c.removed} revoked ${c.revoked} deprecated ${c.deprecated}`);
  out.push('', 'counts', ...Object.entries(d.counts).map(([k, v]) => `  ${k}: ${v}`));
  return out.join('\n') + '\n';
}
