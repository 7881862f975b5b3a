import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { TestContext } from 'node:test';

/**
 * The shared corpora and conformance data (DETECTORY_SHARED). When unset, tests that need it skip
 * with a visible message; under DETECTORY_REQUIRE_SHARED=1 (CI) they fail instead.
 */
export function sharedDir(): string | undefined {
  const dir = process.env.DETECTORY_SHARED;
  if (dir && existsSync(dir)) return resolve(dir);
  if (process.env.DETECTORY_REQUIRE_SHARED === '1') {
    throw new Error(`DETECTORY_REQUIRE_SHARED=1 but DETECTORY_SHARED (${dir ?? 'unset'}) is not a folder`);
  }
  return undefined;
}

/** Returns the shared folder, or marks the test skipped (with the reason) and returns undefined. */
export function requireShared(t: TestContext, what = 'this test'): string | undefined {
  const dir = sharedDir();
  if (!dir) t.skip(`DETECTORY_SHARED is not set: ${what} needs ../shared`);
  return dir;
}
