/**
 * The stream engine: what `scan` runs, in this process: Sigma rules compiled into one matcher,
 * Elastic rules in the Elastic runner, correlations over the matches, the files read one by one.
 */
import { formatProblem } from '../../model/index.js';
import type { RuleSet } from '../../engine/rules.js';
import { Matcher } from '../../engine/matcher.js';
import { matchContext, scanFile } from '../../engine/file-scan.js';
import { ElasticRunner } from '../../engine/elastic/runner.js';
import { type Hit, runCorrelations } from '../../engine/correlation.js';
import type { Alert } from '../../engine/alert.js';
import { NOTICE_REASONS } from '../../events/types.js';
import { addFileProblem, emptyRun, type EngineAdapter, type EngineRun } from './types.js';

export function streamEngine(): EngineAdapter {
  return { name: 'stream', run: runStream };
}

async function runStream(rules: RuleSet, files: string[]): Promise<EngineRun> {
  const run = emptyRun();
  const onAlert = (a: Alert): void => {
    run.hits.push({ ruleId: a.rule.id, file: a.event.file, record_id: a.event.record_id, timestamp: a.event.timestamp, event_id: a.event.event_id });
  };
  const matcher = new Matcher(rules.detections);
  for (const s of matcher.skipped) run.skipped.set(s.rule.id, `${s.reason}: ${s.message}`);
  const ctx = matchContext(matcher, rules.correlations);
  if (rules.elastic.length) {
    const elastic = new ElasticRunner(rules.elastic, onAlert, (p) => run.notes.push(formatProblem(p)));
    for (const s of elastic.skipped) run.skipped.set(s.rule.id, `${s.reason}: ${s.message}`);
    ctx.elastic = elastic;
  }
  const hits: Hit[] = [];
  for (const file of files) {
    const r = await scanFile(file, ctx, onAlert, (p) => {
      if (!NOTICE_REASONS.has(p.reason)) addFileProblem(run, file, formatProblem({ file: p.file, where: p.where, reason: p.reason, message: p.message }));
    });
    run.events.set(file, r.events);
    hits.push(...r.hits);
  }
  ctx.elastic?.finish();
  const corr = runCorrelations(rules.correlations, hits);
  for (const p of corr.problems) run.notes.push(formatProblem(p));
  for (const a of corr.alerts) onAlert(a);
  return run;
}
