import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

/** An HPA on a Pods metric (target 10) with a 1% scale-up tolerance in behavior. */
function toleranceHpaFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-explain-'));
  const file = join(dir, 'hpa.yaml');
  writeFileSync(
    file,
    [
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      'metadata: {name: web}',
      'spec:',
      '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
      '  minReplicas: 1',
      '  maxReplicas: 10',
      '  metrics:',
      '  - type: Pods',
      '    pods: {metric: {name: rps}, target: {type: AverageValue, averageValue: "10"}}',
      '  behavior:',
      '    scaleUp: {tolerance: "0.01"}',
      '',
    ].join('\n'),
  );
  return file;
}

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
    { name: 'an unsupported version', argv: ['explain', 'examples/blog/hpa.yaml', '--kubernetes-version', '1.29'], code: 2, err: "'--kubernetes-version 1.29': expected a Kubernetes version from 1.30 to 1.38" },
    { name: 'an unknown gate', argv: ['explain', 'examples/blog/hpa.yaml', '--feature-gates', 'Foo=true'], code: 2, err: "'--feature-gates Foo=true': unknown feature gate" },
    { name: 'a GA gate turned off', argv: ['explain', 'examples/blog/hpa.yaml', '--feature-gates', 'HPAConfigurableTolerance=false'], code: 2, err: 'is GA in Kubernetes 1.38' },
    { name: 'a gate not yet in the version', argv: ['explain', 'examples/blog/hpa.yaml', '--kubernetes-version', '1.31', '--feature-gates', 'PodLevelResources=true'], code: 2, err: 'does not exist in Kubernetes 1.31' },
    { name: 'a bad --compare-versions', argv: ['explain', 'examples/blog/hpa.yaml', '--compare-versions', '1.33'], code: 2, err: 'expected two versions' },
  ])('exits 2 with a clear message for $name', async ({ argv, code, err }) => {
    const f = fakeIo();
    expect(await main(argv, f.io)).toBe(code);
    expect(f.err()).toContain(err);
    expect(f.err()).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('names the version, the gates and the rule behind the tolerance', async () => {
    const f = fakeIo();
    const code = await main(['explain', toleranceHpaFile(), '--replicas', '2', '--value', 'rps=10.4', '--kubernetes-version', '1.37'], f.io);
    expect(code).toBe(0);
    expect(f.out()).toContain('Kubernetes 1.37');
    expect(f.out()).toContain('scale-up tolerance 0.01 from behavior.scaleUp.tolerance (HPAConfigurableTolerance, GA in 1.37)');
    expect(f.out()).toContain('scale 2 → 3');
  });

  it('drops behavior tolerance where the gate is off by default (1.33) and says so', async () => {
    const f = fakeIo();
    const code = await main(['explain', toleranceHpaFile(), '--replicas', '2', '--value', 'rps=10.4', '--kubernetes-version', '1.33'], f.io);
    expect(code).toBe(0);
    expect(f.out()).toContain('behavior.scaleUp.tolerance dropped (HPAConfigurableTolerance, alpha since 1.33, off by default)');
    expect(f.out()).toContain('stay at 2');
  });

  it('--compare-versions shows where two versions decide differently', async () => {
    const f = fakeIo();
    const code = await main(['explain', toleranceHpaFile(), '--replicas', '2', '--value', 'rps=10.4', '--compare-versions', '1.33,1.37'], f.io);
    expect(code).toBe(0);
    expect(f.out()).toContain('Kubernetes 1.33 against 1.37 for the same readings:');
    expect(f.out()).toContain('  1.33: stay at 2');
    expect(f.out()).toContain('  1.37: scale 2 → 3');
    const j = fakeIo();
    await main(['explain', toleranceHpaFile(), '--replicas', '2', '--value', 'rps=10.4', '--compare-versions', '1.33,1.37', '--json'], j.io);
    const data = JSON.parse(j.out()) as { hpas: { compareVersions: { kubernetesVersion: string; desiredReplicas: number }[] }[] };
    expect(data.hpas[0]!.compareVersions.map((c) => [c.kubernetesVersion, c.desiredReplicas])).toEqual([
      ['1.33', 2],
      ['1.37', 3],
    ]);
  });
});
