import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildCatalog } from '../../src/catalog/build.js';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { openDb } from '../../src/store/db.js';

export const FIXTURES = join(PACKAGE_ROOT, 'test', 'web', 'fixtures');
/** Screenshots of the browser tests (git-ignored). */
export const ARTIFACTS = join(PACKAGE_ROOT, 'test-artifacts', 'web');

/** A catalog of the hostile fixture rules (all three vendors, no ATT&CK), in a fresh temporary folder. */
export async function fixtureCatalog(): Promise<string> {
  const path = join(mkdtempSync(join(tmpdir(), 'detectory-web-')), 'fixtures.duckdb');
  const db = await openDb(path);
  try {
    await buildCatalog(db, { sigma: [join(FIXTURES, 'sigma')], elastic: [join(FIXTURES, 'elastic')], splunk: [join(FIXTURES, 'splunk')], workers: 0 });
  } finally {
    db.close();
  }
  return path;
}

/** Debian's Chromium, headless, with a fresh profile (user-data dir); never a browser download. */
export async function launchBrowser(width = 1280): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'detectory-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}
