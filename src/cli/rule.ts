import type { Command } from 'commander';
import { withCatalog } from './with-catalog.js';
import { findRules, type RuleDetail } from '../catalog/rule-detail.js';
import { textTable } from '../catalog/text-table.js';
import { CliError, EXIT_UNREADABLE } from './exit.js';

function renderRule(r: RuleDetail): string {
  const out: string[] = [];
  out.push(`${r.title}`);
  out.push(`id: ${r.id}   vendor: ${r.vendor}   type: ${r.type ?? '-'}   language: ${r.language ?? '-'}`);
  out.push(`path: ${r.path}`);
  out.push(`status: ${r.status ?? '-'}   level: ${r.level ?? '-'}   parse: ${r.parse_status}${r.parse_note ? ` (${r.parse_note})` : ''}`);
  const ls = [r.logsource.product, r.logsource.category, r.logsource.service].filter(Boolean).join(' / ');
  out.push(`logsource: ${ls || '-'}   events: ${r.events.join(', ') || '-'}`);
  out.push(`techniques: ${r.techniques.join(', ') || '-'}   tactics: ${r.tactics.join(', ') || '-'}`);
  if (r.description) out.push(`\n${r.description.trim()}`);
  if (r.sequence) {
    const s = r.sequence;
    const by = (k: string[]): string => (k.length ? ` by ${k.join(', ')}` : '');
    out.push(`\n${s.kind}${by(s.by)}${s.maxspan ? ` with maxspan=${s.maxspan}` : ''}: ${s.stages.length} stage${s.stages.length === 1 ? '' : 's'} (predicate path 0.<stage>)`);
    s.stages.forEach((st, i) => out.push(`  ${i}: ${st.missing ? '![' : '['}${st.category}${st.missing ? ']' : ']'}${by(st.by)}${st.runs > 1 ? ` with runs=${st.runs}` : ''}`));
    if (s.until) out.push(`  ${s.stages.length}: until [${s.until.category}]${by(s.until.by)}`);
  }
  if (r.predicates.length > 0) {
    out.push(`\nPredicates (${r.predicates.length})`);
    out.push(textTable(['Path', 'Field', 'Op', 'Value', 'As authored', 'Flags'], r.predicates.map((p) => [
      p.path, p.field ?? '(keyword)', p.op, p.value ?? '',
      p.vendor_field !== p.field || p.authored_op !== p.op || p.authored_value !== p.value ? `${p.vendor_field ?? ''} ${p.authored_op} ${p.authored_value ?? ''}` : '',
      [p.exclusion ? 'exclusion' : '', p.negated ? 'negated' : '', p.cased ? 'cased' : ''].filter(Boolean).join(' '),
    ]), 50));
  }
  if (r.losses.length > 0) {
    out.push(`\nConditions not in the predicates (${r.losses.length}): the rule is ${r.parse_status}`);
    for (const l of r.losses) {
      const text = l.text.length > 200 ? `${l.text.slice(0, 200)}...` : l.text;
      out.push(`- ${l.reason}${l.offset !== null ? ` at ${l.offset}` : ''}: ${text}${l.detail ? `\n  ${l.detail}` : ''}`);
    }
  }
  if (r.query) out.push(`\nQuery\n${r.query.trim()}`);
  for (const p of r.problems) out.push(`problem${p.line !== null ? ` at ${p.line}:${p.column ?? 0}` : ''}: ${p.reason}: ${p.message}`);
  return out.join('\n');
}

async function rule(key: string, o: { db?: string; json?: boolean }): Promise<void> {
  await withCatalog(o.db, async (db) => {
    const found = await findRules(db, key);
    if (found.length === 0) throw new CliError(`rule: no rule with id or path "${key}" in the catalog`, EXIT_UNREADABLE);
    process.stdout.write(o.json ? `${JSON.stringify({ rules: found }, null, 2)}\n` : `${found.map(renderRule).join('\n\n')}\n`);
  });
}

export function registerRule(program: Command): void {
  program.command('rule')
    .description('one rule of the catalog: metadata, techniques, predicates with canonical and authored fields')
    .argument('<id-or-path>', 'rule id, catalog uid or file path')
    .option('--db <file>', 'catalog database (default: DETECTORY_DB or ./detectory.duckdb)')
    .option('--json', 'print JSON')
    .action(rule);
}
