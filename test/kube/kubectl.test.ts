/**
 * The real kubectl against the API server over a seeded store: the seeds' verification commands,
 * apply/patch/scale, and 422s. Skipped when /usr/bin/kubectl is absent; the versioned
 * kubectl.1.27 … kubectl.1.33 beside it, when present, run the read commands too.
 */
import { existsSync } from 'node:fs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEPLOYMENT, EVENT, eventObject, HPA, hpaStatusObject, type KubeServer } from '../../src/kube/index.js';
import { HAS_KUBECTL, KUBECTL, kubectl, NO_KUBECTL_REASON, seeded, serveWithKubeconfig, type Seeded } from './kube-fixture.js';

if (!HAS_KUBECTL) console.warn(NO_KUBECTL_REASON);

const SKEW = ['1.27', '1.28', '1.29', '1.30', '1.31', '1.32', '1.33'].map((v) => `${KUBECTL}.${v}`);
const PRESENT_SKEW = SKEW.filter((b) => existsSync(b));
if (HAS_KUBECTL && PRESENT_SKEW.length === 0) console.warn(`no versioned kubectl (${SKEW[0]} … ${SKEW.at(-1)}) beside ${KUBECTL}: the version-skew check is skipped`);

const METRIC_PATH = '/apis/custom.metrics.k8s.io/v1beta1/namespaces/smallest/pods/*/asr_active_requests';

