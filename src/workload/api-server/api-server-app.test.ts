import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav } from '../audio/make-wav.js';
import { HttpRequestError, systemClock } from '../../platform/index.js';
import { createManualSleep } from '../worker/manual-sleep.js';
import { GET_TEXT_PATH, type WorkerApp, createWorkerApp } from '../worker/worker-app.js';
import { type ApiServerOptions, PLACEHOLDER_CONFIDENCE, createApiServerApp } from './api-server-app.js';
import type { WorkerTransport } from './worker-transport.js';

const TOKEN = 'test-license-key';
const AUTH = { authorization: `Token ${TOKEN}` };

/** Calls worker apps in-process; a URL with no app behaves like a dead worker (connection refused). */
function inProcessTransport(apps: ReadonlyMap<string, WorkerApp>): WorkerTransport {
  return async (worker, call) => {
    const app = apps.get(worker.url);
    if (app === undefined) {
      throw new HttpRequestError('connect', `Request to ${worker.url} failed: connect ECONNREFUSED`);
    }
    const res = await app.fetch(
      new Request(`${worker.url}${GET_TEXT_PATH}`, {
        method: 'POST',
        headers: { 'content-type': call.contentType },
        body: call.body as Uint8Array<ArrayBuffer>,
        signal: call.signal,
      }),
    );
    return { status: res.status, body: await res.json() };
  };
}

interface Stack {
  readonly api: ReturnType<typeof createApiServerApp>;
  readonly apps: Map<string, WorkerApp>;
}

/** An API server with in-process workers: `live` answer at once, `dead` refuse connections. */
function stack(
  spec: { readonly live?: readonly string[]; readonly dead?: readonly string[]; readonly apps?: Record<string, WorkerApp> },
  options: Partial<ApiServerOptions> = {},
): Stack {
  const apps = new Map<string, WorkerApp>();
  let ids = 0;
  const api = createApiServerApp({
    clock: systemClock,
    token: TOKEN,
    transport: inProcessTransport(apps),
    idGenerator: () => `req-${++ids}`,
    defaultMetrics: false,
    ...options,
  });
  let port = 5000;
  for (const id of spec.live ?? []) {
    const url = `http://127.0.0.1:${port++}`;
    apps.set(url, createWorkerApp({ clock: systemClock, modelLoadMs: 0, rtf: 0, overheadMs: 0, defaultMetrics: false }));
    api.workers.addWorker({ id, url });
  }
  for (const [id, app] of Object.entries(spec.apps ?? {})) {
    const url = `http://127.0.0.1:${port++}`;
    apps.set(url, app);
    api.workers.addWorker({ id, url });
  }
  for (const id of spec.dead ?? []) api.workers.addWorker({ id, url: `http://127.0.0.1:${port++}` });
  return { api, apps };
}

function listen(body: BodyInit | null, headers: Record<string, string> = {}, query = ''): Request {
  return new Request(`http://api.test/v1/listen${query}`, { method: 'POST', headers: { ...AUTH, ...headers }, body });
}

