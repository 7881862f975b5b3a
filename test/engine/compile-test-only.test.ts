/**
 * A variant restored from a plan is compiled for its test only (compile.ts CompileState.testOnly):
 * the literals its regexes and globs require are not derived again (the plan holds its triggers),
 * and the test decides exactly as the fully compiled one.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { and, type Detection, not, or, pred, type Rule } from '../../src/model/index.js';
import { compileDetection } from '../../src/engine/compile.js';
import { LiteralTable } from '../../src/engine/literals.js';
import { Matcher } from '../../src/engine/matcher.js';
import type { FlatEvent } from '../../src/events/normalize.js';

function rule(id: string, detection: Detection): Rule {
  return {
    id, title: id, vendor: 'sigma', path: `${id}.yml`, references: [], falsePositives: [], tags: [], techniques: [], tactics: [],
    logsource: { product: 'windows' }, type: 'x', language: 'x', fields: [], extra: {}, detection,
  };
}

function event(image: string, cmd: string): FlatEvent {
  const f = Object.create(null) as Record<string, string>;
  f.Image = image;
  f.CommandLine = cmd;
  return { fields: f, keys: ['Image', 'CommandLine'], channel: 'Test', eventId: 1, computer: null, record: { file: 'e.json', event: {} } };
}

const RULES: Rule[] = [
  rule('regex', pred('CommandLine', 'regex_match', ['-enc(oded)?\\s+[a-z0-9+/]{8}'])),
  rule('glob', pred('Image', 'wildcard', ['*\\power*shell.exe'])),
  rule('and', and([pred('Image', 'ends_with', ['\\cmd.exe']), pred('CommandLine', 'regex_match', ['/c\\s+whoami'])])),
  rule('or-not', or([pred('CommandLine', 'contains', ['mimikatz']), and([pred('Image', 'wildcard', ['*\\rundll32.exe']), not(pred('CommandLine', 'contains', ['.dll']))])])),
];

const EVENTS: FlatEvent[] = [
  event('C:\\Windows\\powershell.exe', 'powershell -encoded abcdefgh12'),
  event('C:\\x\\powerXshell.exe', 'x'),
  event('C:\\Windows\\System32\\cmd.exe', 'cmd /c  whoami'),
  event('C:\\Windows\\System32\\cmd.exe', 'cmd /c dir'),
  event('C:\\Windows\\System32\\rundll32.exe', 'rundll32 foo,bar'),
  event('C:\\Windows\\System32\\rundll32.exe', 'rundll32 foo.dll,bar'),
  event('C:\\tools\\m.exe', 'MimiKatz.exe'),
];

test('test-only compiling derives no triggers for regexes, globs and their combinations', () => {
  const literals = new LiteralTable();
  for (const r of RULES) {
    const full = compileDetection(r.detection!, { literals, scanFields: new Set() });
    const quick = compileDetection(r.detection!, { literals, scanFields: new Set(), testOnly: true });
    assert.notEqual(full.triggers, null, `${r.id}: the full compile keys the rule on literals`);
    assert.equal(quick.triggers, null, `${r.id}: the test-only compile does not`);
  }
});

test('a matcher restored from its plan (tests compiled test-only) matches as the compiled one', () => {
  const compiled = new Matcher(RULES);
  assert.equal(compiled.skipped.length, 0);
  const restored = Matcher.fromPlan(RULES, compiled.toPlan());
  for (const ev of EVENTS) {
    const want = compiled.match(ev).map((v) => v.rule.id);
    assert.deepEqual(restored.match(ev).map((v) => v.rule.id), want, ev.fields.CommandLine as string);
  }
  assert.deepEqual(EVENTS.map((ev) => compiled.match(ev).map((v) => v.rule.id).join(',')), ['regex,glob', 'glob', 'and', '', 'or-not', '', 'or-not']);
});
