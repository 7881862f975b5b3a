/**
 * The literals a detection cannot match without (the hunt's per-group filter), and the regexes
 * printed by lengths. A filter that demanded a literal a match lacks would drop alerts: each case
 * also runs through the store (ingest, grouped SQL) and the engine, which must agree.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { necessaryLiterals } from '../../../src/backends/duckdb/prefilter.js';
import { SIGMA_FIELDS } from '../../../src/backends/duckdb/print.js';
import { and, not, or, pred, type Detection } from '../../../src/model/index.js';
import { procRule, rule, sysmon1 } from '../../helpers/sigma.js';
import { bothWays } from '../../helpers/store.js';

const noLists = (): boolean => false;
const lits = (d: Detection, isList = noLists): string[] | null =>
  necessaryLiterals(d, SIGMA_FIELDS, isList)?.map((a) => `${a.column}:${a.literal}`).sort() ?? null;

describe('necessary literals of a detection', () => {
  test('a literal test needs its values, folded, on the lower-cased column', () => {
    assert.deepEqual(lits(pred('Image', 'ends_with', ['\\Rundll32.EXE'])), ['"l_Image":\\rundll32.exe']);
    assert.deepEqual(lits(pred('CommandLine', 'contains', ['-Enc ', 'Bypass'])), ['"l_CommandLine":-enc ', '"l_CommandLine":bypass']);
    // A promoted field without a lower-cased column is lowered in the filter.
    assert.deepEqual(lits(pred('FileVersion', 'eq', ['1.2.3'])), ['lower("f_FileVersion"):1.2.3']);
  });
  test('and keeps one side, or needs every side', () => {
    const a = pred('Image', 'ends_with', ['\\x.exe']);
    const b = pred('CommandLine', 'contains', ['something-long']);
    assert.equal(lits(and([a, b]))?.length, 1);
    assert.deepEqual(lits(or([a, b])), ['"l_CommandLine":something-long', '"l_Image":\\x.exe']);
    // One side of an or without literals: the or has none.
    assert.equal(lits(or([a, pred('Image', 'exists', [true])])), null);
    // An and keeps the side that has some.
    assert.deepEqual(lits(and([not(b), a])), ['"l_Image":\\x.exe']);
  });
  test('no literal where the value may be elsewhere or the test is no substring', () => {
    assert.equal(lits(not(pred('Image', 'ends_with', ['\\x.exe']))), null);
    assert.equal(lits(pred('Image', 'ends_with', ['\\x.exe']), () => true), null, 'a field with several values is read from lists too');
    assert.equal(lits(pred('NotPromotedField', 'eq', ['abcdef'])), null, 'a field only in the map');
    assert.equal(lits(pred('Image', 'contains', ['ab'])), null, 'too short to filter');
    assert.equal(lits(pred('Image', 'contains', ['Äbcd'])), null, 'not plain ASCII');
    assert.equal(lits(pred('Image', 'eq', [null])), null);
    assert.equal(lits(pred('Image', 'eq', [''])), null);
    assert.equal(lits(pred('DestinationPort', 'gt', [1024])), null);
    assert.equal(lits(pred('Image', 'eq', ['Image2'], { fieldref: true })), null);
    assert.equal(lits(pred('CommandLine', 'regex_match', ['^.{5,}$'])), null, 'a regex without literal');
  });
  test('regexes and globs need their required pieces', () => {
    assert.deepEqual(lits(pred('CommandLine', 'regex_match', ['-k\\s\\w+ netsvcs'])), ['"l_CommandLine": netsvcs']);
    assert.deepEqual(lits(pred('CommandLine', 'wildcard', ['*\\\\AppData\\\\*.DLL*'])), ['"l_CommandLine":\\appdata\\']);
    assert.deepEqual(lits({ kind: 'const', value: false }), []);
    assert.equal(lits({ kind: 'const', value: true }), null);
  });
});

describe('filtered groups agree with the engine', () => {
  const LONG = 'B'.repeat(1200);
  const VALUES = ['powershell -enc AAAA', 'POWERSHELL.EXE -ENC bbbb', 'cmd /c whoami', `x${LONG}`, `${'C'.repeat(600)}\n${'D'.repeat(600)}`, 'rundll32 a.dll,Start'];
  const EVENTS = VALUES.map((v, i) => sysmon1({ CommandLine: v, Image: i % 2 ? 'C:\\Windows\\powershell.exe' : 'C:\\Windows\\cmd.exe' }, { EventRecordID: i + 1 }));
  const ids = (...values: string[]): string[] => values.map((v) => `11111111-1111-1111-1111-111111111111#${VALUES.indexOf(v) + 1}`).sort();
  async function expectHits(detection: string, expected: string[]): Promise<void> {
    const v = await bothWays([rule(procRule(detection))], EVENTS);
    assert.deepEqual(v.skipped, []);
    assert.deepEqual([...v.engine].sort(), expected, 'engine');
    assert.deepEqual([...v.sql].sort(), expected, 'sql');
  }
  test('case-insensitive literals pass the lower-case filter', async () => {
    await expectHits(`  sel:\n    CommandLine|contains: ' -Enc '\n  condition: sel`, ids('powershell -enc AAAA', 'POWERSHELL.EXE -ENC bbbb'));
    await expectHits(`  sel:\n    CommandLine|cased: 'POWERSHELL'\n  condition: sel`, []);
    await expectHits(`  sel:\n    CommandLine|contains|cased: 'POWERSHELL'\n  condition: sel`, ids('POWERSHELL.EXE -ENC bbbb'));
    await expectHits(`  sel:\n    CommandLine|re: 'RUNDLL32\\s'\n  condition: sel`, []);
    await expectHits(`  sel:\n    CommandLine|re|i: 'RUNDLL32\\s'\n  condition: sel`, ids('rundll32 a.dll,Start'));
  });
  test('a counted repetition of any character is read by lengths, lines included', async () => {
    await expectHits(`  sel:\n    CommandLine|re: '.{1000,}'\n  condition: sel`, ids(`x${LONG}`));
    await expectHits(`  sel:\n    CommandLine|re: '.{700}'\n  condition: sel`, ids(`x${LONG}`));
    await expectHits(`  sel:\n    CommandLine|re|s: '.{1000,}'\n  condition: sel`, ids(`x${LONG}`, `${'C'.repeat(600)}\n${'D'.repeat(600)}`));
    await expectHits(`  sel:\n    CommandLine|re: '^.{5,30}$'\n  condition: sel`, ids('powershell -enc AAAA', 'POWERSHELL.EXE -ENC bbbb', 'cmd /c whoami', 'rundll32 a.dll,Start'));
  });
});
