import { Counter, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { createRegistryApp, serveRegistry } from './registry-server.js';

function registry(): Registry {
  const r = new Registry();
  new Counter({ name: 'demo_total', help: 'A demo counter.', registers: [r] }).inc(3);
  return r;
}

describe('createRegistryApp()', () => {
  it.each([
    { name: 'the exposition on GET /metrics', path: '/metrics', method: 'GET', status: 200, body: 'demo_total 3' },
    { name: '404 for another path', path: '/other', method: 'GET', status: 404, body: 'not found\n' },
    { name: '404 for another method', path: '/metrics', method: 'POST', status: 404, body: 'not found\n' },
  ])('answers $name', async ({ path, method, status, body }) => {
    const res = await createRegistryApp(registry()).request(path, { method });
    expect(res.status).toBe(status);
    expect(await res.text()).toContain(body);
  });
});

describe('serveRegistry()', () => {
  it('serves on 127.0.0.1 as a scrape target', async () => {
    const s = await serveRegistry(registry());
    try {
      expect(s.address).toBe(`127.0.0.1:${s.port}`);
      const res = await fetch(s.url);
      expect(res.headers.get('content-type')).toContain('text/plain');
      expect(await res.text()).toContain('# HELP demo_total A demo counter.');
    } finally {
      await s.close();
    }
  });
});
