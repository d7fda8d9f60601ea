import { describe, expect, it } from 'vitest';
import { PROMETHEUS_MAX_POINTS, type PrometheusMatrixSeries } from '../metrics/index.js';
import { recordTrace } from './record.js';
import type { TraceHpa, TraceSync } from './trace-format.js';

const HPA: TraceHpa = {
  namespace: 'ns',
  name: 'web',
  deployment: 'web',
  selector: 'app=web',
  spec: { metadata: { name: 'web', namespace: 'ns' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, metrics: [{ type: 'Pods', pods: { metric: { name: 'rps' }, target: { type: 'AverageValue', averageValue: '5' } } }] } },
  metrics: [{ name: 'rps', type: 'Pods', query: 'sum by (namespace, pod) (rps{namespace="$NAMESPACE"})', shape: 'per-pod' }],
};

/** A fake Prometheus: every family has one series with value 2 at every step; two pods, one of another deployment. */
function fake(calls: { expr: string; points: number }[]) {
  return {
    queryRange: (expr: string, r: { startSec: number; endSec: number; stepSec: number }): Promise<PrometheusMatrixSeries[]> => Promise.resolve(answer(expr, r)),
  };
  function answer(expr: string, r: { startSec: number; endSec: number; stepSec: number }): PrometheusMatrixSeries[] {
      const points = Math.round((r.endSec - r.startSec) / r.stepSec) + 1;
      calls.push({ expr, points });
      const values = Array.from({ length: points }, (_, i) => [r.startSec + i * r.stepSec, '2'] as const);
      const series = (metric: Record<string, string>) => ({ metric, values });
      if (expr.includes('kube_horizontalpodautoscaler_status_condition')) return [series({ namespace: 'ns', horizontalpodautoscaler: 'web', condition: 'AbleToScale', status: 'true' })];
      if (expr.includes('kube_horizontalpodautoscaler_')) return [series({ namespace: 'ns', horizontalpodautoscaler: 'web' })];
      if (expr.includes('kube_deployment_')) return [series({ namespace: 'ns', deployment: 'web' })];
      if (expr.includes('kube_pod_status_phase')) return [series({ namespace: 'ns', pod: 'web-1', deployment: 'web', phase: 'Running' }), series({ namespace: 'ns', pod: 'db-1', deployment: 'db', phase: 'Running' })];
      if (expr.includes('kube_pod_status_ready{')) return [series({ namespace: 'ns', pod: 'web-1', deployment: 'web', condition: 'true' })];
      if (expr.includes('rps{')) return [series({ namespace: 'ns', pod: 'web-1' }), series({ namespace: 'ns', pod: 'db-1' })];
      return [];
  }
}

describe('recordTrace()', () => {
  it('streams a header, a line per step and an end, in chunks under 11,000 points', async () => {
    const calls: { expr: string; points: number }[] = [];
    const lines: string[] = [];
    const steps = 30_000;
    const summary = await recordTrace({ prometheus: fake(calls), hpas: [HPA], fromMs: 0, toMs: (steps - 1) * 15_000, stepSeconds: 15, lookbackSeconds: 30, write: (l) => void lines.push(l), firstChunkSteps: 100, maxValuesInMemory: 1e9, recordedAt: 'x' });
    expect(summary.steps).toBe(steps);
    expect(lines.length).toBe(steps + 2);
    expect(Math.max(...calls.map((c) => c.points))).toBeLessThanOrEqual(PROMETHEUS_MAX_POINTS);
    expect(calls[0]!.expr).toBe('last_over_time(kube_horizontalpodautoscaler_spec_min_replicas{namespace="ns"}[29999ms])');
    const sync = JSON.parse(lines[1]!) as TraceSync;
    expect(sync).toMatchObject({ kind: 'sync', tMs: 0, hpa: 'ns/web', desiredReplicas: 2, specReplicas: 2, conditions: { AbleToScale: 'True' }, pods: [{ name: 'web-1', phase: 'Running', ready: 'True' }], metrics: [{ podValues: { 'web-1': 2 } }] });
    expect(JSON.parse(lines.at(-1)!)).toEqual({ kind: 'end', syncs: steps });
  });

  it('sizes chunks to the memory budget', async () => {
    const calls: { expr: string; points: number }[] = [];
    await recordTrace({ prometheus: fake(calls), hpas: [HPA], fromMs: 0, toMs: 999 * 15_000, stepSeconds: 15, write: () => undefined, firstChunkSteps: 10, maxValuesInMemory: 500 });
    // 12 series per chunk (4 HPA, 1 condition, 2 deployment, 2 phase, 1 ready, 2 rps): 500 / 12 → 41 steps.
    const queriesPerChunk = 14;
    expect(calls.slice(queriesPerChunk, 2 * queriesPerChunk).every((c) => c.points === 41)).toBe(true);
  });
});
