import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileRows } from '../../src/catalog/rows.js';
import { parseElasticFile } from '../../src/formats/elastic/index.js';
import type { Predicate, Rule } from '../../src/model/index.js';
import { pred, walkPredicates } from '../../src/model/index.js';
import { canonicalize, pathSeparator, separatorVariants } from '../../src/taxonomy/index.js';
import { treeFires } from '../helpers/engine.js';
import { requireShared } from '../helpers/shared.js';

function corpusRule(shared: string, path: string): Rule {
  const { rules, problems } = parseElasticFile(join(shared, 'corpora', 'elastic', path));
  assert.deepEqual(problems, []);
  return canonicalize(rules[0]);
}

function imagePredicates(r: Rule): Predicate[] {
  const out: Predicate[] = [];
  walkPredicates(r.detection!, (p) => {
    if (p.field === 'Image') out.push(p);
  });
  return out;
}

test('a Linux rule without OS tags (chmod) matches /usr/bin/chmod in the engine', (t) => {
  const shared = requireShared(t, 'the separator test');
  if (!shared) return;
  // Lucene, no OS tag, no host.os.type: the separator used to be `\` (so `\chmod`).
  const r = corpusRule(shared, 'rules/_deprecated/privilege_escalation_setgid_bit_set_via_chmod.toml');
  assert.equal(pathSeparator(r), 'any');
  const [image] = imagePredicates(r);
  assert.deepEqual([image.op, image.values, image.flags], ['ends_with', ['\\chmod'], { cased: true, anySeparator: true }]);
  const event = { 'event.category': 'process', 'event.type': 'start', 'process.args': ['chmod', 'g+s', '/tmp/x'], User: 'alice' };
  assert.equal(treeFires(r.detection!, { ...event, Image: '/usr/bin/chmod' }), true);
  assert.equal(treeFires(r.detection!, { ...event, Image: '/usr/bin/chmodx' }), false);
  assert.equal(treeFires(r.detection!, { ...event, Image: '/usr/bin/chmod', User: 'root' }), false);
  // process.args:/2[0-9]{3}/ matches a whole argument: 2755 yes, 12755 no.
  assert.equal(treeFires(r.detection!, { ...event, Image: '/usr/bin/chmod', 'process.args': ['chmod', '2755', 'f'] }), true);
  assert.equal(treeFires(r.detection!, { ...event, Image: '/usr/bin/chmod', 'process.args': ['chmod', '12755', 'f'] }), false);
});

test('a cross-platform rule (Windows, Linux, macOS) matches the basename after either separator', (t) => {
  const shared = requireShared(t, 'the separator test');
  if (!shared) return;
  const r = corpusRule(shared, 'rules/cross-platform/command_and_control_tunneling_via_tailscaled.toml');
  assert.equal(pathSeparator(r), 'any');
  const [image] = imagePredicates(r);
  assert.deepEqual([image.values, image.flags.anySeparator], [['\\tailscaled', '\\tailscaled.exe'], true]);
  const event = { 'event.category': 'process', 'event.type': 'start', 'process.args': ['tailscaled', '--socks5-server=localhost:1055'] };
  assert.equal(treeFires(r.detection!, { ...event, Image: 'C:\\Program Files\\Tailscale\\tailscaled.exe' }), true);
  assert.equal(treeFires(r.detection!, { ...event, Image: '/usr/sbin/tailscaled' }), true);
  assert.equal(treeFires(r.detection!, { ...event, Image: '/usr/sbin/xtailscaled' }), false);
  // One catalog row per authored value, as before: the flag does not double the indicators.
  const rows = fileRows('elastic', 'f.toml', [r], []).predicates.filter((p) => p.field === 'Image');
  assert.deepEqual(rows.map((p) => [p.value, p.authored_value, p.op, p.authored_op, JSON.parse(p.flags ?? '{}').anySeparator]), [
    ['\\tailscaled', 'tailscaled', 'ends_with', 'eq', true],
    ['\\tailscaled.exe', 'tailscaled.exe', 'ends_with', 'eq', true],
  ]);
});

test('the platform fixes the separator: Windows only, Linux/macOS only, both, none', () => {
  const base: Rule = { id: 'r', title: 't', vendor: 'elastic', path: 'p', references: [], falsePositives: [], tags: [], techniques: [], tactics: [], logsource: {}, type: 'x', language: 'x', fields: [], extra: {} };
  assert.equal(pathSeparator({ ...base, tags: ['OS: Windows'] }), '\\');
  assert.equal(pathSeparator({ ...base, tags: ['OS: Linux', 'OS: macOS'] }), '/');
  assert.equal(pathSeparator({ ...base, tags: ['OS: Linux', 'OS: Windows'] }), 'any');
  assert.equal(pathSeparator(base), 'any');
  assert.equal(pathSeparator({ ...base, detection: pred('host.os.type', 'eq', ['macos']) }), '/');
  const lin = canonicalize({ ...base, tags: ['OS: Linux'], detection: pred('process.name', 'eq', ['bash']) }).detection as Predicate;
  assert.deepEqual([lin.values, lin.flags], [['/bash'], {}]);
  const win = canonicalize({ ...base, tags: ['OS: Windows'], detection: pred('file.directory', 'eq', ['C:\\Temp']) }).detection as Predicate;
  assert.deepEqual([win.op, win.values, win.flags], ['starts_with', ['C:\\Temp\\'], {}]);
});

test('separator variants of glob values keep escaped wildcards', () => {
  assert.deepEqual(separatorVariants('*\\\\x\\*y', 'wildcard'), ['*\\\\x\\*y', '*/x\\*y']);
  assert.deepEqual(separatorVariants('\\a/b', 'ends_with'), ['\\a\\b', '/a/b']);
});
