import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { httpRequest, jsonResponse, readBodyLimited, serveApp, type LoopbackServer } from '../../src/platform/index.js';
import { pause } from './stack-fixture.js';

describe('serveApp() on 127.0.0.1', () => {
  let server: LoopbackServer | undefined;
  afterEach(async () => {
    await server?.close({ timeoutMs: 1_000 });
    server = undefined;
  });

  it('binds 127.0.0.1 and hands the handler method, URL, headers and the whole body', async () => {
    server = await serveApp(async (r) => {
      const body = await readBodyLimited(r, { maxBytes: 1e6 });
      return jsonResponse({ method: r.method, url: r.url, type: r.headers.get('content-type'), bytes: body.ok ? body.totalBytes : -1 });
    });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const r = await httpRequest(`${server.url}/x?y=1`, { method: 'POST', headers: { 'content-type': 'audio/wav' }, body: new Uint8Array(300_000) });
    expect(JSON.parse(r.body.toString())).toEqual({ method: 'POST', url: `${server.url}/x?y=1`, type: 'audio/wav', bytes: 300_000 });
  });

  it('keeps the connection alive after a fully read body', async () => {
    server = await serveApp(async (r) => {
      await readBodyLimited(r, { maxBytes: 1e6 });
      return jsonResponse({ ok: true });
    });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const sockets = new Set<unknown>();
    server.server.on('connection', (s) => sockets.add(s));
    for (let i = 0; i < 3; i++) {
      const r = await httpRequest(server.url, { method: 'POST', body: new Uint8Array(10_000), agent });
      expect(r.status).toBe(200);
    }
    agent.destroy();
    expect(sockets.size).toBe(1);
  });

  it('answers early without reading a large upload, and closes that connection', async () => {
    server = await serveApp(async () => jsonResponse({ error: 'no' }, 401));
    const total = 64 * 1024 * 1024;
    const result = await new Promise<{ status: number; sent: number; connection: string | undefined }>((resolve, reject) => {
      let sent = 0;
      const req = request(`${server?.url}/`, { method: 'POST', headers: { 'content-length': String(total) } }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, sent, connection: res.headers.connection }));
      });
      req.on('error', reject);
      const chunk = Buffer.alloc(1024 * 1024);
      const pump = (): void => {
        while (sent < total) {
          sent += chunk.byteLength;
          if (!req.write(chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        req.end();
      };
      pump();
    });
    expect(result.status).toBe(401);
    expect(result.connection).toBe('close');
    expect(result.sent).toBeLessThan(total);
  });

  it('aborts the request signal when the client goes away and forgets the request', async () => {
    let aborted: Promise<boolean> | undefined;
    server = await serveApp(async (r) => {
      aborted = new Promise((resolve) => r.signal.addEventListener('abort', () => resolve(true)));
      await aborted;
      return jsonResponse({});
    });
    const controller = new AbortController();
    const pending = httpRequest(server.url, { signal: controller.signal }).catch((e: Error) => e.message);
    for (let i = 0; i < 200 && aborted === undefined; i++) await pause(5);
    controller.abort();
    expect(await pending).toBe('Request aborted');
    expect(await aborted).toBe(true);
    // The handler's late answer is dropped and the request stops counting as pending.
    for (let i = 0; i < 400 && server.pending > 0; i++) await pause(5);
    expect(server.pending).toBe(0);
  });

  it('close() waits for answers in progress, then closes', async () => {
    server = await serveApp(async () => {
      await pause(200);
      return jsonResponse({ late: true });
    });
    const pending = httpRequest(server.url);
    for (let i = 0; i < 400 && server.pending === 0; i++) await pause(5);
    expect(server.pending).toBe(1);
    await server.close();
    const r = await pending;
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body.toString())).toEqual({ late: true });
    await expect(httpRequest(server.url)).rejects.toMatchObject({ phase: 'connect' });
  });
});
