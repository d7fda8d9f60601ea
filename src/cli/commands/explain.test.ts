import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

function fakeIo() {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } },
    out: () => stdout,
    err: () => stderr,
  };
}

describe('hpa-lab explain', () => {
  it('reproduces the blog at startup: CPU 600m of 500m scales 1 → 2 and the CPU curve is a staircase', async () => {
    const f = fakeIo();
    const code = await main(['explain', 'examples/blog/hpa.yaml', '--readings', 'examples/blog/readings-startup.yaml'], f.io);
    expect(code).toBe(0);
    expect(f.out()).toContain('scale 1 → 2');
    expect(f.out()).toContain('current 120% / target 90%');
    expect(f.out()).toContain('pattern: staircase');
    expect(f.out()).toContain('memory alone: fixed-point');
  });

  it('reproduces the blog at 12:20: 3 pods, memory ~1100Mi of 1350Mi holds 3 (fixed point)', async () => {
    const f = fakeIo();
    const code = await main(['explain', 'examples/blog/hpa.yaml', '--readings', 'examples/blog/readings.yaml', '--json'], f.io);
    expect(code).toBe(0);
    const data = JSON.parse(f.out()) as { hpas: { desiredReplicas: number; metrics: { current: number; proposal: number }[]; curve: { pattern: string } }[] };
    const h = data.hpas[0]!;
    expect(h.desiredReplicas).toBe(3);
    expect(h.metrics.map((m) => [m.current, m.proposal])).toEqual([
      [16, 1],
      [81, 3],
    ]);
    expect(h.curve.pattern).toBe('fixed-point');
  });

  it('reads the seeds\' Helm values: ASR 2 → 4 (legacy cap) on 12 active requests, API server follows ceil(2/2)', async () => {
    const f = fakeIo();
    const code = await main(['explain', 'examples/lightning-asr/values.yaml', '--readings', 'examples/lightning-asr/readings.yaml', '--json'], f.io);
    expect(code).toBe(0);
    const data = JSON.parse(f.out()) as { hpas: { name: string; desiredReplicas: number; events: { message: string }[] }[] };
    const asr = data.hpas.find((h) => h.name === 'lightning-asr')!;
    expect(asr.events[0]?.message).toMatch(/^New size: \d+; reason: pods metric asr_active_requests above target$/);
    expect(asr.desiredReplicas).toBeGreaterThan(2);
  });

  it.each([
    { name: 'a missing file', argv: ['explain', 'nope.yaml'], code: 2, err: "Cannot load 'nope.yaml'" },
    { name: 'a value without NAME=', argv: ['explain', 'examples/blog/hpa.yaml', '--value', 'cpu'], code: 2, err: 'must look like NAME=VALUE' },
    { name: 'a non-numeric replicas', argv: ['explain', 'examples/blog/hpa.yaml', '--replicas', 'x'], code: 2, err: "'--replicas': expected an integer 0..100000" },
    { name: 'a bad quantity', argv: ['explain', 'examples/blog/hpa.yaml', '--value', 'cpu=lots'], code: 2, err: "at 'metrics.cpu': expected a quantity" },
    { name: 'no FILE', argv: ['explain'], code: 2, err: 'missing FILE' },
  ])('exits 2 with a clear message for $name', async ({ argv, code, err }) => {
    const f = fakeIo();
    expect(await main(argv, f.io)).toBe(code);
    expect(f.err()).toContain(err);
    expect(f.err()).not.toMatch(/\n\s+at /); // no stack trace
  });
});
