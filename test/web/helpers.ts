import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { buildCatalog } from '../../src/catalog/build.js';
import { PACKAGE_ROOT } from '../../src/cli/paths.js';
import { openDb } from '../../src/store/db.js';
import { tempDir } from '../helpers/temp-dir.js';

export const FIXTURES = join(PACKAGE_ROOT, 'test', 'web', 'fixtures');
/** Screenshots of the browser tests (git-ignored). */
export const ARTIFACTS = join(PACKAGE_ROOT, 'test-artifacts', 'web');

/** A catalog of the hostile fixture rules (all three vendors, no ATT&CK), in a fresh temporary folder removed when the test file ends. */
export async function fixtureCatalog(): Promise<string> {
  const path = join(tempDir('detectory-web-'), 'fixtures.duckdb');
  const db = await openDb(path);
  try {
    await buildCatalog(db, { sigma: [join(FIXTURES, 'sigma')], elastic: [join(FIXTURES, 'elastic')], splunk: [join(FIXTURES, 'splunk')], workers: 0 });
  } finally {
    db.close();
  }
  return path;
}

/**
 * Debian's Chromium, headless, with a fresh profile (user-data dir); never a browser download. The
 * profile goes when the browser is closed (and, should it not be, when the test file ends).
 */
export async function launchBrowser(width = 1280): Promise<BrowserContext> {
  const profile = tempDir('detectory-chromium-');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const close = context.close.bind(context);
  context.close = async (...args: Parameters<BrowserContext['close']>): Promise<void> => {
    try {
      await close(...args);
    } finally {
      rmSync(profile, { recursive: true, force: true, maxRetries: 3 });
    }
  };
  return context;
}
