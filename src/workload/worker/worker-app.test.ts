import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../core/index.js';
import { makeWav } from '../audio/make-wav.js';
import { serve, systemClock, type LoopbackServer as FetchServer } from '../../platform/index.js';
import { createManualSleep } from './manual-sleep.js';
import { ASR_METRIC_NAMES } from './worker-metrics.js';
import { GET_TEXT_PATH, type WorkerOptions, createWorkerApp } from './worker-app.js';

const BASE = 'http://worker.test';

function getText(body: BodyInit, contentType = 'application/octet-stream'): Request {
  return new Request(`${BASE}${GET_TEXT_PATH}`, { method: 'POST', headers: { 'content-type': contentType }, body });
}
function getTextUrl(url: string): Request {
  return getText(JSON.stringify({ url }), 'application/json');
}
async function metricValue(app: { metricsFetch(r: Request): Promise<Response> }, name: string): Promise<number> {
  const text = await (await app.metricsFetch(new Request(`${BASE}/metrics`))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return Number(line?.split(' ')[1]);
}
/** A worker whose model is loaded and whose service time passes only when the test says so. */
function manualWorker(options: Partial<WorkerOptions> = {}) {
  const manual = createManualSleep();
  const app = createWorkerApp({ clock: systemClock, modelLoadMs: 0, defaultMetrics: false, sleep: manual.sleep, ...options });
  return { app, manual };
}
/** A worker that answers at once (rtf and overhead 0). */
function instantWorker(options: Partial<WorkerOptions> = {}) {
  return createWorkerApp({ clock: systemClock, modelLoadMs: 0, rtf: 0, overheadMs: 0, defaultMetrics: false, ...options });
}

describe('createWorkerApp() /health', () => {
  it('answers 503 loading during the model load, then 200 ready, and reports the load time', async () => {
    const clock = createManualClock(0);
    const manual = createManualSleep();
    const app = createWorkerApp({ modelLoadMs: 2_000, sleep: manual.sleep, clock, defaultMetrics: false });
    const loading = await app.fetch(new Request(`${BASE}/health`));
    expect(loading.status).toBe(503);
    expect(await loading.json()).toEqual({ status: 'loading' });
    expect(manual.pending.map((p) => p.ms)).toEqual([2_000]);
    clock.advance(2_000);
    manual.releaseAll();
    await app.ready;
    const ready = await app.fetch(new Request(`${BASE}/health`));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
    expect(await metricValue(app, 'asr_model_load_time_seconds')).toBe(2);
  });

  it('refuses transcription with 503 while loading and counts it as failed', async () => {
    const manual = createManualSleep();
    const app = createWorkerApp({ clock: systemClock, modelLoadMs: 1_000, sleep: manual.sleep, defaultMetrics: false });
    const res = await app.fetch(getText(makeWav(1)));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'error', message: 'Model is loading' });
    expect(app.stats()).toMatchObject({ totalRequests: 1, failedRequests: 1 });
    expect(await metricValue(app, 'asr_gpu_memory_used_bytes')).toBe(0);
  });
});

