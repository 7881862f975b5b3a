/** `detectory convert RULE_OR_DIR... --to duckdb|clickhouse|sigma|eql|kql|spl [--out DIR] [--json]` */
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Command } from 'commander';
import { formatProblem } from '../model/index.js';
import { convertRule, TARGET_EXTENSION, TARGETS, type Target } from '../convert/targets.js';
import { readAnyRules } from '../convert/read-rules.js';
import { CliError, EXIT_OK, EXIT_UNREADABLE, EXIT_USAGE } from './exit.js';
import { safeLine } from '../util/safe-text.js';

export function registerConvert(program: Command): void {
  program
    .command('convert')
    .description('convert Sigma, Elastic or Splunk rules to another language, with a report per rule')
    .argument('<paths...>', 'rule files or folders')
    .requiredOption('--to <target>', `target: ${TARGETS.join('|')}`)
    .option('--out <dir>', 'write one file per converted rule into this folder (default: print them)')
    .option('--json', 'print the per-rule report as JSON lines on standard error')
    .action((paths: string[], o: { to: string; out?: string; json?: boolean }) => {
      if (!(TARGETS as readonly string[]).includes(o.to)) throw new CliError(`unknown target '${o.to}' (one of ${TARGETS.join(', ')})`, EXIT_USAGE);
      const target = o.to as Target;
      const { rules, problems } = readAnyRules(paths);
      let unreadable = 0;
      for (const p of problems) {
        if (p.reason === 'unreadable') unreadable++;
        process.stderr.write(formatProblem(p) + '\n');
      }
      if (o.out) mkdirSync(o.out, { recursive: true });
      const counts: Record<string, number> = { converted: 0, partial: 0, 'not-convertible': 0 };
      for (const rule of rules) {
        const c = convertRule(rule, target, { rules });
        counts[c.status]++;
        const report = { rule: rule.id, title: rule.title, file: rule.path, vendor: rule.vendor, target, status: c.status, reasons: c.reasons };
        if (o.json) process.stderr.write(JSON.stringify(report) + '\n');
        else process.stderr.write(safeLine(`${rule.path}: ${c.status}${c.reasons.length ? ': ' + c.reasons.join('; ') : ''}`) + '\n');
        if (!('text' in c)) continue;
        if (o.out) writeFileSync(join(o.out, `${safeName(rule.id || basename(rule.path))}.${TARGET_EXTENSION[target]}`), c.text + '\n');
        else process.stdout.write(`-- ${safeLine(rule.title)} (${rule.id})\n${c.text}\n\n`);
      }
      process.stderr.write(`converted ${counts.converted}, partial ${counts.partial}, not convertible ${counts['not-convertible']}\n`);
      process.exitCode = unreadable > 0 ? EXIT_UNREADABLE : EXIT_OK;
    });
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 120);
}
