import { Hono } from 'hono';

/** Options of {@link HttpError}. */
export interface HttpErrorOptions extends ErrorOptions {
  /** A stable machine-readable code (`NOT_FOUND`, `METHOD_NOT_ALLOWED`, ...); derived from the status unless told. */
  readonly code?: string;
  /** Extra response headers (`allow`, `retry-after`). */
  readonly headers?: Readonly<Record<string, string>>;
}

const CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  422: 'UNPROCESSABLE_ENTITY',
  500: 'INTERNAL',
  503: 'SERVICE_UNAVAILABLE',
};

/**
 * A request a server refuses, with the HTTP status to answer. Handlers throw it; the app's one
 * `toResponse` (see {@link createHttpApp}) turns it into the answer, so every refusal of a server
 * has the same shape.
 *
 * @example
 * throw new HttpError(405, 'Use GET for /status', { headers: { allow: 'GET' } });
 */
export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, message: string, options: HttpErrorOptions = {}) {
    super(message, options);
    this.status = status;
    this.code = options.code ?? CODES[status] ?? `HTTP_${status}`;
    this.headers = options.headers ?? {};
  }
}

/**
 * The default error mapping: an {@link HttpError} answers its status with `{"error": message}`
 * JSON; anything else is a 500 `{"error": message}`.
 *
 * @example
 * (await toResponse(new HttpError(404, 'No route')).json()); // -> { error: 'No route' }
 */
export function toResponse(error: unknown): Response {
  if (error instanceof HttpError) return Response.json({ error: error.message }, { status: error.status, headers: error.headers });
  return Response.json({ error: error instanceof Error ? error.message : String(error) }, { status: 500 });
}

/** Options of {@link createHttpApp}. */
export interface HttpAppOptions {
  /** The one place an error becomes a response ({@link toResponse} unless told). */
  readonly toResponse?: (error: unknown) => Response | Promise<Response>;
  /** The error for a path no route serves (a 404 {@link HttpError} naming method and path unless told). */
  readonly notFound?: (method: string, path: string) => unknown;
}

/**
 * A hono app whose thrown errors and unrouted paths all go through one `toResponse`. Test it in
 * process with `app.request('/path')`; serve it with `serve(app)`.
 *
 * @example
 * const app = createHttpApp();
 * app.get('/health', (c) => c.json({ status: 'ok' }));
 * (await app.request('/nope')).status; // -> 404
 */
export function createHttpApp(options: HttpAppOptions = {}): Hono {
  const map = options.toResponse ?? toResponse;
  const notFound = options.notFound ?? ((method: string, path: string) => new HttpError(404, `No route for ${method} ${path}`));
  const app = new Hono();
  app.onError((error) => map(error));
  app.notFound((c) => map(notFound(c.req.method, c.req.path)));
  return app;
}
