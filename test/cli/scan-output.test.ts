/**
 * `scan --out` and standard output: an output that is an input is refused, a file is replaced only
 * at the end of a successful run, and every output failure is one line with the contract's exit code.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, closeSync, copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { cli, EXAMPLES } from '../helpers/cli.js';
import { tempDir, testTempDir } from '../helpers/temp-dir.js';

const events = join(EXAMPLES, 'events');
const sample = join(events, 'workstation.jsonl');

function oneLine(r: { stderr: string }, re: RegExp): void {
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0], re);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
}

function copyOfEvents(): { dir: string; file: string; bytes: Buffer } {
  const dir = tempDir('detectory-out-');
  const file = join(dir, 'evidence.jsonl');
  copyFileSync(sample, file);
  return { dir, file, bytes: readFileSync(file) };
}

test('an --out that is one of the inputs is refused with exit 2, the input untouched: by name, through a folder, a link or a hard link', () => {
  const { dir, file, bytes } = copyOfEvents();
  symlinkSync(file, join(dir, 'link.out'));
  linkSync(file, join(dir, 'hard.out'));
  const cases: Array<[string[], string]> = [
    [[file, '--out', file], file],
    [[dir, '--out', file], file],
    [[dir, '--out', join(dir, 'link.out')], join(dir, 'link.out')],
    [[file, '--out', join(dir, 'hard.out')], join(dir, 'hard.out')],
  ];
  for (const [args, out] of cases) {
    const r = cli(['scan', ...args, '--format', 'jsonl']);
    assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
    oneLine(r, new RegExp(`--out ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is the input file .*evidence\\.jsonl: it would be overwritten`));
    assert.deepEqual(readFileSync(file), bytes, 'the evidence is intact');
  }
  const rules = cli(['scan', events, '--rules', join(EXAMPLES, 'rules'), '--out', join(EXAMPLES, 'rules', readdirSync(join(EXAMPLES, 'rules'))[0])]);
  assert.equal(rules.status, 2, 'a rule file is an input too');
});

test('standard output appended to an input file is refused too', () => {
  const { file, bytes } = copyOfEvents();
  const fd = openSync(file, 'a');
  const r = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'detectory.js'), 'scan', file, '--format', 'jsonl'], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
  closeSync(fd);
  assert.equal(r.status, 2);
  oneLine(r, /standard output is redirected to the input file .*evidence\.jsonl/);
  assert.deepEqual(readFileSync(file), bytes);
});

test('--out replaces the file only when the run succeeds, through a temporary file that does not stay', (t) => {
  const dir = testTempDir(t, 'detectory-out-');
  const out = join(dir, 'alerts.jsonl');
  writeFileSync(out, 'old content\n');
  const r = cli(['scan', events, '--format', 'jsonl', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 6);
  assert.deepEqual(readdirSync(dir), ['alerts.jsonl'], 'no temporary file left');
  // The replacement keeps the file's permissions; a link to the file stays a link, the file it names is written.
  chmodSync(out, 0o600);
  symlinkSync(out, join(dir, 'latest.jsonl'));
  assert.equal(cli(['scan', events, '--format', 'jsonl', '--out', join(dir, 'latest.jsonl'), '--min-level', 'critical']).status, 0);
  assert.equal(statSync(out).mode & 0o777, 0o600);
  assert.ok(lstatSync(join(dir, 'latest.jsonl')).isSymbolicLink());
  assert.equal(readFileSync(out, 'utf8'), '', 'no critical alert in the examples');
});

test('--out to a folder, under a missing folder, or where nothing can be created: one line, exit 2, nothing scanned', (t) => {
  const dir = testTempDir(t, 'detectory-out-');
  const cases: Array<[string, RegExp]> = [
    [dir, /is a folder/],
    [join(dir, 'missing', 'a.jsonl'), /the folder .*missing does not exist/],
    [join(sample, 'a.jsonl'), /.*workstation\.jsonl is not a folder/],
    ['/proc/detectory-test.jsonl', /cannot write: /],
  ];
  for (const [out, re] of cases) {
    const r = cli(['scan', events, '--out', out]);
    assert.equal(r.status, 2, `${out}: ${r.stderr}`);
    oneLine(r, new RegExp(`^detectory: --out .*: ${re.source}`));
  }
  // A read-only file (root writes anyway: checked for other users only).
  if (process.getuid?.() !== 0) {
    const ro = join(dir, 'ro.jsonl');
    writeFileSync(ro, 'keep\n');
    chmodSync(ro, 0o444);
    const r = cli(['scan', events, '--out', ro]);
    assert.equal(r.status, 2);
    assert.equal(readFileSync(ro, 'utf8'), 'keep\n');
    const locked = join(dir, 'locked');
    mkdirSync(locked, 0o555);
    assert.equal(cli(['scan', events, '--out', join(locked, 'a.jsonl')]).status, 2);
  }
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('.')), []);
});

test('a full disk, for --out and for standard output: one line, exit 3, no stack trace', { skip: !existsSync('/dev/full') && 'no /dev/full here' }, () => {
  const r = cli(['scan', events, '--format', 'jsonl', '--out', '/dev/full', '--json']);
  assert.equal(r.status, 3, r.stderr);
  const lines = r.stderr.trim().split('\n');
  assert.equal(lines.length, 2, 'the summary, then the failure');
  assert.match(lines[1], /^detectory: --out \/dev\/full: cannot write: no space left on the device$/);
  for (const verb of [['scan', events, '--format', 'jsonl'], ['events', events]]) {
    const fd = openSync('/dev/full', 'w');
    const s = spawnSync(process.execPath, [join(PACKAGE_ROOT, 'bin', 'detectory.js'), ...verb], { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8' });
    closeSync(fd);
    assert.equal(s.status, 3, `${verb[0]}: ${s.stderr}`);
    oneLine(s, /^detectory: cannot write to standard output: no space left on the device$/);
  }
});

test('scan with no rule loaded says why and exits 2: an empty folder, only a broken Elastic .toml file, only broken rules', () => {
  const dir = tempDir('detectory-norules-');
  const empty = join(dir, 'empty');
  const toml = join(dir, 'toml');
  const broken = join(dir, 'broken');
  for (const d of [empty, toml, broken]) mkdirSync(d);
  writeFileSync(join(toml, 'a.toml'), '[rule]\nname = "x"\n');
  writeFileSync(join(broken, 'a.yml'), 'title: x\ndetection: [unclosed\n');
  const e = cli(['scan', events, '--rules', empty]);
  assert.equal(e.status, 2);
  oneLine(e, /^detectory: no rule loaded: no rule file \(Sigma \.yml, \.yaml; Elastic \.toml\) in .*empty$/);
  const t = cli(['scan', events, '--rules', toml]);
  assert.equal(t.status, 2);
  assert.match(t.stderr.trim().split('\n').pop()!, /^detectory: no rule loaded: 1 rule file in .*toml, none usable/);
  const kept = join(dir, 'alerts.jsonl');
  writeFileSync(kept, 'the alerts of an earlier run\n');
  const b = cli(['scan', events, '--rules', broken, '--json', '--out', kept]);
  assert.equal(b.status, 2, b.stderr);
  assert.equal(readFileSync(kept, 'utf8'), 'the alerts of an earlier run\n', 'a run that could not run a rule leaves --out as it was');
  assert.match(b.stderr.trim().split('\n').pop()!, /^detectory: no rule loaded: 1 rule file in .*broken, none usable \(skipped: yaml 1; see the lines above\)$/);
});
