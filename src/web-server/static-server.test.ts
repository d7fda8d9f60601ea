import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createStaticApp } from './static-server.js';

const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-static-'));
mkdirSync(join(dir, 'page', 'assets'), { recursive: true });
writeFileSync(join(dir, 'page', 'index.html'), '<!doctype html><title>page</title>');
writeFileSync(join(dir, 'page', 'assets', 'a.js'), 'export {}');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('createStaticApp() in process', () => {
  const app = createStaticApp({ root: join(dir, 'page') });

  it.each([
    { path: '/', method: 'GET', status: 200, cache: 'no-cache', body: '<!doctype html><title>page</title>' },
    { path: '/assets/a.js', method: 'GET', status: 200, cache: 'public, max-age=31536000, immutable', body: 'export {}' },
    { path: '/assets/a.js', method: 'HEAD', status: 200, cache: 'public, max-age=31536000, immutable', body: '' },
    { path: '/missing.js', method: 'GET', status: 404, cache: 'no-store', body: 'Not found: /missing.js\n' },
    { path: '/index.html', method: 'DELETE', status: 405, cache: 'no-store', body: 'Method not allowed: this server only serves the page\n' },
  ])('$method $path → $status', async ({ path, method, status, cache, body }) => {
    const res = await app.request(path, { method });
    expect([res.status, res.headers.get('cache-control'), await res.text()]).toEqual([status, cache, body]);
  });

  it('answers HEAD with the length of the file and no body', async () => {
    const res = await app.request('/assets/a.js', { method: 'HEAD' });
    expect(res.headers.get('content-length')).toBe('9');
  });

  it('answers 500 when the page cannot be opened on the file', async () => {
    const failing = createStaticApp({ root: join(dir, 'page'), initialHash: () => Promise.reject(new Error('no such file')) });
    const res = await failing.request('/');
    expect([res.status, await res.text()]).toEqual([500, 'Cannot open the page on the file: no such file\n']);
  });
});
