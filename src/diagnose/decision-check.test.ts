import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler, MetricReading } from '../engine/index.js';
import { decisionCheck } from './decision-check.js';

const NOW_MS = 1_714_557_600_000;
const pods = (values: readonly number[]): MetricReading => ({ podValues: values.map((v, i) => ({ podName: `asr-${i}`, valueMilli: v * 1000, timestampMs: NOW_MS })) });
const hpa = (extra: Partial<HorizontalPodAutoscaler['spec']> = {}): HorizontalPodAutoscaler => ({
  metadata: { name: 'lightning-asr', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
    ...extra,
  },
});
const TWO_METRICS = hpa({
  metrics: [
    { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } },
    { type: 'External', external: { metric: { name: 'queue_depth' }, target: { type: 'AverageValue', averageValue: '10' } } },
  ],
});

describe('decisionCheck()', () => {
  it.each([
    { name: 'passes when the HPA can act on the values', h: hpa(), readings: [pods([6, 7])], replicas: undefined, status: 'pass', evidence: 'current 2, desired 3' },
    { name: 'warns at maxReplicas', h: hpa(), readings: [pods([20, 20])], replicas: undefined, status: 'warn', evidence: 'at maxReplicas 4' },
    { name: 'warns inside the scale-down stabilization window', h: hpa(), readings: [pods([1, 1])], replicas: 4, status: 'warn', evidence: 'in a stabilization window' },
    { name: 'fails when a second metric blocks scale-down', h: TWO_METRICS, readings: [pods([1, 1]), { error: 'unable to fetch metrics from external metrics API: boom' }], replicas: 2, status: 'fail', evidence: 'blocked by a failing metric: ScalingActive=False FailedGetExternalMetric' },
    { name: 'warns when a failing second metric is ignored for a scale-up', h: TWO_METRICS, readings: [pods([9, 9]), { error: 'boom' }], replicas: 2, status: 'warn', evidence: 'failed and is ignored while scaling up' },
    { name: 'fails when every metric fails', h: hpa(), readings: [undefined], replicas: 2, status: 'fail', evidence: 'ScalingActive=False FailedGetPodsMetric' },
  ])('$name', ({ h, readings, replicas, status, evidence }) => {
    const check = decisionCheck({ hpa: h, readings, selector: 'app=lightning-asr', nowMs: NOW_MS, ...(replicas === undefined ? {} : { replicas }) });
    expect(check.status).toBe(status);
    expect(check.evidence).toContain(evidence);
    if (status !== 'pass') expect(check.fix).toBeTruthy();
  });
});
