import { afterEach, describe, expect, it } from 'vitest';
import { createHttpApp, HttpError, toResponse } from './http-error.js';
import { createHttpFetch } from './http-fetch.js';
import { httpRequest } from './http-request.js';
import type { LoopbackServer } from './listen-loopback.js';
import { serve } from './serve.js';

function demoApp() {
  const app = createHttpApp();
  app.get('/health', (c) => c.json({ status: 'ok' }));
  app.get('/refuse', () => {
    throw new HttpError(403, 'Forbidden: not yours', { headers: { 'x-why': 'test' } });
  });
  app.get('/crash', () => {
    throw new Error('boom');
  });
  app.post('/echo', async (c) => c.text(await c.req.text()));
  return app;
}

describe('createHttpApp() in process', () => {
  it.each([
    { name: 'a route', path: '/health', status: 200, body: { status: 'ok' } },
    { name: 'a thrown HttpError', path: '/refuse', status: 403, body: { error: 'Forbidden: not yours' } },
    { name: 'any other error as 500', path: '/crash', status: 500, body: { error: 'boom' } },
    { name: 'an unrouted path as 404', path: '/nope', status: 404, body: { error: 'No route for GET /nope' } },
  ])('answers $name', async ({ path, status, body }) => {
    const res = await demoApp().request(path);
    expect([res.status, await res.json()]).toEqual([status, body]);
  });

  it('keeps the headers of an HttpError', async () => {
    expect((await demoApp().request('/refuse')).headers.get('x-why')).toBe('test');
  });

  it('takes its own error mapping', async () => {
    const app = createHttpApp({ toResponse: (e) => new Response(`no: ${(e as Error).message}`, { status: 418 }), notFound: () => new Error('gone') });
    const res = await app.request('/x');
    expect([res.status, await res.text()]).toEqual([418, 'no: gone']);
  });
});

describe('HttpError', () => {
  it.each([
    { status: 404, code: 'NOT_FOUND' },
    { status: 405, code: 'METHOD_NOT_ALLOWED' },
    { status: 418, code: 'HTTP_418' },
  ])('derives code $code from status $status', ({ status, code }) => {
    expect(new HttpError(status, 'x').code).toBe(code);
  });

  it('maps to JSON with toResponse()', async () => {
    const res = toResponse(new HttpError(422, 'too big'));
    expect([res.status, res.headers.get('content-type'), await res.json()]).toEqual([422, 'application/json', { error: 'too big' }]);
  });
});

describe('serve() on loopback', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close({ timeoutMs: 1_000 });
    server = undefined;
  });

  it('binds 127.0.0.1 on a free port and answers through the app', async () => {
    server = await serve(demoApp());
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const r = await httpRequest(`${server.url}/health`);
    expect([r.status, JSON.parse(r.body.toString())]).toEqual([200, { status: 'ok' }]);
  });

  it('reads a request body', async () => {
    server = await serve(demoApp());
    const r = await httpRequest(`${server.url}/echo`, { method: 'POST', body: 'hello' });
    expect(r.body.toString()).toBe('hello');
  });

  it('refuses a host that is not loopback', async () => {
    await expect(serve(demoApp(), { host: '0.0.0.0' })).rejects.toThrow("Cannot listen on '0.0.0.0' as hpa-lab binds loopback only");
  });

  it('closes when its signal aborts', async () => {
    const abort = new AbortController();
    const s = await serve(demoApp(), { signal: abort.signal });
    abort.abort();
    await s.close();
    await expect(httpRequest(`${s.url}/health`, { timeoutMs: 2_000 })).rejects.toMatchObject({ phase: 'connect' });
  });

  it('fails with EADDRINUSE on a taken port', async () => {
    server = await serve(demoApp());
    await expect(serve(demoApp(), { port: server.port })).rejects.toMatchObject({ code: 'EADDRINUSE' });
  });
});

describe('createHttpFetch()', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close({ timeoutMs: 1_000 });
    server = undefined;
  });

  it('speaks fetch: status, headers, body; string and form bodies', async () => {
    server = await serve(demoApp());
    const f = createHttpFetch();
    const res = await f(`${server.url}/health`);
    expect([res.status, res.headers.get('content-type'), await res.json()]).toEqual([200, 'application/json', { status: 'ok' }]);
    expect(await (await f(`${server.url}/echo`, { method: 'POST', body: 'abc' })).text()).toBe('abc');
    expect(await (await f(new Request(`${server.url}/echo`, { method: 'POST', body: new URLSearchParams({ q: 'up' }) }))).text()).toBe('q=up');
  });

  it('rejects as fetch does: TypeError with the socket error as cause, or the abort reason', async () => {
    server = await serve(demoApp());
    const url = server.url;
    await server.close();
    server = undefined;
    const f = createHttpFetch();
    const refused = await f(`${url}/health`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as Error).cause).toMatchObject({ code: 'ECONNREFUSED' });
    const aborted = await f(`${url}/health`, { signal: AbortSignal.abort(new Error('stop')) }).catch((e: unknown) => e);
    expect((aborted as Error).message).toBe('stop');
  });
});