describe('createApiServerApp() POST /v1/listen', () => {
  let dir: string;
  let wavPath: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-api-'));
    wavPath = join(dir, 'two.wav');
    await writeFile(wavPath, makeWav(2));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('answers {request_id, text, confidence, duration, language, words} for raw audio', async () => {
    const { api } = stack({ live: ['w1'] });
    const res = await api.fetch(listen(makeWav(1), { 'content-type': 'audio/wav' }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      request_id: 'req-1',
      text: 'this is a',
      confidence: PLACEHOLDER_CONFIDENCE,
      duration: 1,
      language: 'en',
      words: [
        { word: 'this', start: 0, end: 0.333, confidence: PLACEHOLDER_CONFIDENCE },
        { word: 'is', start: 0.333, end: 0.667, confidence: PLACEHOLDER_CONFIDENCE },
        { word: 'a', start: 0.667, end: 1, confidence: PLACEHOLDER_CONFIDENCE },
      ],
    });
  });

  it.each([
    { name: 'JSON {url} with a local file', make: () => listen(JSON.stringify({ url: wavPath }), { 'content-type': 'application/json' }), duration: 2 },
    {
      name: 'multipart with an audio field',
      make: () => {
        const form = new FormData();
        form.append('audio', new Blob([makeWav(3)], { type: 'audio/wav' }), 'three.wav');
        form.append('note', 'ignored');
        return listen(form);
      },
      duration: 3,
    },
    { name: 'application/octet-stream', make: () => listen(makeWav(0.5), { 'content-type': 'application/octet-stream' }), duration: 0.5 },
    { name: 'a body without Content-Type', make: () => listen(makeWav(1.5)), duration: 1.5 },
  ])('accepts $name', async ({ make, duration }) => {
    const { api } = stack({ live: ['w1'] });
    const res = await api.fetch(make());
    expect(res.status).toBe(200);
    expect((await res.json()).duration).toBe(duration);
  });

  it('reports the language asked for in the query', async () => {
    const { api } = stack({ live: ['w1'] });
    const res = await api.fetch(listen(makeWav(1), {}, '?language=hi'));
    expect((await res.json()).language).toBe('hi');
  });

  it.each([
    { name: 'no Authorization header', headers: { authorization: '' } },
    { name: 'a wrong key', headers: { authorization: 'Token wrong' } },
    { name: 'a Bearer scheme', headers: { authorization: `Bearer ${TOKEN}` } },
  ])('answers 401 INVALID_LICENSE for $name', async ({ headers }) => {
    const { api } = stack({ live: ['w1'] });
    const res = await api.fetch(listen(makeWav(1), headers));
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: "Invalid or missing license key: send 'Authorization: Token <key>'",
      code: 'INVALID_LICENSE',
    });
  });

  it.each([
    { name: 'JSON without url', body: () => JSON.stringify({ audio: 'x' }), type: 'application/json', code: 'MISSING_PARAMETER', error: "Missing parameter 'url': expected a non-empty string" },
    { name: 'JSON with an empty url', body: () => JSON.stringify({ url: ' ' }), type: 'application/json', code: 'MISSING_PARAMETER', error: "Missing parameter 'url': expected a non-empty string" },
    { name: 'an empty body', body: () => new Uint8Array(0), type: 'audio/wav', code: 'MISSING_PARAMETER', error: 'Request body is empty' },
    { name: 'JSON that does not parse', body: () => '{"url":', type: 'application/json', code: 'INVALID_REQUEST', error: 'Cannot parse the JSON body' },
    {
      name: 'a remote URL the worker refuses',
      body: () => JSON.stringify({ url: 'https://example.com/test-audio.wav' }),
      type: 'application/json',
      code: 'INVALID_REQUEST',
      error: "Cannot fetch 'https://example.com/test-audio.wav': only http URLs",
    },
  ])('answers 400 $code for $name', async ({ body, type, code, error }) => {
    const { api } = stack({ live: ['w1'] });
    const res = await api.fetch(listen(body(), { 'content-type': type }));
    expect(res.status).toBe(400);
    const json = await res.json();
    expect(json.code).toBe(code);
    expect(json.error).toContain(error);
  });

  it('answers 400 MISSING_PARAMETER for multipart without an audio file', async () => {
    const { api } = stack({ live: ['w1'] });
    const form = new FormData();
    form.append('audio', 'not a file');
    const res = await api.fetch(listen(form));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: "Missing parameter 'audio': expected a file field named 'audio'", code: 'MISSING_PARAMETER' });
  });

  it.each([
    { name: 'text/plain', type: 'text/plain' },
    { name: 'form-urlencoded (curl -d)', type: 'application/x-www-form-urlencoded' },
  ])('answers 415 UNSUPPORTED_FORMAT for $name', async ({ type }) => {
    const { api } = stack({ live: ['w1'] });
    const res = await api.fetch(listen('hello', { 'content-type': type }));
    expect(res.status).toBe(415);
    expect((await res.json()).code).toBe('UNSUPPORTED_FORMAT');
  });

  it('answers 422 for a Content-Length over the limit without reading the body', async () => {
    const { api } = stack({ live: ['w1'] });
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        controller.enqueue(new Uint8Array(1024 * 1024));
      },
    });
    const request = new Request('http://api.test/v1/listen', {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'audio/wav', 'content-length': String(200 * 1024 * 1024) },
      body,
      duplex: 'half',
    } as RequestInit);
    const res = await api.fetch(request);
    expect(res.status).toBe(422);
    expect(await res.json()).toEqual({ error: `File is larger than the limit of ${100 * 1024 * 1024} bytes`, code: 'FILE_TOO_LARGE' });
    expect(pulls).toBeLessThanOrEqual(1); // the stream's own prefetch, never consumed
  });

  it('answers 422 for a chunked body as soon as it passes the limit', async () => {
    const { api } = stack({ live: ['w1'] }, { maxBodyBytes: 10_000 });
    let pulls = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++;
        if (pulls > 1_000) controller.close();
        else controller.enqueue(new Uint8Array(4_000));
      },
    });
    const request = new Request('http://api.test/v1/listen', {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'audio/wav' },
      body,
      duplex: 'half',
    } as RequestInit);
    const res = await api.fetch(request);
    expect(res.status).toBe(422);
    expect((await res.json()).code).toBe('FILE_TOO_LARGE');
    expect(pulls).toBeLessThanOrEqual(5);
  });

  it.each([
    { name: 'no worker is registered', spec: {} },
    { name: 'every worker is unready', spec: { live: ['w1'] }, unready: ['w1'] },
    { name: 'every worker is draining', spec: { live: ['w1'] }, draining: ['w1'] },
  ])('answers 503 SERVICE_UNAVAILABLE with retry_after when $name', async ({ spec, unready = [], draining = [] }) => {
    const { api } = stack(spec, { retryAfterSeconds: 7 });
    for (const id of unready) api.workers.setReady(id, false);
    for (const id of draining) void api.workers.markDraining(id);
    const res = await api.fetch(listen(makeWav(1)));
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(await res.json()).toEqual({ error: 'No worker is ready', code: 'SERVICE_UNAVAILABLE', retry_after: 7 });
  });

  it('routes each request to the worker with the fewest in-flight requests', async () => {
    const manual = createManualSleep();
    const slow = (): WorkerApp => createWorkerApp({ clock: systemClock, modelLoadMs: 0, rtf: 1, overheadMs: 0, sleep: manual.sleep, defaultMetrics: false });
    const { api } = stack({ apps: { a: slow(), b: slow(), c: slow() } });
    const pending = Array.from({ length: 6 }, () => api.fetch(listen(makeWav(1))));
    await manual.waitForPending(6);
    expect(api.workers.list().map((w) => w.inFlight)).toEqual([2, 2, 2]);
    manual.releaseAll();
    const statuses = await Promise.all(pending.map(async (p) => (await p).status));
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    expect(api.workers.list().map((w) => w.inFlight)).toEqual([0, 0, 0]);
  });

  it('retries once on another worker when the first refuses the connection', async () => {
    const { api } = stack({ dead: ['dead'], live: ['live'] });
    const results = await Promise.all([1, 2, 3, 4].map(async () => (await api.fetch(listen(makeWav(1)))).status));
    expect(results).toEqual([200, 200, 200, 200]);
    expect(api.stats().retries).toBeGreaterThan(0);
    expect(api.workers.get('dead')?.inFlight).toBe(0);
  });

  it('retries once on another worker when the first answers 503 (still loading)', async () => {
    const loading = createWorkerApp({ clock: systemClock, modelLoadMs: 60_000, sleep: createManualSleep().sleep, defaultMetrics: false });
    const { api } = stack({ apps: { loading }, live: ['live'] });
    const results = await Promise.all([1, 2].map(async () => (await api.fetch(listen(makeWav(1)))).status));
    expect(results).toEqual([200, 200]);
  });

  it('answers 502 WORKER_ERROR when no worker can take the request', async () => {
    const { api } = stack({ dead: ['d1', 'd2'] });
    const res = await api.fetch(listen(makeWav(1)));
    expect(res.status).toBe(502);
    const json = await res.json();
    expect(json.code).toBe('WORKER_ERROR');
    expect(json.error).toContain('No worker could take the request: Request to http://127.0.0.1');
  });
});

