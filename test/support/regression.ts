/** Reads the SigmaHQ regression data: per test, the rule that must fire, its count, and the files. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';

export interface RegressionCase {
  name: string;
  dir: string;
  ruleId: string;
  ruleTitle: string;
  matchCount?: number;
  json?: string;
  evtx?: string;
}

export function regressionCases(shared: string): RegressionCase[] {
  const root = join(shared, 'conformance', 'sigma-regression');
  const out: RegressionCase[] = [];
  const walk = (d: string): void => {
    for (const n of readdirSync(d).sort()) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (n === 'info.yml') {
        const info = parse(readFileSync(p, 'utf8')) as {
          rule_metadata: Array<{ id: string; title: string }>;
          regression_tests_info?: Array<{ path: string; match_count?: number; type: string }> | null;
        };
        // A case whose tests are commented out declares nothing to run.
        if (!Array.isArray(info.regression_tests_info)) continue;
        const dir = dirname(p);
        for (const t of info.regression_tests_info) {
          const evtx = join(root, t.path);
          const json = evtx.replace(/\.evtx$/, '.json');
          out.push({
            name: dir.slice(root.length + 1),
            dir,
            ruleId: info.rule_metadata[0].id,
            ruleTitle: info.rule_metadata[0].title,
            matchCount: t.match_count,
            json: existsSync(json) ? json : undefined,
            evtx: existsSync(evtx) ? evtx : undefined,
          });
        }
      }
    }
  };
  walk(root);
  return out;
}

export function sigmaRuleDirs(shared: string): string[] {
  return ['rules', 'rules-emerging-threats', 'rules-threat-hunting'].map((d) => join(shared, 'corpora', 'sigma', d));
}

/**
 * Two info.yml files give match_count 1 while their data holds more events that the current rule
 * selects: the rule lists gained entries after the counts were written. For these, the count we
 * must produce is the number of events the rule's own lists select, checked here independently of
 * the engine by a plain reading of the event fields.
 */
export const STALE_MATCH_COUNT: Record<string, { why: string; selects(data: Record<string, unknown>): boolean }> = {
  'c7dcacd0-cc59-4004-b0a4-1d6cdebe6f3e': {
    why: 'both events set \\AutoShareServer / \\AutoShareWks to DWORD 0, and the rule lists both',
    selects: (d) => /\\Services\\LanmanServer\\Parameters\\AutoShare(Wks|Server)$/i.test(String(d.TargetObject)) && d.Details === 'DWORD (0x00000000)',
  },
  '8fbf3271-1ef6-4e94-8210-03c2317947f6': {
    why: 'procdump.exe, procdump64.exe and procdump64a.exe are all in the rule\'s endswith list',
    selects: (d) => /\\(procdump|procdump64|procdump64a)\.exe$/i.test(String(d.TargetFilename)),
  },
};
