/**
 * Issue 9 acceptance over the whole shared corpus, all three vendors: a rule the catalog marks
 * `parsed` has no unknown or constant node in its tree, no lost condition (Rule.losses), no
 * `extra.unlowered` entry, and (Splunk) no subsearch, which its tree cannot contain. Every rule with
 * a lost condition is `partial` with one rule_losses row per condition. Prints parsed/partial/failed
 * per vendor and the losses by reason.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { requireShared } from '../helpers/shared.js';
import { collectSources } from '../../src/catalog/sources.js';
import { parseOnWorkers } from '../../src/catalog/pool.js';
import type { ParsedFile } from '../../src/catalog/parse-file.js';
import type { Detection, Rule } from '../../src/model/index.js';
import { readString, skipBrackets } from '../../src/formats/spl/lexer.js';
import { splitStages } from '../../src/formats/spl/pipeline.js';
import { oddNodes as treeOddNodes } from '../../src/catalog/losses.js';

/** Unknown and constant nodes of a tree, as text. */
function oddNodes(d: Detection | undefined): string[] {
  return d ? treeOddNodes(d).map((n) => (n.kind === 'unknown' ? `unknown: ${n.text}` : `const ${n.value}`)) : [];
}

/** Subsearches of an SPL text: `[` outside strings and macro calls in any stage but foreach, and map's search="...". */
function splSubsearches(text: string): number {
  let n = 0;
  for (const { start, end } of splitStages(text)) {
    const stage = text.slice(start, end).trim();
    if (/^foreach\b/i.test(stage)) continue;
    if (/^map\b[^"]*\bsearch\s*=/i.test(stage)) n++;
    for (let i = 0; i < stage.length; i++) {
      if (stage[i] === '\\') i++;
      else if (stage[i] === '"') i = readString(stage, i, stage.length).end - 1;
      else if (stage[i] === '`') i = Math.max(i, stage.indexOf('`', i + 1));
      else if (stage[i] === '[') {
        n++;
        i = skipBrackets(stage, i, stage.length) - 1;
      }
    }
  }
  return n;
}

test('catalog status over the whole corpus: parsed means every condition is in the tree', async (t) => {
  const shared = requireShared(t, 'the whole-corpus status check');
  if (!shared) return;
  const c = join(shared, 'corpora');
  const sources = collectSources({
    sigma: [join(c, 'sigma', 'rules'), join(c, 'sigma', 'rules-emerging-threats'), join(c, 'sigma', 'rules-threat-hunting')],
    elastic: [join(c, 'elastic', 'rules'), join(c, 'elastic', 'rules_building_block')],
    splunk: [join(c, 'splunk')],
  });
  assert.deepEqual(sources.problems, []);
  const parsed: ParsedFile[] = [];
  await parseOnWorkers(sources.files, sources.splunkMacroDirs, 2, (p) => parsed.push(p));
  assert.equal(parsed.length, sources.files.length);

  const counts = new Map<string, { parsed: number; partial: number; failed: number }>();
  const lies: string[] = [];
  const unrecorded: string[] = [];
  const reasons = new Map<string, number>();
  for (const f of parsed) {
    const lossRows = new Map<string, number>();
    for (const l of f.rows.losses) {
      lossRows.set(l.rule_uid, (lossRows.get(l.rule_uid) ?? 0) + 1);
      reasons.set(`${l.vendor} ${l.reason}`, (reasons.get(`${l.vendor} ${l.reason}`) ?? 0) + 1);
    }
    for (const row of f.rows.rules) {
      const n = counts.get(row.vendor) ?? { parsed: 0, partial: 0, failed: 0 };
      n[row.parse_status]++;
      counts.set(row.vendor, n);
      if (row.model === null) continue;
      const rule = JSON.parse(row.model) as Rule;
      const unlowered = Array.isArray(rule.extra.unlowered) ? rule.extra.unlowered.length : 0;
      const query = typeof rule.extra.expanded_query === 'string' ? rule.extra.expanded_query : rule.query ?? '';
      const subsearches = rule.vendor === 'splunk' && rule.extra.query_parsed === true ? splSubsearches(query) : 0;
      const why = [
        ...oddNodes(rule.detection),
        ...(rule.losses ?? []).map((l) => `loss ${l.reason}: ${l.text.slice(0, 60)}`),
        ...(unlowered ? [`${unlowered} extra.unlowered`] : []),
        ...(subsearches ? [`${subsearches} subsearch(es)`] : []),
      ];
      const where = `${row.vendor} ${relative(c, row.path)}`;
      if (row.parse_status === 'parsed' && why.length > 0) lies.push(`${where}: parsed, but ${why.join('; ')}`);
      if ((rule.losses?.length ?? 0) > (lossRows.get(row.uid) ?? 0)) unrecorded.push(`${where}: ${rule.losses!.length} losses, ${lossRows.get(row.uid) ?? 0} rule_losses rows`);
      if (subsearches > 0 && !(rule.losses ?? []).some((l) => /subsearch/.test(l.reason))) unrecorded.push(`${where}: ${subsearches} subsearch(es), none named in its losses`);
    }
  }
  for (const [vendor, n] of counts) t.diagnostic(`${vendor}: ${n.parsed} parsed, ${n.partial} partial, ${n.failed} failed`);
  for (const [k, n] of [...reasons].sort((a, b) => b[1] - a[1])) t.diagnostic(`  lost conditions, ${k}: ${n}`);
  assert.deepEqual(lies.slice(0, 20), [], `${lies.length} rules marked parsed hold a condition their tree does not`);
  assert.deepEqual(unrecorded.slice(0, 20), [], `${unrecorded.length} rules with losses not all recorded`);
  assert.deepEqual([...counts.keys()].sort(), ['elastic', 'sigma', 'splunk']);
  // Elastic, measured with computed values, STATS and INLINE STATS in the model: 2163 of 2192 rules
  // parsed (98.7%; 2057 of the 2086 with a query, 98.6%; ES|QL 196 of 212), kept as a floor.
  const e = counts.get('elastic')!;
  assert.ok(e.parsed / (e.parsed + e.partial + e.failed) >= 0.986, `elastic: ${e.parsed} parsed, ${e.partial} partial, ${e.failed} failed`);
});
