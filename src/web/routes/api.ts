import type { Hono } from 'hono';
import type { WebContext } from '../context.js';
import { navigatorLayer } from '../../catalog/navigator-layer.js';
import { attackData, attackDiff, attackRaw } from './attack.js';
import { coverageData, coverageFilters } from './coverage.js';
import { fieldData } from './field.js';
import { homeData, searchData } from './home.js';
import { ruleData } from './rule.js';
import { indicatorRules, techniqueData, techniqueJson } from './technique.js';

/** The JSON API: the same functions as the pages, as JSON (guide and attack show keep their CLI --json shapes). */
export function registerApi(app: Hono, ctx: WebContext): void {
  app.get('/api', (c) => c.json({
    routes: ['/api/stats', '/api/search?q=', '/api/techniques/:id', '/api/techniques/:id/indicator?kind=&field=&op=&value=', '/api/guide/:id', '/api/techniques/:id/indicator?kind=&field=&op=&value=', '/api/guide/:id', '/api/attack/:id', '/api/attack/:id/history', '/api/attack/:id/diff?from=&to=',
      '/api/attack/:id/raw?release=', '/api/rules/:vendor/:id', '/api/fields/:field', '/api/coverage?vendor=&platform=&logsource=', '/api/coverage/layer'],
  }));
  app.get('/api/stats', (c) => c.json(homeData(ctx)));
  app.get('/api/search', async (c) => c.json(await searchData(ctx, c.req.query('q'))));
  app.get('/api/techniques/:id', async (c) => c.json(techniqueJson(await techniqueData(ctx, c.req.param('id')))));
  app.get('/api/techniques/:id/indicator', async (c) => c.json(await indicatorRules(ctx, c.req.param('id'), (k) => c.req.query(k))));
  app.get('/api/guide/:id', async (c) => c.json((await techniqueData(ctx, c.req.param('id'))).guide));
  app.get('/api/attack/:id', async (c) => c.json(await attackData(ctx, c.req.param('id'))));
  app.get('/api/attack/:id/history', async (c) => c.json((await attackData(ctx, c.req.param('id'))).history));
  app.get('/api/attack/:id/diff', async (c) => c.json(await attackDiff(ctx, c.req.param('id'), c.req.query('from'), c.req.query('to'))));
  app.get('/api/attack/:id/raw', async (c) => c.body(await attackRaw(ctx, c.req.param('id'), c.req.query('release')), 200, { 'content-type': 'application/json; charset=utf-8' }));
  app.get('/api/rules/:vendor/:id', async (c) => c.json(await ruleData(ctx, c.req.param('vendor'), c.req.param('id'))));
  app.get('/api/fields/:field', async (c) => c.json(await fieldData(ctx, c.req.param('field'))));
  app.get('/api/coverage', async (c) => c.json(await coverageData(ctx, coverageFilters((k) => c.req.query(k)))));
  app.get('/api/coverage/layer', async (c) => c.json(navigatorLayer(await coverageData(ctx, coverageFilters((k) => c.req.query(k))))));
}
