import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Detection, Problem, Rule, Vendor } from '../../src/model/index.js';
import type { ParseResult, Parsers } from '../../src/catalog/parsers.js';
import { openDb, type Db } from '../../src/store/db.js';
import { tempDir as fileTempDir } from '../helpers/temp-dir.js';
import { readFileSync } from 'node:fs';

/**
 * Test parsers: a rule file holds JSON (valid YAML; TOML files hold it after a `#` line) with a list
 * of partial rules. Bad JSON is a problem with a line number, like the real parsers report.
 */
function parseFake(vendor: Vendor, path: string): ParseResult {
  const text = readFileSync(path, 'utf8').replace(/^#.*\n/, '');
  let docs: Array<Partial<Rule>>;
  try {
    docs = JSON.parse(text) as Array<Partial<Rule>>;
  } catch (e) {
    const problems: Problem[] = [{ file: path, line: 1, column: 1, reason: 'malformed-json', message: (e as Error).message }];
    return { rules: [], problems };
  }
  const rules = docs.map((d, i): Rule => ({
    id: `${vendor}-${i}`, title: 'untitled', vendor, path, references: [], falsePositives: [], tags: [], techniques: [], tactics: [],
    logsource: {}, type: 'detection', language: vendor, fields: [], extra: {}, ...d,
  }));
  const problems: Problem[] = rules.filter((r) => r.type === 'unknown').map((r) => ({ file: path, line: 2, column: 3, reason: 'unknown-rule-type', message: `rule ${r.id}` }));
  return { rules, problems };
}

export const FAKE_PARSERS: Parsers = {
  sigma: (p) => parseFake('sigma', p),
  elastic: (p) => parseFake('elastic', p),
  loadSplunkMacros: () => ({ macros: new Map(), problems: [] }),
  splunk: (p) => parseFake('splunk', p),
  missing: {},
};

/** A fresh folder for the test file, removed when it ends (tests that remove it sooner may). */
export function tempDir(): string {
  return fileTempDir('detectory-catalog-');
}

/** Runs `f` on a new catalog database in a temporary folder, removed afterwards. */
export async function withDb(f: (db: Db, dir: string) => Promise<void>): Promise<void> {
  const dir = tempDir();
  const db = await openDb(join(dir, 'c.duckdb'));
  try {
    await f(db, dir);
  } finally {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export function write(path: string, content: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content, null, 1));
}

const p = (field: string, op: string, values: unknown[], flags: Record<string, unknown> = {}): Detection =>
  ({ kind: 'pred', field, authoredField: field, op, values, flags }) as Detection;
export const and = (...children: Detection[]): Detection => ({ kind: 'and', children });
export const or = (...children: Detection[]): Detection => ({ kind: 'or', children });
export const not = (child: Detection): Detection => ({ kind: 'not', child });
export { p as pred };
