import { describe, expect, it } from 'vitest';
import { createStatusApp } from './status-server.js';

const get = (path: string, method = 'GET') => new Request(`http://status.test${path}`, { method });

/** Calls the app in process; the answer as status, content type and body text. */
const call = (getStatus: () => Promise<unknown>) => async (request: Request) => {
  const res = await createStatusApp(getStatus).request(request);
  return { status: res.status, headers: { 'content-type': res.headers.get('content-type') ?? '' }, body: await res.text() };
};

describe('createStatusApp()', () => {
  it.each([
    { name: 'answers the status as JSON on GET /status', path: '/status', method: 'GET', status: 200, body: { hpas: [] } },
    { name: 'answers GET /health', path: '/health', method: 'GET', status: 200, body: { status: 'ok' } },
    { name: 'answers 404 for another path', path: '/nope', method: 'GET', status: 404, body: { error: 'No route for GET /nope: try /status' } },
    { name: 'answers 405 for POST', path: '/status', method: 'POST', status: 405, body: { error: 'Use GET for /status' } },
  ])('$name', async ({ path, method, status, body }) => {
    const res = await call(async () => ({ hpas: [] }))(get(path, method));
    expect(res.status).toBe(status);
    expect(res.headers['content-type']).toContain('application/json');
    expect(JSON.parse(String(res.body))).toEqual(body);
  });

  it('answers 500 with the message when the status cannot be made', async () => {
    const res = await call(() => Promise.reject(new Error('pool closed')))(get('/status'));
    expect([res.status, JSON.parse(String(res.body))]).toEqual([500, { error: 'pool closed' }]);
  });
});