describe('createWorkerApp() get_text', () => {
  it('answers the documented shape for a WAV body', async () => {
    const res = await instantWorker().fetch(getText(makeWav(2)));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      status: 'success',
      transcription: 'this is a synthetic transcript',
      words: [
        { word: 'this', start: 0, end: 0.4 },
        { word: 'is', start: 0.4, end: 0.8 },
        { word: 'a', start: 0.8, end: 1.2 },
        { word: 'synthetic', start: 1.2, end: 1.6 },
        { word: 'transcript', start: 1.6, end: 2 },
      ],
      metadata: { duration: 2, fileSize: 64_044 },
    });
  });

  it.each([
    { name: 'waits duration × rtf + overhead for a 10 s WAV', body: makeWav(10), rtf: 0.1, overheadMs: 50, waitMs: 1_050 },
    { name: 'uses byteLength / 32000 for a raw body', body: new Uint8Array(32_000 * 3), rtf: 0.5, overheadMs: 0, waitMs: 1_500 },
    { name: 'waits only the overhead at rtf 0', body: makeWav(5), rtf: 0, overheadMs: 20, waitMs: 20 },
  ])('$name', async ({ body, rtf, overheadMs, waitMs }) => {
    const { app, manual } = manualWorker({ rtf, overheadMs });
    const pending = app.fetch(getText(body));
    await manual.waitForPending(1);
    expect(manual.pending[0]?.ms).toBeCloseTo(waitMs, 6);
    manual.releaseAll();
    expect((await pending).status).toBe(200);
  });

  it('serves at most maxConcurrency at once and queues the rest first-in first-out', async () => {
    const { app, manual } = manualWorker({ maxConcurrency: 2, rtf: 1, overheadMs: 0 });
    const finished: number[] = [];
    const requests = [1, 2, 3, 4].map((s) =>
      app.fetch(getText(makeWav(s))).then(async (r) => finished.push((await r.json()).metadata.duration)),
    );
    await manual.waitForPending(2);
    expect(app.stats()).toMatchObject({ activeRequests: 4, inService: 2, queued: 2 });
    expect(await metricValue(app, 'asr_active_requests')).toBe(4);
    expect(await metricValue(app, 'asr_gpu_utilization')).toBe(100);
    expect(await metricValue(app, 'asr_gpu_memory_used_bytes')).toBe(4_000_000_000 + 2 * 500_000_000);
    // Finish the two in service; the queue must hand slots to 3 then 4.
    manual.releaseAll();
    await manual.waitForPending(2);
    expect(manual.pending.map((p) => p.ms)).toEqual([3_000, 4_000]);
    manual.releaseAll();
    await Promise.all(requests);
    expect(finished.slice(0, 2).sort()).toEqual([1, 2]);
    expect(app.stats()).toMatchObject({ activeRequests: 0, totalRequests: 4, failedRequests: 0 });
    expect(await metricValue(app, 'asr_gpu_utilization')).toBe(0);
  });

  describe('with JSON {url}', () => {
    let dir: string;
    let outside: string;
    let wavPath: string;
    let audioServer: FetchServer;
    let origin: string;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'hpa-lab-worker-'));
      outside = await mkdtemp(join(tmpdir(), 'hpa-lab-outside-'));
      wavPath = join(dir, 'three.wav');
      await writeFile(wavPath, makeWav(3));
      await writeFile(join(outside, 'secret.wav'), makeWav(1));
      await symlink(join(outside, 'secret.wav'), join(dir, 'link.wav'));
      await mkdir(join(dir, 'sub.wav'));
      execFileSync('mkfifo', [join(dir, 'fifo.wav')]);
      const lying = makeWav(0.05);
      new DataView(lying.buffer).setUint32(28, 1, true); // byteRate = 1: 1,600 bytes would claim 1,600 s
      await writeFile(join(dir, 'lying.wav'), lying);
      audioServer = await serve({ fetch: (r) => {
        const path = new URL(r.url).pathname;
        if (path === '/audio/a.wav' || path === '/a.wav') return new Response(makeWav(1.5));
        if (path === '/audio/redirect.wav') return new Response(null, { status: 302, headers: { location: '/a.wav' } });
        return new Response('nope', { status: 404 });
      } });
      origin = `${audioServer.url}/audio/`;
    });
    afterAll(async () => {
      await audioServer.close();
      await rm(dir, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    });
    const allowed = (): Partial<WorkerOptions> => ({ audioDir: dir, audioOrigin: origin });

    it.each([
      { name: 'reads a file path under --audio-dir', url: () => wavPath, duration: 3 },
      { name: 'reads a name relative to --audio-dir', url: () => 'three.wav', duration: 3 },
      { name: 'reads a file:// URL under --audio-dir', url: () => pathToFileURL(wavPath).href, duration: 3 },
      { name: 'downloads a URL under --audio-origin', url: () => `${origin}a.wav`, duration: 1.5 },
    ])('$name', async ({ url, duration }) => {
      const res = await instantWorker(allowed()).fetch(getTextUrl(url()));
      expect(res.status).toBe(200);
      expect((await res.json()).metadata.duration).toBe(duration);
    });

    it.each([
      { name: 'any URL when the operator allowed none', options: () => ({}), url: () => 'https://example.com/test-audio.wav', message: () => 'Cannot read "https://example.com/test-audio.wav": this worker reads no URL or file' },
      { name: 'any path when the operator allowed none', options: () => ({}), url: () => wavPath, message: () => `Cannot read "${wavPath}": this worker reads no URL or file` },
      { name: 'a remote URL', options: allowed, url: () => 'https://example.com/test-audio.wav', message: () => `this worker reads only files under ${dir} and URLs under ${origin}` },
      { name: 'a loopback URL outside the origin prefix', options: allowed, url: () => `${audioServer.url}/a.wav`, message: () => 'this worker reads only files under' },
      { name: 'a dot-dot escape from the origin prefix', options: allowed, url: () => `${origin}%2e%2e/a.wav`, message: () => 'this worker reads only files under' },
      { name: 'a URL with credentials', options: allowed, url: () => origin.replace('http://', 'http://u:p@'), message: () => 'this worker reads only files under' },
      { name: 'a redirect', options: allowed, url: () => `${origin}redirect.wav`, message: () => 'status 302 (redirects are not followed)' },
      { name: 'a 404 under the origin', options: allowed, url: () => `${origin}missing.wav`, message: () => 'status 404' },
      { name: 'an absolute path outside the directory', options: allowed, url: () => '/etc/shadow', message: () => 'Cannot read "/etc/shadow": this worker reads only files under' },
      { name: 'a dot-dot path', options: allowed, url: () => '../../etc/passwd', message: () => 'this worker reads only files under' },
      { name: 'a symlink out of the directory', options: allowed, url: () => join(dir, 'link.wav'), message: () => 'this worker reads only files under' },
      { name: 'a FIFO (never opened for reading, never blocks)', options: allowed, url: () => join(dir, 'fifo.wav'), message: () => 'not a regular file' },
      { name: 'a directory', options: allowed, url: () => join(dir, 'sub.wav'), message: () => 'not a regular file' },
      { name: 'a missing file', options: allowed, url: () => join(dir, 'none.wav'), message: () => 'no such file' },
      { name: 'a file whose WAV header lies', options: allowed, url: () => join(dir, 'lying.wav'), message: () => 'byteRate 1 contradicts sampleRate × blockAlign' },
      { name: 'no url', options: allowed, body: () => JSON.stringify({ file: 'x' }), message: () => "Missing 'url': expected a non-empty string" },
      { name: 'JSON that does not parse', options: allowed, body: () => '{url:', message: () => 'Cannot parse the JSON body' },
    ])('answers 400 for $name', async ({ options, url, body, message }) => {
      const app = instantWorker(options());
      const res = await app.fetch(getText(body ? body() : JSON.stringify({ url: url?.() }), 'application/json'));
      expect(res.status).toBe(400);
      const json = await res.json();
      expect(json.status).toBe('error');
      expect(json.message).toContain(message());
      expect(app.stats()).toMatchObject({ totalRequests: 1, failedRequests: 1 });
    });

    it('keeps serving file requests after a FIFO request (the thread pool is not blocked)', async () => {
      const app = instantWorker(allowed());
      for (let i = 0; i < 8; i++) expect((await app.fetch(getTextUrl(join(dir, 'fifo.wav')))).status).toBe(400);
      expect((await app.fetch(getTextUrl(wavPath))).status).toBe(200);
    });
  });

  it('answers 400 for a body whose WAV header lies', async () => {
    const lying = makeWav(0.05);
    new DataView(lying.buffer).setUint32(28, 1, true);
    const res = await instantWorker().fetch(getText(lying));
    expect(res.status).toBe(400);
    expect((await res.json()).message).toBe('Cannot read the WAV header: byteRate 1 contradicts sampleRate × blockAlign = 16000 × 2 = 32000');
  });

  it('answers 401 to a call without the worker key, and serves one with it', async () => {
    const app = instantWorker({ token: 'wk' });
    expect((await app.fetch(getText(makeWav(1)))).status).toBe(401);
    const ok = new Request(`${BASE}${GET_TEXT_PATH}`, { method: 'POST', headers: { authorization: 'Token wk' }, body: makeWav(1) });
    expect((await app.fetch(ok)).status).toBe(200);
    expect((await app.fetch(new Request(`${BASE}/health`))).status).toBe(200);
  });

  it.each([
    { name: 'a relative audio directory', options: { audioDir: 'audio' }, message: "Cannot use 'audioDir' as it must be an absolute directory: got 'audio'" },
    { name: 'a remote audio origin', options: { audioOrigin: 'http://example.com/' }, message: "Cannot use 'audioOrigin' as it must be an http URL on 127.0.0.1, localhost or ::1" },
    { name: 'an empty token', options: { token: '' }, message: "Cannot create the worker as 'token' must be a non-empty string: got ''" },
  ])('throws RangeError for $name', ({ options, message }) => {
    expect(() => instantWorker(options)).toThrow(RangeError);
    expect(() => instantWorker(options)).toThrow(message);
  });

  it.each([
    { name: 'answers 400 for an empty body', request: () => getText(new Uint8Array(0)), status: 400 },
    { name: 'answers 413 for a body over maxBodyBytes', request: () => getText(new Uint8Array(2_000)), status: 413 },
    { name: 'answers 405 for GET on get_text', request: () => new Request(`${BASE}${GET_TEXT_PATH}`), status: 405 },
    { name: 'answers 404 for an unknown path', request: () => new Request(`${BASE}/nope`), status: 404 },
  ])('$name', async ({ request, status }) => {
    const res = await instantWorker({ maxBodyBytes: 1_000 }).fetch(request());
    expect(res.status).toBe(status);
    expect((await res.json()).status).toBe('error');
  });
});