describe('createApiServerApp() other routes', () => {
  it.each([
    { name: 'healthy with a ready worker', spec: { live: ['w1'] }, status: 200, body: { status: 'healthy' } },
    { name: 'unhealthy without a ready worker', spec: {}, status: 503, body: { status: 'unhealthy', reason: 'no ready worker' } },
  ])('GET /health is $name', async ({ spec, status, body }) => {
    const { api } = stack(spec);
    const res = await api.fetch(new Request('http://api.test/health'));
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(body);
  });

  it('GET /metrics counts requests by status and code, and exposes in-flight gauges', async () => {
    const { api } = stack({ live: ['w1'] });
    await api.fetch(listen(makeWav(1)));
    await api.fetch(listen(makeWav(1), { authorization: 'Token nope' }));
    const text = await (await api.fetch(new Request('http://api.test/metrics'))).text();
    expect(text).toContain('api_server_requests_total{status="200",code="OK"} 1');
    expect(text).toContain('api_server_requests_total{status="401",code="INVALID_LICENSE"} 1');
    expect(text).toContain('# TYPE api_server_request_duration_seconds histogram');
    expect(text).toContain('api_server_requests_in_flight 0');
    expect(text).toContain('api_server_worker_requests_in_flight{worker="w1"} 0');
    expect(text).toContain('api_server_workers{state="ready"} 1');
  });

  it.each([
    { name: 'GET /v1/listen is 405', request: new Request('http://api.test/v1/listen'), status: 405, code: 'METHOD_NOT_ALLOWED' },
    { name: 'an unknown path is 404', request: new Request('http://api.test/v2/other'), status: 404, code: 'NOT_FOUND' },
  ])('$name', async ({ request, status, code }) => {
    const { api } = stack({ live: ['w1'] });
    const res = await api.fetch(request);
    expect(res.status).toBe(status);
    expect((await res.json()).code).toBe(code);
  });

  it('throws RangeError for an empty token', () => {
    expect(() => createApiServerApp({ clock: systemClock, token: '', defaultMetrics: false })).toThrow(
      "Cannot create the API server as 'token' must be a non-empty string: got ''",
    );
  });
});

