import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { PACKAGE_ROOT } from '../cli/paths.js';

/** The two static files, read once at start and served from memory under fixed names (nothing else on disk is reachable). */
const ASSETS: ReadonlyArray<[string, string, string]> = [
  ['/assets/style.css', 'style.css', 'text/css; charset=utf-8'],
  ['/assets/app.js', 'app.js', 'text/javascript; charset=utf-8'],
];

export function registerAssets(app: Hono): void {
  for (const [route, file, type] of ASSETS) {
    const body = readFileSync(join(PACKAGE_ROOT, 'src', 'web', 'assets', file), 'utf8');
    app.get(route, (c) => c.body(body, 200, { 'content-type': type, 'cache-control': 'public, max-age=3600' }));
  }
}
