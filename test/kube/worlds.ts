/**
 * Cluster worlds for the client tests: the seeds' Lightning ASR HPA (Pods metric
 * asr_active_requests, target 5 per pod) with its Deployment, pods, Events and metrics.
 */
import type { FakeWorld } from './fake-kube-api.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const iso = (ms: number) => new Date(ms).toISOString();

/** One HPA over a Deployment of `replicas` pods, each reporting `perPod` active requests. */
export function asrObjects(opts: { namespace?: string; name?: string; replicas?: number; perPod?: number[]; nowMs: number; desired?: number; maxReplicas?: number; conditions?: Json[] }): { objects: Json[]; podValues: NonNullable<FakeWorld['podValues']> } {
  const ns = opts.namespace ?? 'smallest';
  const name = opts.name ?? 'lightning-asr';
  const replicas = opts.replicas ?? 2;
  const perPod = opts.perPod ?? Array.from({ length: replicas }, () => 6);
  const started = iso(opts.nowMs - 3_600_000);
  const objects: Json[] = [
    {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name, namespace: ns, creationTimestamp: started },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
        minReplicas: 1,
        maxReplicas: opts.maxReplicas ?? 10,
        metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
        behavior: { scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: 300 } },
      },
      status: {
        currentReplicas: replicas,
        desiredReplicas: opts.desired ?? replicas,
        currentMetrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, current: { averageValue: String(perPod.reduce((a, b) => a + b, 0) / Math.max(1, perPod.length)) } } }],
        conditions: opts.conditions ?? [
          { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: 'recommended size matches current size', lastTransitionTime: started },
          { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: 'the HPA was able to successfully calculate a replica count from pods metric asr_active_requests', lastTransitionTime: started },
          { type: 'ScalingLimited', status: 'False', reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range', lastTransitionTime: started },
        ],
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name, namespace: ns },
      spec: { replicas, selector: { matchLabels: { app: name } } },
      status: { replicas },
    },
  ];
  const podValues: NonNullable<FakeWorld['podValues']> = [];
  for (let i = 0; i < replicas; i++) {
    const pod = `${name}-7d9f-${i}`;
    objects.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: pod, namespace: ns, labels: { app: name } },
      spec: { containers: [{ name: 'asr', resources: { requests: { cpu: '500m' } } }] },
      status: { phase: 'Running', startTime: started, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: started }] },
    });
    podValues.push({ namespace: ns, pod, metric: 'asr_active_requests', value: String(perPod[i] ?? 0), timestamp: iso(opts.nowMs) });
  }
  return { objects, podValues };
}

/** The Lightning ASR world: 2 pods at 6 active requests (target 5) → 3 replicas. */
export function asrWorld(nowMs: number, extra: Partial<FakeWorld> = {}): FakeWorld {
  const { objects, podValues } = asrObjects({ nowMs });
  return {
    objects: [
      ...objects,
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'v1beta1.custom.metrics.k8s.io' }, spec: { group: 'custom.metrics.k8s.io', version: 'v1beta1', service: { namespace: 'monitoring', name: 'prometheus-adapter' } }, status: { conditions: [{ type: 'Available', status: 'True', reason: 'Passed' }] } },
    ],
    podValues,
    ...extra,
  };
}

/** Four HPAs in two namespaces: healthy, pinned at max, <unknown>, flapping. */
export function troubledWorld(nowMs: number): FakeWorld {
  const ok = asrObjects({ nowMs, namespace: 'smallest', name: 'healthy', replicas: 2, perPod: [4, 4] });
  const pinned = asrObjects({
    nowMs,
    namespace: 'smallest',
    name: 'pinned',
    replicas: 3,
    perPod: [9, 9, 9],
    maxReplicas: 3,
    conditions: [
      { type: 'AbleToScale', status: 'True', reason: 'ReadyForNewScale', message: '' },
      { type: 'ScalingActive', status: 'True', reason: 'ValidMetricFound', message: '' },
      { type: 'ScalingLimited', status: 'True', reason: 'TooManyReplicas', message: 'the desired replica count is more than the maximum replica count' },
    ],
  });
  const unknown = asrObjects({ nowMs, namespace: 'batch', name: 'unknown', replicas: 1, perPod: [1] });
  const u = unknown.objects[0];
  u.status.currentMetrics = null;
  u.status.conditions = [
    { type: 'AbleToScale', status: 'True', reason: 'SucceededGetScale', message: '' },
    { type: 'ScalingActive', status: 'False', reason: 'FailedGetPodsMetric', message: 'unable to get metric asr_active_requests' },
  ];
  const flap = asrObjects({ nowMs, namespace: 'batch', name: 'flappy', replicas: 2, perPod: [5, 5] });
  const events = [3, 2, 3, 2].map((size, i) => ({
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `flappy.${i}`, namespace: 'batch' },
    involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'flappy', namespace: 'batch' },
    reason: 'SuccessfulRescale',
    message: `New size: ${size}; reason: pods metric asr_active_requests ${i % 2 ? 'below' : 'above'} target`,
    type: 'Normal',
    lastTimestamp: new Date(nowMs - (40 - i * 10) * 60_000).toISOString(),
  }));
  return {
    objects: [...ok.objects, ...pinned.objects, ...unknown.objects, ...flap.objects, ...events],
    podValues: [...ok.podValues, ...pinned.podValues, ...flap.podValues],
  };
}
