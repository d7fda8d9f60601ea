import { describe, expect, it } from 'vitest';
import { KubeStatusError, toResponse } from './app.js';
import { badRequestStatus, RESOURCE_NOT_FOUND_STATUS } from './kube-status.js';

describe('toResponse() of the adapter', () => {
  it.each([
    { name: 'a KubeStatusError as its Status', error: new KubeStatusError(RESOURCE_NOT_FOUND_STATUS), code: 404, reason: 'NotFound', message: 'the server could not find the requested resource' },
    { name: 'a BadRequest Status', error: new KubeStatusError(badRequestStatus('unable to parse requirement')), code: 400, reason: 'BadRequest', message: 'unable to parse requirement' },
    { name: 'any other error as a 500 Status with no reason', error: new Error('boom'), code: 500, reason: undefined, message: 'internal error: boom' },
  ])('answers $name', async ({ error, code, reason, message }) => {
    const res = toResponse(error);
    const body = (await res.json()) as Record<string, unknown>;
    expect([res.status, res.headers.get('content-type'), body['kind'], body['code'], body['reason'], body['message']]).toEqual([
      code,
      'application/json',
      'Status',
      code,
      reason,
      message,
    ]);
  });

  it('indents the Status for ?pretty=true', async () => {
    const text = await toResponse(new KubeStatusError(RESOURCE_NOT_FOUND_STATUS, { pretty: true })).text();
    expect(text.startsWith('{\n  "kind": "Status"')).toBe(true);
  });
});
