import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

function fakeIo() {
  let out = '';
  let err = '';
  return { io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } }, out: () => out, err: () => err };
}

describe('hpa-lab size', () => {
  it('prints the model target and the speed table without simulating', async () => {
    const f = fakeIo();
    const code = await main(['size', '--service-time', '1s', '--distribution', 'exponential', '--concurrency', '8', '--slo', 'p95=5s', '--no-simulate'], f.io);
    expect(code).toBe(0);
    expect(f.out()).toContain('targetActiveRequests: 13 ');
    expect(f.out()).toContain('M/G/8');
    expect(f.out()).toMatch(/× 1\.5 +1\.50 s +7 /);
  });

  it('checks the target by simulation (JSON)', async () => {
    const f = fakeIo();
    const code = await main(['size', '--service-time', '2s', '--concurrency', '8', '--slo', 'p95=5s', '--json'], f.io);
    expect(code).toBe(0);
    const r = JSON.parse(f.out()) as { target: number; confirmedTarget: number; simulation: { target: number; latencyP95Seconds: number }[] };
    expect(r.target).toBe(8);
    expect(r.confirmedTarget).toBe(8);
    expect(r.simulation[0]!.latencyP95Seconds).toBeLessThanOrEqual(5);
  });

  it.each([
    { name: 'a bad SLO', argv: ['--slo', 'fast'], message: "'--slo' must be a percentile and a duration such as 'p95=5s' or 'p99=800ms': got 'fast'" },
    { name: 'a zero concurrency', argv: ['--concurrency', '0'], message: "'--concurrency' must be an integer from 1 to 10000: got '0'" },
    { name: 'an unknown distribution', argv: ['--distribution', 'pareto'], message: "'--distribution' must be one of lognormal, exponential, fixed: got 'pareto'" },
  ])('exits 2 on $name', async ({ argv, message }) => {
    const f = fakeIo();
    expect(await main(['size', ...argv, '--no-simulate'], f.io)).toBe(2);
    expect(f.err()).toContain(message);
  });
});
