/**
 * SigmaHQ regression data: every case's events, scanned with the WHOLE SigmaHQ rule set (rules,
 * rules-emerging-threats, rules-threat-hunting) through one compiled matcher, must raise the rule
 * info.yml names, as many times as match_count says. Run from the .json files and from the .evtx
 * files (our own EVTX reader).
 */
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadRules } from '../../src/engine/rules.js';
import { Matcher } from '../../src/engine/matcher.js';
import { readEventFile } from '../../src/events/read.js';
import { flattenEvent } from '../../src/events/normalize.js';
import { type EventRecord, NOTICE_REASONS } from '../../src/events/types.js';
import { sharedDir } from '../helpers/shared.js';
import { type RegressionCase, regressionCases, sigmaRuleDirs, STALE_MATCH_COUNT } from '../support/regression.js';

const shared = sharedDir();
const cases = shared ? regressionCases(shared) : [];
let matcher: Matcher;

async function readAll(file: string): Promise<{ events: EventRecord[]; problems: string[] }> {
  const events: EventRecord[] = [];
  const problems: string[] = [];
  // Notices (deleted records left in chunk slack, not read) are no read problem.
  for await (const batch of readEventFile(file, (p) => (NOTICE_REASONS.has(p.reason) ? undefined : problems.push(`${p.reason}: ${p.message}`)))) events.push(...batch);
  return { events, problems };
}

async function check(c: RegressionCase, file: string): Promise<void> {
  const { events, problems } = await readAll(file);
  assert.deepEqual(problems, [], 'the file reads without problems');
  assert.ok(events.length > 0, 'the file holds events');
  let n = 0;
  for (const e of events) for (const m of matcher.match(flattenEvent(e))) if (m.rule.id === c.ruleId) n++;
  const stale = STALE_MATCH_COUNT[c.ruleId];
  if (stale) {
    const expected = events.filter((e) => stale.selects((e.event.EventData ?? {}) as Record<string, unknown>)).length;
    assert.ok(expected > (c.matchCount ?? 0), `pinned case is still stale (${stale.why})`);
    assert.equal(n, expected, `${c.ruleTitle}: ${stale.why}`);
    return;
  }
  if (c.matchCount !== undefined) assert.equal(n, c.matchCount, `${c.ruleTitle} (${c.ruleId}) fired ${n} times`);
  else assert.ok(n > 0, `${c.ruleTitle} (${c.ruleId}) did not fire`);
}

describe('Sigma regression data', { skip: shared ? false : 'DETECTORY_SHARED is not set: the regression data is in ../shared' }, () => {
  before(() => {
    const rules = loadRules(sigmaRuleDirs(shared!));
    matcher = new Matcher(rules.detections);
    assert.ok(matcher.loaded.length > 2500, `loaded ${matcher.loaded.length} rules`);
  });

  test('the data has cases', () => assert.ok(cases.length >= 140, `${cases.length} cases`));

  describe('from .json', () => {
    for (const c of cases) {
      test(c.name, { skip: c.json ? false : 'no .json file for this case' }, () => check(c, c.json!));
    }
  });

  describe('from .evtx', () => {
    for (const c of cases) {
      test(c.name, { skip: c.evtx ? false : 'no .evtx file for this case' }, () => check(c, c.evtx!));
    }
  });
});