describe('createApiServerApp() shutdown', () => {
  it('refuses new requests, lets in-flight ones finish, then reports none aborted', async () => {
    const manual = createManualSleep();
    const worker = createWorkerApp({ clock: systemClock, modelLoadMs: 0, rtf: 1, overheadMs: 0, sleep: manual.sleep, defaultMetrics: false });
    const { api } = stack({ apps: { w: worker } });
    const inFlight = api.fetch(listen(makeWav(1)));
    await manual.waitForPending(1);
    const stopped = api.shutdown({ graceMs: 5_000 });
    const late = await api.fetch(listen(makeWav(1)));
    expect(late.status).toBe(503);
    expect((await late.json()).error).toBe('API server is shutting down');
    const health = await api.fetch(new Request('http://api.test/health'));
    expect(await health.json()).toEqual({ status: 'unhealthy', reason: 'shutting down' });
    manual.releaseAll();
    expect((await inFlight).status).toBe(200);
    expect(await stopped).toBe(0);
  });

  it('aborts requests still in flight after the grace period and answers them 503', async () => {
    const manual = createManualSleep();
    const worker = createWorkerApp({ clock: systemClock, modelLoadMs: 0, rtf: 1, overheadMs: 0, sleep: manual.sleep, defaultMetrics: false });
    const { api } = stack({ apps: { w: worker } });
    const inFlight = api.fetch(listen(makeWav(1)));
    await manual.waitForPending(1);
    expect(await api.shutdown({ graceMs: 10 })).toBe(1);
    const res = await inFlight;
    expect(res.status).toBe(503);
    expect((await res.json()).error).toBe('API server stopped before the worker answered');
  });
});
