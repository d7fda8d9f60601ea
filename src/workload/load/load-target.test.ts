import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { parseLoopbackUrl } from './load-target.js';
import { runLoad } from './run-load.js';

describe('parseLoopbackUrl()', () => {
  it.each([
    { name: 'accepts 127.0.0.1', url: 'http://127.0.0.1:7100/v1/listen' },
    { name: 'accepts localhost', url: 'http://localhost:7100/health' },
    { name: 'accepts ::1', url: 'http://[::1]:7100/health' },
  ])('$name', ({ url }) => {
    expect(parseLoopbackUrl(url).href).toBe(url);
  });

  it.each([
    {
      name: 'a remote host',
      url: 'http://example.com/v1/listen',
      message: "Cannot load 'http://example.com/v1/listen' at 'url': host 'example.com' is not loopback: the load generator only targets 127.0.0.1, localhost or ::1",
    },
    {
      name: 'another loopback-looking address',
      url: 'http://127.0.0.2:7100/',
      message: "host '127.0.0.2' is not loopback",
    },
    { name: 'https', url: 'https://127.0.0.1/', message: "Cannot load 'https://127.0.0.1/' at 'url': protocol 'https:' is not supported: use http://" },
    { name: 'a string that is not a URL', url: 'api-server:7100', message: "protocol 'api-server:' is not supported" },
    { name: 'garbage', url: '::', message: "Cannot load '::' at 'url': not a valid URL: expected http://127.0.0.1:PORT/PATH" },
  ])('throws InputError for $name', ({ url, message }) => {
    expect(() => parseLoopbackUrl(url)).toThrow(InputError);
    expect(() => parseLoopbackUrl(url)).toThrow(message);
  });
});

describe('runLoad() options', () => {
  it.each([
    { name: 'a remote URL', options: { url: 'http://10.1.2.3/', durationMs: 100, concurrency: 1 }, message: "host '10.1.2.3' is not loopback" },
    { name: 'zero duration', options: { url: 'http://127.0.0.1:1/', durationMs: 0, concurrency: 1 }, message: "Cannot load 'load options' at 'durationMs': must be a number > 0 and <= 86400000: got 0" },
    { name: 'fractional concurrency', options: { url: 'http://127.0.0.1:1/', durationMs: 10, concurrency: 1.5 }, message: "at 'concurrency': must be an integer >= 1 and <= 10000: got 1.5" },
    { name: 'a negative rate', options: { url: 'http://127.0.0.1:1/', durationMs: 10, concurrency: 1, rps: -1 }, message: "at 'rps': must be a number > 0 and <= 100000: got -1" },
  ])('rejects $name with InputError before sending anything', async ({ options, message }) => {
    const run = runLoad(options);
    await expect(run).rejects.toThrow(InputError);
    await expect(runLoad(options)).rejects.toThrow(message);
  });
});
