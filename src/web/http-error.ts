/** An answer other than 200 that a route decides on: 400 for bad parameters, 404 for unknown ids. */
export class HttpError extends Error {
  constructor(readonly status: 400 | 404 | 405 | 413 | 414, message: string) {
    super(message);
  }
}

export const badRequest = (m: string): HttpError => new HttpError(400, m);
export const notFound = (m: string): HttpError => new HttpError(404, m);