describe.skipIf(!HAS_KUBECTL)('real kubectl against the small API server', () => {
  let s: Seeded;
  let server: KubeServer;
  let kubeconfig: string;
  const run = (...args: string[]) => kubectl(kubeconfig, args);

  beforeAll(async () => {
    const metricValues = {
      kind: 'MetricValueList',
      apiVersion: 'custom.metrics.k8s.io/v1beta1',
      metadata: {},
      items: [{ describedObject: { kind: 'Pod', namespace: 'smallest', name: 'lightning-asr-7d9f8-abcde', apiVersion: '/v1' }, metricName: 'asr_active_requests', timestamp: '2026-01-01T00:01:05Z', value: '12', selector: null }],
    };
    s = seeded({ token: 'kube-test', metrics: () => new Response(JSON.stringify(metricValues), { headers: { 'content-type': 'application/json' } }) });
    // What the controller writes after a sync: status and an event.
    const o = s.store.get(HPA, 'smallest', 'lightning-asr');
    const nowMs = s.clock.now();
    const status = hpaStatusObject(
      {
        currentReplicas: 2,
        desiredReplicas: 5,
        lastScaleTime: nowMs,
        currentMetrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, current: { averageValue: '12' } } }],
        conditions: [
          { type: 'AbleToScale', status: 'True', reason: 'SucceededRescale', message: 'the HPA controller was able to update the target scale to 5', lastTransitionTime: nowMs },
          { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from pods metric asr_active_requests', lastTransitionTime: nowMs },
        ],
      },
      1,
    );
    s.store.update(HPA, { ...o, status }, { subresource: 'status' });
    s.store.create(
      EVENT,
      eventObject(
        { namespace: 'smallest', involved: { kind: 'HorizontalPodAutoscaler', name: 'lightning-asr', apiVersion: 'autoscaling/v2', ...(o.metadata.uid ? { uid: o.metadata.uid } : {}) }, type: 'Normal', reason: 'SuccessfulRescale', message: 'New size: 5; reason: pods metric asr_active_requests above target', firstMs: nowMs - 5_000, lastMs: nowMs - 5_000, count: 1, component: 'horizontal-pod-autoscaler' },
        'lightning-asr.rescale',
      ),
    );
    ({ server, kubeconfig } = await serveWithKubeconfig(s.app, 'kube-test'));
  });
  afterAll(async () => {
    await server?.close();
  });

  it('kubectl get hpa -n smallest prints the columns and TARGETS as against a cluster', async () => {
    const r = await run('get', 'hpa', '-n', 'smallest');
    expect(r.stderr).toBe('');
    const [header, row] = r.stdout.trimEnd().split('\n');
    expect(header?.split(/\s+/)).toEqual(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
    expect(row?.split(/\s+/).slice(0, 6)).toEqual(['lightning-asr', 'Deployment/lightning-asr', '12/5', '2', '20', '2']);
  });

  it('kubectl get pods -l app=lightning-asr and get deployments print their columns', async () => {
    const pods = await run('get', 'pods', '-l', 'app=lightning-asr', '-n', 'smallest');
    expect(pods.stdout.split('\n')[0]?.split(/\s+/)).toEqual(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE']);
    expect(pods.stdout).toMatch(/lightning-asr-7d9f8-abcde\s+1\/1\s+Running\s+0\s+/);
    const deploy = await run('get', 'deployments', '-n', 'smallest');
    expect(deploy.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\nlightning-asr\s+2\/2\s+2\s+2\s+/);
  });

  it('kubectl describe hpa prints Metrics, Conditions and Events from our objects', async () => {
    const r = await run('describe', 'hpa', 'lightning-asr', '-n', 'smallest');
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/"asr_active_requests" on pods:\s+12 \/ 5/);
    expect(r.stdout).toMatch(/Deployment pods:\s+2 current \/ 5 desired/);
    expect(r.stdout).toMatch(/AbleToScale\s+True\s+SucceededRescale/);
    expect(r.stdout).toMatch(/ScalingActive\s+True\s+ValidMetricFound/);
    expect(r.stdout).toMatch(/Normal\s+SuccessfulRescale\s+\S+\s+horizontal-pod-autoscaler\s+New size: 5; reason: pods metric asr_active_requests above target/);
  });

  it("kubectl get --raw reaches the seeds' custom metrics path", async () => {
    const r = await run('get', '--raw', METRIC_PATH);
    expect(JSON.parse(r.stdout)).toMatchObject({ kind: 'MetricValueList', items: [{ metricName: 'asr_active_requests', value: '12' }] });
  });

  it('kubectl get hpa -w sees a change', async () => {
    const watching = kubectl(kubeconfig, ['get', 'hpa', '-n', 'smallest', '-w', '--request-timeout=3s'], { timeoutMs: 6_000 });
    await new Promise((r) => setTimeout(r, 1_200));
    const o = s.store.get(HPA, 'smallest', 'lightning-asr');
    s.store.update(HPA, { ...o, status: { ...(o.status as object), currentReplicas: 5 } }, { subresource: 'status' });
    const r = await watching;
    const rows = r.stdout.trimEnd().split('\n').filter((l) => l.startsWith('lightning-asr'));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.at(-1)?.split(/\s+/)[5]).toBe('5');
  });

  it('kubectl apply -f creates an HPA, kubectl patch changes it and bumps its generation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-apply-'));
    const file = join(dir, 'hpa.yaml');
    writeFileSync(
      file,
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: applied, namespace: smallest}\nspec:\n  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: lightning-asr}\n  maxReplicas: 4\n  metrics:\n  - type: Pods\n    pods: {metric: {name: asr_active_requests}, target: {type: AverageValue, averageValue: "5"}}\n',
    );
    const created = await run('apply', '-f', file);
    expect([created.code, created.stdout.trim()]).toEqual([0, 'horizontalpodautoscaler.autoscaling/applied created']);
    expect(s.store.get(HPA, 'smallest', 'applied').metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration']).toContain('"maxReplicas":4');
    const again = await run('apply', '-f', file);
    expect(again.stdout.trim()).toBe('horizontalpodautoscaler.autoscaling/applied unchanged');
    const patched = await run('patch', 'hpa', 'applied', '-n', 'smallest', '-p', '{"spec":{"maxReplicas":8}}');
    expect(patched.stdout.trim()).toBe('horizontalpodautoscaler.autoscaling/applied patched');
    const o = s.store.get(HPA, 'smallest', 'applied');
    expect([o.metadata.generation, (o.spec as { maxReplicas: number }).maxReplicas]).toEqual([2, 8]);
  });

  it('kubectl answers the 422 of an invalid HPA with its field causes', async () => {
    const r = await run('patch', 'hpa', 'lightning-asr', '-n', 'smallest', '--type=merge', '-p', '{"spec":{"maxReplicas":0,"minReplicas":-1}}');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/The HorizontalPodAutoscaler "lightning-asr" is invalid:/);
    expect(r.stderr).toMatch(/spec\.maxReplicas: /);
  });

  it('kubectl scale deployment writes spec.replicas through the scale subresource', async () => {
    const r = await run('scale', 'deployment', 'lightning-asr', '-n', 'smallest', '--replicas=4');
    expect(r.stdout.trim()).toBe('deployment.apps/lightning-asr scaled');
    expect((s.store.get(DEPLOYMENT, 'smallest', 'lightning-asr').spec as { replicas: number }).replicas).toBe(4);
  });

  it.skipIf(PRESENT_SKEW.length === 0)('versioned kubectl binaries read the HPA table too (version skew)', async () => {
    for (const binary of PRESENT_SKEW) {
      const r = await kubectl(kubeconfig, ['get', 'hpa', '-n', 'smallest'], { binary });
      expect(r.stdout, binary).toMatch(/^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\n/);
    }
  });
});