describe('createWorkerApp() drain', () => {
  it('refuses new requests, lets in-flight ones finish, and ends stopped', async () => {
    const { app, manual } = manualWorker({ rtf: 1, overheadMs: 0 });
    const inFlight = app.fetch(getText(makeWav(1)));
    await manual.waitForPending(1);
    const drained = app.drain({ graceMs: 30_000 });
    expect(app.state()).toBe('draining');
    const health = await app.fetch(new Request(`${BASE}/health`));
    expect(health.status).toBe(503);
    expect(await health.json()).toEqual({ status: 'draining' });
    const late = await app.fetch(getText(makeWav(1)));
    expect(late.status).toBe(503);
    expect(await late.json()).toEqual({ status: 'error', message: 'Worker is shutting down' });
    // Release the in-flight request's service time (the grace sleep stays pending).
    manual.pending.find((p) => p.ms === 1_000)?.resolve();
    expect((await inFlight).status).toBe(200);
    expect(await drained).toEqual({ drained: true, abandoned: 0 });
    expect(app.state()).toBe('stopped');
  });

  it('cuts off requests still running when the grace period ends and answers them 503', async () => {
    const { app, manual } = manualWorker({ rtf: 1, overheadMs: 0 });
    const inFlight = app.fetch(getText(makeWav(60)));
    await manual.waitForPending(1);
    const drained = app.drain({ graceMs: 10 });
    await manual.waitForPending(2);
    manual.pending.find((p) => p.ms === 10)?.resolve(); // the grace period passes
    expect(await drained).toEqual({ drained: false, abandoned: 1 });
    const res = await inFlight;
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: 'error', message: 'Worker stopped before finishing the request' });
    expect(app.stats()).toMatchObject({ failedRequests: 1, activeRequests: 0 });
  });

  it('rejects ready when stopped during the model load', async () => {
    const manual = createManualSleep();
    const app = createWorkerApp({ clock: systemClock, modelLoadMs: 1_000, sleep: manual.sleep, defaultMetrics: false });
    await app.drain({ graceMs: 0 });
    await expect(app.ready).rejects.toThrow();
    expect(app.state()).toBe('stopped');
  });
});

