import { describe, expect, it } from 'vitest';
import { ApiError, toResponse } from './api-error.js';

describe('toResponse()', () => {
  it.each([
    { name: 'maps MISSING_PARAMETER to 400', error: new ApiError('MISSING_PARAMETER', 'no url'), status: 400, body: { error: 'no url', code: 'MISSING_PARAMETER' } },
    { name: 'maps INVALID_LICENSE to 401', error: new ApiError('INVALID_LICENSE', 'bad key'), status: 401, body: { error: 'bad key', code: 'INVALID_LICENSE' } },
    { name: 'maps UNSUPPORTED_FORMAT to 415', error: new ApiError('UNSUPPORTED_FORMAT', 'text'), status: 415, body: { error: 'text', code: 'UNSUPPORTED_FORMAT' } },
    { name: 'maps FILE_TOO_LARGE to 422', error: new ApiError('FILE_TOO_LARGE', 'big'), status: 422, body: { error: 'big', code: 'FILE_TOO_LARGE' } },
    {
      name: 'adds retry_after to a 503',
      error: new ApiError('SERVICE_UNAVAILABLE', 'none', { retryAfterSeconds: 5 }),
      status: 503,
      body: { error: 'none', code: 'SERVICE_UNAVAILABLE', retry_after: 5 },
    },
    { name: 'turns any other error into a 500', error: new TypeError('boom'), status: 500, body: { error: 'Internal error: boom', code: 'INTERNAL' } },
  ])('$name', async ({ error, status, body }) => {
    const res = toResponse(error);
    expect(res.status).toBe(status);
    expect(JSON.parse(res.body as string)).toEqual(body);
  });

  it('sets the Retry-After header for a 503', () => {
    expect(toResponse(new ApiError('SERVICE_UNAVAILABLE', 'x', { retryAfterSeconds: 7 })).headers['retry-after']).toBe('7');
  });
});
