import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler, MetricSpec } from '../engine/index.js';
import { DEFAULT_SERVICE_MODEL } from '../sim/index.js';
import { checkBacktestValidity, meanServiceSeconds } from './backtest.js';

const hpa = (metrics: MetricSpec[]): HorizontalPodAutoscaler => ({ metadata: { name: 'a' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'a' }, maxReplicas: 4, metrics } });
const cpu: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 60 } } };
const memory: MetricSpec = { type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 60 } } };
const active: MetricSpec = { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } };

describe('checkBacktestValidity()', () => {
  it.each([
    { name: 'active requests are load-proportional', metrics: [active], model: DEFAULT_SERVICE_MODEL, ok: true, warnings: 0 },
    { name: 'memory is refused', metrics: [memory], model: DEFAULT_SERVICE_MODEL, ok: false, warnings: 0 },
    { name: 'CPU without a startup spike warns', metrics: [cpu], model: DEFAULT_SERVICE_MODEL, ok: true, warnings: 1 },
    { name: 'CPU with a startup spike is refused', metrics: [cpu], model: { ...DEFAULT_SERVICE_MODEL, cpu: { ...DEFAULT_SERVICE_MODEL.cpu, startup: { extraMillicores: 900, holdSeconds: 60, decaySeconds: 30 } } }, ok: false, warnings: 0 },
  ])('$name', ({ metrics, model, ok, warnings }) => {
    const v = checkBacktestValidity(hpa(metrics), model);
    expect(v.ok).toBe(ok);
    expect(v.warnings.length).toBe(warnings);
  });
});

describe('meanServiceSeconds()', () => {
  it('is e^(σ²/2) × the median for a lognormal', () => {
    expect(meanServiceSeconds(DEFAULT_SERVICE_MODEL)).toBeCloseTo(0.88 * Math.exp(0.125), 10);
  });
});