describe('createWorkerApp() /metrics', () => {
  it('exposes exactly the seven asr_* metrics with the seeds types, without a pod label', async () => {
    const app = instantWorker();
    await app.fetch(getText(makeWav(1)));
    const res = await app.metricsFetch(new Request(`${BASE}/metrics`));
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    const types = Object.fromEntries(
      [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1], m[2]]),
    );
    expect(types).toEqual({
      asr_active_requests: 'gauge',
      asr_total_requests: 'counter',
      asr_failed_requests: 'counter',
      asr_request_duration_seconds: 'histogram',
      asr_model_load_time_seconds: 'gauge',
      asr_gpu_utilization: 'gauge',
      asr_gpu_memory_used_bytes: 'gauge',
    });
    expect(Object.keys(types)).toEqual([...ASR_METRIC_NAMES]);
    expect(text).not.toContain('pod=');
    expect(text).toContain('asr_total_requests 1');
    expect(text).toContain('asr_request_duration_seconds_count 1');
  });

  it('adds the default process metrics unless told not to, on a registry of its own', async () => {
    const a = createWorkerApp({ clock: systemClock, modelLoadMs: 0 });
    const b = createWorkerApp({ clock: systemClock, modelLoadMs: 0 });
    expect(a.registry).not.toBe(b.registry);
    const text = await (await a.metricsFetch(new Request(`${BASE}/metrics`))).text();
    expect(text).toContain('# TYPE process_cpu_user_seconds_total counter');
    expect(text).toContain('# TYPE asr_active_requests gauge');
  });
});

describe('createWorkerApp() options', () => {
  it.each([
    { name: 'a negative rtf', options: { rtf: -1 }, message: "Cannot create the worker as 'rtf' must be a finite number >= 0: got -1" },
    { name: 'an infinite overhead', options: { overheadMs: Infinity }, message: "Cannot create the worker as 'overheadMs' must be a finite number >= 0: got Infinity" },
    { name: 'zero concurrency', options: { maxConcurrency: 0 }, message: "Cannot create a limiter as 'maxConcurrency' must be an integer >= 1: got 0" },
  ])('throws RangeError for $name', ({ options, message }) => {
    expect(() => createWorkerApp({ clock: systemClock, ...options, defaultMetrics: false })).toThrow(RangeError);
    expect(() => createWorkerApp({ clock: systemClock, ...options, defaultMetrics: false })).toThrow(message);
  });
});
