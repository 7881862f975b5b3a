import type { Context } from 'hono';
import type { HtmlEscapedString } from 'hono/utils/html';

/** A full HTML page from a JSX element. */
export function page(c: Context, el: HtmlEscapedString | Promise<HtmlEscapedString> | unknown, status: 200 | 400 | 404 | 405 | 413 | 414 | 500 = 200): Response {
  return c.html(`<!doctype html>${String(el)}`, status);
}
