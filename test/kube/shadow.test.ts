import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { connectCluster, createShadow } from '../../src/kube/client/index.js';
import { startFakeKubeApi, type RunningFake } from './fake-kube-api.js';
import { asrWorld } from './worlds.js';

function fakeIo() {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, out: () => stdout, err: () => stderr };
}

let fake: RunningFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('hpa-lab shadow --cluster', () => {
  it('mirror --once: our decision next to the live one, never writing /scale', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const f = fakeIo();
    expect(await main(['shadow', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', '--once'], f.io)).toBe(0);
    const lines = f.out().trim().split('\n');
    expect(lines[1]).toMatch(/^NAMESPACE\s+NAME\s+MODE\s+CURRENT\s+OURS\s+LIVE\s+AGREE\s+REASON$/);
    expect(lines[2]).toMatch(/^smallest\s+lightning-asr\s+mirror\s+2\s+3\s+2\s+NO\s+pods metric asr_active_requests above target$/);
  });

  it('candidate --once runs another spec on the same metrics', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-shadow-'));
    const spec = join(dir, 'hpa.yaml');
    writeFileSync(spec, `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: lightning-asr}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: lightning-asr}
  minReplicas: 1
  maxReplicas: 10
  metrics:
  - type: Pods
    pods: {metric: {name: asr_active_requests}, target: {type: AverageValue, averageValue: "2"}}
`);
    const f = fakeIo();
    expect(await main(['shadow', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', '--spec', spec, '--once', '--json'], f.io)).toBe(0);
    const s = JSON.parse(f.out());
    // 12 active requests / 2 per pod = 6, capped by the no-behavior scale-up limit max(2×2, 4) = 4
    expect(s.results[0]).toMatchObject({ name: 'lightning-asr', mode: 'candidate', ourDesiredReplicas: 4, liveDesiredReplicas: 2, agree: null });
  });

  it('keeps state across syncs, counts agreement, serves Prometheus metrics and emits events when asked', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const client = connectCluster({ kubeconfig: fake.kubeconfig, namespace: 'smallest' });
    const shadow = createShadow(client, { namespace: 'smallest', mode: 'mirror', emitEvents: true, now: () => Date.now() });
    await shadow.syncOnce();
    await shadow.syncOnce();
    const text = await shadow.registry.metrics();
    expect(text).toContain('hpa_lab_shadow_desired_replicas{namespace="smallest",hpa="lightning-asr",mode="mirror"} 3');
    expect(text).toContain('hpa_lab_shadow_disagreements_total{namespace="smallest",hpa="lightning-asr"} 2');
    const events = fake.world.objects.filter((o) => o.kind === 'Event');
    expect(events).toHaveLength(1); // only when our decision changes
    expect(events[0].reason).toBe('ShadowPrediction');
    expect(events[0].involvedObject).toMatchObject({ kind: 'HorizontalPodAutoscaler', name: 'lightning-asr' });
    client.close();
  });

  it('goes on through API errors and reports them (exit 1 with --once)', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now(), { faults: [{ prefix: '/apis/custom.metrics.k8s.io', status: 503, message: 'service unavailable' }] }));
    const client = connectCluster({ kubeconfig: fake.kubeconfig, retries: 0 });
    const shadow = createShadow(client, { namespace: 'smallest', mode: 'mirror', now: () => Date.now() });
    const s1 = await shadow.syncOnce();
    expect(s1.results[0]?.errors[0]).toMatch(/the custom metrics API .* is registered but unavailable \(503\)/);
    fake.world.faults = [];
    const s2 = await shadow.syncOnce();
    expect(s2.results[0]?.errors).toEqual([]);
    expect(s2.results[0]?.ourDesiredReplicas).toBe(3);
    expect(await shadow.registry.metrics()).toContain('hpa_lab_shadow_api_errors_total{code="unavailable"} 1');
    client.close();
    fake.world.faults = [{ prefix: '/apis/autoscaling', status: 403 }];
    const f = fakeIo();
    expect(await main(['shadow', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', '--once'], f.io)).toBe(1);
    expect(f.out()).toMatch(/! context 'fake': cannot read horizontalpodautoscalers in namespace smallest: RBAC denies it/);
  });

  it.each([
    { args: ['shadow'], want: /shadow reads a cluster/ },
    { args: ['shadow', '--cluster', '--sync-period', 'often'], want: /'--sync-period' must be a duration/ },
    { args: ['shadow', '--cluster', '--metrics-port', 'x'], want: /'--metrics-port' must be a port number/ },
  ])('exits 2 for $args', async ({ args, want }) => {
    const f = fakeIo();
    expect(await main(args, f.io)).toBe(2);
    expect(f.err()).toMatch(want);
  });
});
