import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** What a source publishes about a file, checked after the download. */
export interface Expected {
  /** Hex sha256 (GitHub release asset `digest`, or an index entry's `sha256`). */
  sha256?: string;
  /** Size in bytes (GitHub release asset `size`, or an index entry's `size`). */
  size?: number;
}

export interface Downloaded {
  path: string;
  bytes: number;
  sha256: string;
}

export class DownloadError extends Error {}

type Fetch = typeof fetch;
let fetcher: Promise<Fetch> | undefined;

/**
 * Node 20's global fetch (undici inside Node) ignores HTTPS_PROXY / HTTP_PROXY / NO_PROXY. When one
 * of them is set, the undici package's EnvHttpProxyAgent (which reads those variables) is used with
 * undici's own fetch; without that package a proxied sync cannot run and says so.
 */
export function proxyAwareFetch(): Promise<Fetch> {
  const env = process.env;
  const proxied = env.HTTPS_PROXY || env.https_proxy || env.HTTP_PROXY || env.http_proxy;
  if (!proxied) return Promise.resolve(fetch);
  fetcher ??= (async () => {
    let undici: { fetch: unknown; EnvHttpProxyAgent: new () => unknown };
    try {
      undici = (await import('undici')) as unknown as typeof undici;
    } catch {
      throw new DownloadError('HTTPS_PROXY/HTTP_PROXY is set but the "undici" package (needed for a proxy with Node 20) is not installed');
    }
    const dispatcher = new undici.EnvHttpProxyAgent();
    const f = undici.fetch as (u: string, i?: Record<string, unknown>) => Promise<Response>;
    return ((u: string | URL, init?: RequestInit) => f(String(u), { ...init, dispatcher })) as Fetch;
  })();
  return fetcher;
}

/** Reads a file:// or http(s) URL as text (a manifest: bounded to `max` bytes). */
export async function fetchText(url: string, max = 8 * 1024 * 1024): Promise<string> {
  const res = await get(url);
  const len = Number(res.headers.get('content-length') ?? NaN);
  if (len > max) throw new DownloadError(`${url}: ${len} bytes is over the limit of ${max}`);
  const chunks: Buffer[] = [];
  let n = 0;
  try {
    for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
      n += c.length;
      if (n > max) throw new DownloadError(`${url}: more than ${max} bytes`);
      chunks.push(Buffer.from(c));
    }
  } catch (e) {
    throw e instanceof DownloadError ? e : new DownloadError(`${url}: connection lost after ${n} bytes (${causeOf(e)})`);
  }
  if (Number.isFinite(len) && n !== len) throw new DownloadError(`${url}: got ${n} bytes, Content-Length said ${len}`);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Downloads `url` to `dest` (a temporary path), hashing on the way, then checks the byte count
 * against Content-Length and against what the source published. On any failure the partial file is
 * removed and a DownloadError with one line is thrown.
 */
export async function download(url: string, dest: string, expected: Expected = {}, max = 4 * 1024 ** 3): Promise<Downloaded> {
  const hash = createHash('sha256');
  let n = 0;
  const out = createWriteStream(dest, { flags: 'wx' });
  // a write error (disk full) is kept and reported; without a listener it would end the process,
  // also when the stream is destroyed with a write still pending after a dropped connection
  let writeError: Error | undefined;
  out.on('error', (e) => (writeError ??= e));
  try {
    const res = await get(url);
    const len = Number(res.headers.get('content-length') ?? NaN);
    if (len > max) throw new DownloadError(`${url}: ${len} bytes is over the limit of ${max}`);
    try {
      for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) {
        n += c.length;
        if (n > max) throw new DownloadError(`${url}: more than ${max} bytes`);
        hash.update(c);
        if (writeError) throw new DownloadError(`${dest}: ${writeError.message}`);
        if (!out.write(c)) await once(out, 'drain');
      }
    } catch (e) {
      throw e instanceof DownloadError ? e : new DownloadError(`${url}: connection lost after ${n} bytes (${causeOf(e)})`);
    }
    await new Promise<void>((ok, fail) => out.end(() => (writeError ? fail(new DownloadError(`${dest}: ${writeError.message}`)) : ok())));
    if (Number.isFinite(len) && n !== len) throw new DownloadError(`${url}: got ${n} bytes, Content-Length said ${len} (download cut short)`);
    if (expected.size !== undefined && n !== expected.size) throw new DownloadError(`${url}: got ${n} bytes, the source publishes ${expected.size}`);
    const sha256 = hash.digest('hex');
    if (expected.sha256 && expected.sha256.toLowerCase() !== sha256) {
      throw new DownloadError(`${url}: sha256 ${sha256} does not match the published ${expected.sha256.toLowerCase()}`);
    }
    return { path: dest, bytes: n, sha256 };
  } catch (e) {
    out.destroy();
    rmSync(dest, { force: true });
    throw e instanceof DownloadError ? e : new DownloadError(`${url}: ${causeOf(e)}`);
  }
}

async function get(url: string): Promise<Response> {
  if (url.startsWith('file:')) return readLocal(url);
  const f = await proxyAwareFetch();
  let res: Response;
  try {
    res = await f(url, { redirect: 'follow', headers: { 'user-agent': 'detectory-sync', accept: '*/*' } });
  } catch (e) {
    throw new DownloadError(`${url}: ${causeOf(e)}`);
  }
  if (!res.ok || !res.body) throw new DownloadError(`${url}: HTTP ${res.status} ${res.statusText}`.trim());
  return res;
}

/** undici wraps the socket error in `cause`; the cause says what happened. */
function causeOf(e: unknown): string {
  const err = e as Error & { cause?: Error & { code?: string } };
  const c = err.cause;
  return c ? `${err.message}: ${c.code ?? ''} ${c.message}`.replace(/\s+/g, ' ').trim() : err.message;
}

/** A mirror folder (--from DIR): the file read as if served, with its size as Content-Length. */
function readLocal(url: string): Response {
  const path = fileURLToPath(url);
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch (e) {
    throw new DownloadError(`${path}: ${(e as Error).message}`);
  }
  const body = Readable.toWeb(createReadStream(path)) as unknown as ReadableStream;
  return new Response(body, { headers: { 'content-length': String(size) } });
}
