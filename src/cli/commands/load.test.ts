import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';
import { formatLoadReport } from './load.js';

describe('formatLoadReport()', () => {
  it('prints hey\'s sections: summary, histogram, percentiles, status codes and errors', () => {
    const text = formatLoadReport({
      url: 'http://127.0.0.1:7100/v1/listen',
      elapsedMs: 2_000,
      requests: 5,
      ok: 3,
      throughputRps: 2,
      latency: { count: 4, minMs: 10, meanMs: 25, p50Ms: 20, p90Ms: 40, p99Ms: 40, maxMs: 40 },
      histogram: [{ upperMs: 25, count: 2 }, { upperMs: 40, count: 2 }],
      statusCodes: { '200': 3, '503': 1 },
      errors: { 'connect: ECONNREFUSED': 1 },
      aborted: false,
    });
    expect(text).toBe(
      [
        'Summary:',
        '  Total:        2.00 s',
        '  Requests:     5',
        '  Slowest:      40.0 ms',
        '  Fastest:      10.0 ms',
        '  Average:      25.0 ms',
        '  Requests/sec: 2.0',
        '',
        'Response time histogram:',
        '       25.0 ms [2]\t|■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■',
        '       40.0 ms [2]\t|■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■■',
        '',
        'Latency distribution:',
        '  50% in 20.0 ms',
        '  90% in 40.0 ms',
        '  99% in 40.0 ms',
        '',
        'Status code distribution:',
        '  [200] 3 responses',
        '  [503] 1 responses',
        '',
        'Error distribution:',
        '  [1] connect: ECONNREFUSED',
        '',
      ].join('\n'),
    );
  });
});

describe('hpa-lab load (usage)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-load-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const run = async (argv: string[]) => {
    const err: string[] = [];
    const code = await main(argv, { stdout: { write: () => true }, stderr: { write: (s: string) => err.push(s) }, cwd: dir });
    return { code, err: err.join('') };
  };

  it.each([
    { name: 'refuses a host that is not loopback', argv: ['load', 'http://example.com/v1/listen'], message: "host 'example.com' is not loopback" },
    { name: 'asks for a URL when no stack runs here', argv: ['load'], message: "missing URL: give one (http://127.0.0.1:7100/v1/listen) or start a stack here with 'hpa-lab up'" },
    { name: 'refuses a duration that is not one', argv: ['load', 'http://127.0.0.1:9/', '-z', 'soon'], message: "'--duration' must be a duration > 0 and <= 1d such as 15, 15s, 1m30s or 500ms: got 'soon'" },
    { name: 'refuses zero connections', argv: ['load', 'http://127.0.0.1:9/', '-c', '0'], message: "'--concurrency' must be an integer from 1 to 10000: got '0'" },
  ])('$name (exit 2)', async ({ argv, message }) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});
