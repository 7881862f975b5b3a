import { gzipSync } from 'node:zlib';
import { Hono, type Context } from 'hono';
import type { WebContext } from './context.js';
import { HttpError } from './http-error.js';
import { Layout } from './layout.js';
import { page } from './render.js';
import { registerAssets } from './assets.js';
import { registerApi } from './routes/api.js';
import { registerAttack } from './routes/attack.js';
import { registerCoverage } from './routes/coverage.js';
import { registerField } from './routes/field.js';
import { registerHome } from './routes/home.js';
import { registerRule } from './routes/rule.js';
import { registerTechnique } from './routes/technique.js';

/** Longest request URL accepted (path and query). */
export const MAX_URL = 2048;

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function ErrorPage(p: { status: number; message: string; label?: string }) {
  const title = p.status === 404 ? 'Not found' : p.status === 400 ? 'Bad request' : p.status === 500 ? 'Server error' : `Error ${p.status}`;
  return (
    <Layout title={title} label={p.label}>
      <h1>{title}</h1>
      <p>{p.message}</p>
      <p><a href="/">Home</a></p>
    </Layout>
  );
}

function errorResponse(c: Context, status: 400 | 404 | 405 | 413 | 414 | 500, message: string, label?: string): Response {
  if (c.req.path.startsWith('/api/') || c.req.path === '/api') return c.json({ error: message, status }, status);
  return page(c, <ErrorPage status={status} message={message} label={label} />, status);
}

/**
 * The web application: only GET and HEAD, URLs up to 2 KiB, no request bodies, security headers on
 * every answer, a 404 page for unknown addresses and ids, 400 for bad parameters, and a plain 500
 * page (the error goes to stderr, never to the client) for anything else.
 */
export function createApp(ctx: WebContext): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      c.res = errorResponse(c, 405, `${c.req.method} is not served: read-only server`, ctx.opts.label);
      c.res.headers.set('allow', 'GET, HEAD');
    } else if (c.req.url.length > MAX_URL + 64) {
      c.res = errorResponse(c, 414, `the address is longer than ${MAX_URL} characters`, ctx.opts.label);
    } else if (Number(c.req.header('content-length') ?? 0) > 0 || c.req.header('transfer-encoding')) {
      c.res = errorResponse(c, 413, 'requests carry no body here', ctx.opts.label);
    } else {
      await next();
    }
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(k, v);
  });
  if (ctx.caching) {
    app.use('*', async (c, next) => {
      const url = new URL(c.req.url);
      const key = `${url.pathname}?${url.search}`;
      const hit = ctx.pageCache.get(key);
      if (hit) {
        const gz = /\bgzip\b/.test(c.req.header('accept-encoding') ?? '');
        const headers: Record<string, string> = { 'content-type': hit.type, vary: 'accept-encoding' };
        if (gz) headers['content-encoding'] = 'gzip';
        c.res = new Response(c.req.method === 'HEAD' ? null : gz ? new Uint8Array(hit.gzip) : hit.body, { status: 200, headers });
        return;
      }
      await next();
      const type = c.res.headers.get('content-type') ?? '';
      if (c.res.status === 200 && !c.res.headers.get('content-disposition') && /^(text\/html|application\/json)/.test(type)) {
        const body = await c.res.clone().text();
        const gzip = gzipSync(body, { level: 6 });
        ctx.pageCache.set(key, { body, gzip, type }, body.length + gzip.length);
      }
    });
  }
  registerAssets(app);
  registerHome(app, ctx);
  registerTechnique(app, ctx);
  registerAttack(app, ctx);
  registerRule(app, ctx);
  registerField(app, ctx);
  registerCoverage(app, ctx);
  registerApi(app, ctx);
  app.notFound((c) => errorResponse(c, 404, `No page at ${c.req.path.slice(0, 200)}.`, ctx.opts.label));
  app.onError((e, c) => {
    if (e instanceof HttpError) return errorResponse(c, e.status, e.message, ctx.opts.label);
    process.stderr.write(`detectory serve: internal error on ${c.req.path.slice(0, 200)}: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}\n`);
    return errorResponse(c, 500, 'The server could not answer this request.', ctx.opts.label);
  });
  return app;
}
