/**
 * The full local stack serving the Kubernetes API: kubectl sees its HPA, Deployment and Pods,
 * sees a scale-up under load, and its writes change the world (scale is corrected by the HPA,
 * a patched HPA is used at the next sync, a deleted pod is replaced).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT, HPA } from '../../src/kube/index.js';
import type { Stack } from '../../src/stack/index.js';
import { makeWav } from '../../src/workload/audio/make-wav.js';
import { runLoad } from '../../src/workload/load/run-load.js';
import { startTestStack, testHpa, TOKEN, waitFor } from '../stack/stack-fixture.js';
import { HAS_KUBECTL, kubectl, NO_KUBECTL_REASON, serveWithKubeconfig } from './kube-fixture.js';
import { kubeconfigText } from '../../src/kube/index.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

if (!HAS_KUBECTL) console.warn(NO_KUBECTL_REASON);
void serveWithKubeconfig;

describe.skipIf(!HAS_KUBECTL)('the local stack is a small Kubernetes API (real kubectl)', () => {
  let stack: Stack;
  let kubeconfig: string;
  const run = (...args: string[]) => kubectl(kubeconfig, args);
  const hpaRow = async (): Promise<string[]> => ((await run('get', 'hpa', '-n', 'smallest', '--no-headers')).stdout.trim().split(/\s+/));

  beforeAll(async () => {
    const hpa = testHpa({ maxReplicas: 4 });
    stack = await startTestStack({ hpas: [{ ...hpa, metadata: { ...hpa.metadata, namespace: 'smallest' } }], kubeApi: { port: 0 } });
    const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-kube-stack-'));
    kubeconfig = join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, kubeconfigText({ server: stack.kube?.url ?? '', token: TOKEN, namespace: 'smallest' }));
    await waitFor(async () => (await stack.pool.listPods()).some((p) => p.ready?.status === 'True'), 'the first worker to be ready');
  }, 30_000);
  afterAll(async () => {
    await stack?.stop({ graceMs: 2_000 });
  });

  it('kubectl sees the HPA, its status from the controller, the Deployment and the pods with app=lightning-asr', async () => {
    await waitFor(async () => (await hpaRow())[2] !== '<unknown>/5', 'a first metric in the HPA status');
    const row = await hpaRow();
    expect(row.slice(0, 2)).toEqual(['lightning-asr', 'Deployment/lightning-asr']);
    expect(row[2]).toMatch(/^\d+(\.\d+|m)?\/5$/);
    const readyPod = /^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE\nlightning-asr-\S+\s+1\/1\s+Running\s+0\s+/;
    await waitFor(async () => readyPod.test((await run('get', 'pods', '-l', 'app=lightning-asr')).stdout), 'kubectl get pods to show the ready worker');
    const raw = await run('get', '--raw', '/apis/custom.metrics.k8s.io/v1beta1/namespaces/smallest/pods/*/asr_active_requests');
    expect(JSON.parse(raw.stdout)).toMatchObject({ kind: 'MetricValueList', items: [{ metricName: 'asr_active_requests' }] });
    const describe = await run('describe', 'hpa', 'lightning-asr');
    expect(describe.stdout).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
    const o = stack.kube?.store.get(HPA, 'smallest', 'lightning-asr');
    expect((o?.status as { observedGeneration?: number } | undefined)?.observedGeneration).toBe(1);
  }, 30_000);

  it('kubectl get hpa -w shows a scale-up under load, and describe shows the SuccessfulRescale event', async () => {
    // The watch ends by itself after 12 s (kubectl's request timeout), by then the HPA has scaled up.
    const watching = kubectl(kubeconfig, ['get', 'hpa', '-w', '--request-timeout=12s'], { timeoutMs: 20_000 });
    const load = runLoad({ url: `${stack.api.url}/v1/listen`, token: TOKEN, audio: makeWav(1), durationMs: 5_000, concurrency: 16 });
    await waitFor(async () => (await stack.pool.getScale()).specReplicas >= 2, 'the pool to scale up', 12_000);
    await load;
    const rows = (await watching).stdout.trim().split('\n').filter((l) => l.startsWith('lightning-asr'));
    const replicas = rows.map((r) => Number(r.split(/\s+/)[5]));
    expect(replicas[0]).toBe(1);
    expect(Math.max(...replicas)).toBeGreaterThanOrEqual(2);
    const describe = await run('describe', 'hpa', 'lightning-asr');
    expect(describe.stdout).toMatch(/Normal\s+SuccessfulRescale\s+\S+\s+horizontal-pod-autoscaler\s+New size: \d+; reason: pods metric asr_active_requests above target/);
  }, 40_000);

  it('kubectl patch hpa changes the spec the controller uses (observedGeneration follows), kubectl scale is corrected by the HPA', async () => {
    const patched = await run('patch', 'hpa', 'lightning-asr', '-p', '{"spec":{"minReplicas":2}}');
    expect(patched.code).toBe(0);
    await waitFor(async () => (await stack.pool.getScale()).specReplicas >= 2 && (stack.kube?.store.get(HPA, 'smallest', 'lightning-asr').status as { observedGeneration?: number }).observedGeneration === 2, 'the controller to use minReplicas 2');
    // With no load the HPA wants minReplicas (2): a manual scale to 3 is corrected back.
    const stored = () => (stack.kube?.store.get(DEPLOYMENT, 'smallest', 'lightning-asr').spec as { replicas: number }).replicas;
    await waitFor(async () => (await stack.pool.getScale()).specReplicas === 2 && stored() === 2, 'the HPA to settle at minReplicas', 30_000);
    // Every setReplicas on the pool, from the API (kubectl scale) or from the controller.
    const calls: number[] = [];
    const pool = stack.pool as { setReplicas(n: number): Promise<void> };
    const original = pool.setReplicas.bind(pool);
    pool.setReplicas = async (n) => {
      calls.push(n);
      return original(n);
    };
    try {
      const scaled = await run('scale', 'deployment', 'lightning-asr', '--replicas=3');
      expect(scaled.code).toBe(0);
      await waitFor(async () => calls.includes(3) && calls.at(-1) === 2 && (await stack.pool.getScale()).specReplicas === 2, 'the pool to follow kubectl scale to 3, then the HPA to bring it back to 2', 30_000).catch((error: Error) => {
        throw new Error(`${error.message}: setReplicas calls ${calls.join(', ')}`);
      });
    } finally {
      pool.setReplicas = original;
    }
  }, 60_000);

  it('kubectl delete pod: the pool replaces it', async () => {
    const name = (await stack.pool.listPods()).find((p) => !p.deleting && p.ready?.status === 'True')?.name ?? '';
    const r = await run('delete', 'pod', name, '--wait=false');
    expect(r.stdout.trim()).toBe(`pod "${name}" deleted`);
    await waitFor(async () => (stack.pool.workers().find((w) => w.name === name)?.restarts ?? 0) > 0 || !(await stack.pool.listPods()).some((p) => p.name === name), 'the pool to replace the pod');
    // The worker restarts in the same pod (see the README): kubectl lists it again, its RESTARTS counted.
    await waitFor(async () => new RegExp(`^${name}\\s+\\S+\\s+\\S+\\s+[1-9]`, 'm').test((await run('get', 'pods', '-l', 'app=lightning-asr', '--no-headers')).stdout) || !(await stack.pool.listPods()).some((p) => p.name === name), 'kubectl to list the replaced pod');
  }, 30_000);
});
