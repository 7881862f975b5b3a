import assert from 'node:assert/strict';
import { request } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { createApp } from '../../src/web/app.js';
import { WebContext } from '../../src/web/context.js';
import { startServer, type Served } from '../../src/web/server.js';
import { fixtureCatalog } from './helpers.js';

let served: Served;
let dbPath: string;

before(async () => {
  dbPath = await fixtureCatalog();
  served = await startServer({ dbPath, port: 0 });
});
after(async () => served?.close());

/** A raw HTTP request: the path is sent exactly as given (no URL normalization by a client). */
function raw(path: string, opts: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<{ status: number; body: string; headers: Record<string, string | string[] | undefined> }> {
  const u = new URL(served.url);
  return new Promise((res, rej) => {
    const req = request({ host: u.hostname, port: u.port, path, method: opts.method ?? 'GET', headers: opts.headers }, (r) => {
      let body = '';
      r.setEncoding('utf8');
      r.on('data', (c: string) => (body += c));
      r.on('end', () => res({ status: r.statusCode ?? 0, body, headers: r.headers }));
    });
    req.on('error', rej);
    if (opts.body) req.write(opts.body);
    req.end();
  });
}

test('binds 127.0.0.1 unless told otherwise', () => {
  assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+$/);
  const addr = served.server.address();
  assert.ok(addr && typeof addr === 'object' && addr.address === '127.0.0.1');
});

test('serves only its routes: no path traversal to files', async () => {
  for (const p of ['/assets/../package.json', '/assets/..%2f..%2fpackage.json', '/assets/%2e%2e/%2e%2e/package.json', '/..%2f..%2fpackage.json',
    '/assets/style.css/../../../package.json', '/assets/..\\..\\package.json', '/%2e%2e/%2e%2e/etc/passwd', '/src/web/assets/app.js', '/assets/']) {
    const r = await raw(p);
    assert.ok(r.status === 404 || r.status === 400, `${p} answered ${r.status}`);
    assert.ok(!r.body.includes('"dependencies"') && !r.body.includes('root:x:'), `${p} leaked a file`);
  }
  assert.equal((await raw('/assets/style.css')).status, 200);
});

test('unknown ids get a 404 page, bad parameters a 400, in HTML and in the API', async () => {
  const cases: Array<[string, number]> = [
    ['/techniques/T9999', 404], ['/techniques/not-a-technique', 400], ['/rules/sigma/no-such-rule', 404], ['/rules/acme/x', 400],
    ['/fields/NoSuchField', 404], ['/attack/AN1288', 404], ['/attack/%3Cscript%3E', 400], ['/coverage?vendor=acme', 400],
    ['/api/techniques/T9999', 404], ['/api/rules/acme/x', 400], ['/nowhere', 404], ['/api/nowhere', 404],
    [`/search?q=${'a'.repeat(201)}`, 400], ['/techniques/T1059.001?platform=%3Cx%3E', 400],
  ];
  for (const [p, status] of cases) {
    const r = await raw(p);
    assert.equal(r.status, status, `${p}`);
    if (p.startsWith('/api/')) assert.equal(JSON.parse(r.body).status, status);
    else assert.match(r.body, /<h1>(Not found|Bad request)<\/h1>/);
    assert.ok(!/\bat .*\.js:\d+/.test(r.body), `${p}: stack trace in the answer`);
  }
});

test('only GET and HEAD; no request body; bounded URL and headers', async () => {
  assert.equal((await raw('/', { method: 'POST', body: 'x=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } })).status, 405);
  assert.equal((await raw('/', { method: 'DELETE' })).status, 405);
  assert.equal((await raw('/', { headers: { 'content-length': '5' }, body: 'hello' })).status, 413);
  assert.equal((await raw(`/search?q=${'a'.repeat(3000)}`)).status, 414);
  assert.equal((await raw('/', { headers: { 'x-big': 'a'.repeat(20_000) } })).status, 431);
  assert.equal((await raw('/', { method: 'HEAD' })).status, 200);
});

test('every answer carries a content security policy without inline script', async () => {
  const r = await raw('/rules/sigma/11111111-1111-4111-8111-111111111111');
  assert.equal(r.status, 200);
  const csp = String(r.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'/);
  assert.ok(!csp.includes('unsafe-inline'));
  assert.equal(r.headers['x-content-type-options'], 'nosniff');
  assert.ok(!/<script>(?!window)/.test(r.body.replace(/&lt;script&gt;/g, '')), 'no script element besides the app.js tag');
});

test('an internal error answers a plain 500 page: no message, no stack', async () => {
  const ctx = await WebContext.open({ dbPath });
  try {
    const app = createApp(ctx);
    app.get('/boom', () => {
      throw new Error('secret detail /home/user/file.ts:12');
    });
    const errors: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((s: string) => (errors.push(String(s)), true)) as typeof process.stderr.write;
    let r: Response;
    try {
      r = await app.request('/boom');
    } finally {
      process.stderr.write = write;
    }
    assert.equal(r.status, 500);
    const body = await r.text();
    assert.ok(!body.includes('secret detail') && !body.includes('file.ts'), 'the error stays out of the page');
    assert.ok(errors.some((e) => e.includes('secret detail')), 'and goes to stderr');
  } finally {
    ctx.close();
  }
});

test('the JSON API returns what the pages show', async () => {
  const page = await raw('/rules/splunk/33333333-3333-4333-8333-333333333333');
  const api = JSON.parse((await raw('/api/rules/splunk/33333333-3333-4333-8333-333333333333')).body) as { rule: { title: string; predicates: unknown[] } };
  assert.ok(api.rule.predicates.length > 0);
  assert.ok(page.body.includes(api.rule.title.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')));
});

test('a cached page is answered again, gzip-compressed when the client accepts it', async () => {
  const path = '/rules/sigma/11111111-1111-4111-8111-111111111111';
  const first = await raw(path);
  const second = await new Promise<{ enc: string | undefined; body: Buffer }>((res, rej) => {
    const u = new URL(served.url);
    request({ host: u.hostname, port: u.port, path, headers: { 'accept-encoding': 'gzip' } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => res({ enc: r.headers['content-encoding'], body: Buffer.concat(chunks) }));
    }).on('error', rej).end();
  });
  assert.equal(second.enc, 'gzip');
  assert.equal(gunzipSync(second.body).toString('utf8'), first.body);
});
