import { createServer, type Server } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { createApp } from './app.js';
import { WebContext, type WebOptions } from './context.js';

export interface Served {
  url: string;
  ctx: WebContext;
  server: Server;
  close(): Promise<void>;
}

/** Largest request head accepted (request line and headers). */
const MAX_HEADER = 8 * 1024;

/** Starts the server on host:port (port 0 picks a free one); 127.0.0.1 unless told otherwise. */
export async function startServer(opts: WebOptions & { host?: string; port?: number }): Promise<Served> {
  const ctx = await WebContext.open(opts);
  const app = createApp(ctx);
  const server = createServer({ maxHeaderSize: MAX_HEADER }, getRequestListener(app.fetch));
  server.requestTimeout = 30_000;
  server.headersTimeout = 10_000;
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((res, rej) => {
    server.once('error', rej);
    server.listen(opts.port ?? 8080, host, () => res());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : opts.port ?? 8080;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    ctx,
    server,
    close: () => new Promise<void>((res) => {
      server.closeAllConnections();
      server.close(() => {
        ctx.close();
        res();
      });
    }),
  };
}
