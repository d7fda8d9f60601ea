import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler, MetricSpec } from '../engine/index.js';
import { DEFAULT_PIPELINE, DEFAULT_SERVICE_MODEL } from './defaults.js';
import { MetricsPipeline } from './pipeline.js';
import type { PipelineConfig, ServiceModel } from './types.js';
import { ServiceSim } from './service-sim.js';

function hpa(metrics: MetricSpec[]): HorizontalPodAutoscaler {
  return { metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'asr' }, maxReplicas: 10, metrics } };
}
const active: MetricSpec = { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } };

function setup(options: { config?: Partial<PipelineConfig>; model?: Partial<ServiceModel> } = {}) {
  const svc = new ServiceSim('asr', { ...DEFAULT_SERVICE_MODEL, serviceTime: { distribution: 'fixed', meanSeconds: 1 }, ...options.model }, { dtSeconds: 1, sloLatencySeconds: null });
  svc.start(2);
  const pipeline = new MetricsPipeline(new Map([['asr', svc]]), { config: { ...DEFAULT_PIPELINE, ...options.config }, externalMetrics: {} });
  return { svc, pipeline };
}

/** Steps the service with `rpsAt(t)` and scrapes on the pipeline's intervals up to `until`. */
function drive(ctx: ReturnType<typeof setup>, rpsAt: (t: number) => number, until: number, config: PipelineConfig = DEFAULT_PIPELINE): void {
  for (let t = 0; t < until; t++) {
    if (t % config.resourceMetricsResolutionSeconds === 0) ctx.pipeline.scrapeResources(t);
    if (t % config.scrapeIntervalSeconds === 0) ctx.pipeline.scrapeCustom(t);
    ctx.svc.step(t, rpsAt(t), rpsAt(t));
  }
}

describe('MetricsPipeline', () => {
  it('shows the HPA the last scrape, not the current load (30 s scrape)', () => {
    const ctx = setup();
    drive(ctx, (t) => (t < 50 ? 4 : 40), 59);
    // At 59 s the load has been 40 rps for 9 s, but the last scrape was at 30 s (4 rps: 2 per pod).
    const reading = ctx.pipeline.readings(hpa([active]), ctx.svc, 59)[0]!;
    expect('podValues' in reading && reading.podValues.map((v) => [v.valueMilli, v.timestampMs])).toEqual([
      [2000, 30000],
      [2000, 30000],
    ]);
  });

  it('adds the adapter delay on top of the scrape interval', () => {
    const ctx = setup({ config: { adapterDelaySeconds: 20 } });
    drive(ctx, () => 4, 65);
    const reading = ctx.pipeline.readings(hpa([active]), ctx.svc, 65)[0]!;
    // 65 - 20 = 45: the scrape at 30 s is the latest the adapter sees.
    expect('podValues' in reading && reading.podValues[0]!.timestampMs).toBe(30000);
  });

  it('averages the scraped gauge when the adapter query does (avg_over_time)', () => {
    const ctx = setup({
      config: { scrapeIntervalSeconds: 15 },
      model: { metrics: { asr_active_requests: { source: 'active', averageOverSeconds: 60 } } },
    });
    drive(ctx, (t) => (t < 45 ? 2 : 10), 61, { ...DEFAULT_PIPELINE, scrapeIntervalSeconds: 15 });
    const reading = ctx.pipeline.readings(hpa([active]), ctx.svc, 60)[0]!;
    // Samples at 15, 30, 45 (1 per pod) and 60 (5 per pod): mean 2.
    expect('podValues' in reading && reading.podValues[0]!.valueMilli).toBe(2000);
  });

  it('fails a metric the pods do not export, as the adapter would', () => {
    const ctx = setup();
    drive(ctx, () => 4, 31);
    const gpu: MetricSpec = { type: 'Pods', pods: { metric: { name: 'asr_gpu_memory_used_bytes' }, target: { type: 'AverageValue', averageValue: '1' } } };
    expect(ctx.pipeline.readings(hpa([gpu]), ctx.svc, 30)[0]).toEqual({ error: 'the server could not find the metric asr_gpu_memory_used_bytes for pods' });
  });

  it('serves <deployment>_replica_count as an external metric: the pods that are not terminating', () => {
    const ctx = setup();
    drive(ctx, () => 4, 31);
    const ext: MetricSpec = { type: 'External', external: { metric: { name: 'asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2' } } };
    expect(ctx.pipeline.readings(hpa([ext]), ctx.svc, 30)[0]).toEqual({ valuesMilli: [2000] });
  });

  it('reports CPU as the mean over the metrics-server window and memory as the working set', () => {
    const ctx = setup({
      model: {
        cpu: { idleMillicores: 100, perRequestMillicores: 100, startup: null },
        memory: { idleBytes: 1_000_000, perRequestBytes: 0 },
        requests: { cpuMillicores: 500, memoryBytes: 2_000_000 },
      },
    });
    drive(ctx, () => 4, 31);
    const cpu: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
    const reading = ctx.pipeline.readings(hpa([cpu]), ctx.svc, 30)[0]!;
    expect('podMetrics' in reading && reading.podMetrics.map((m) => [m.windowSeconds, m.containers[0]!.usageMilli])).toEqual([
      [15, { cpu: 300, memory: 1_000_000_000 }],
      [15, { cpu: 300, memory: 1_000_000_000 }],
    ]);
  });

  it('has no sample for a pod whose container has not started', () => {
    const ctx = setup({ model: { initialState: 'starting', schedulingDelaySeconds: 40 } });
    drive(ctx, () => 4, 31);
    expect(ctx.pipeline.readings(hpa([active]), ctx.svc, 30)[0]).toEqual({ podValues: [] });
  });

  it.each([
    { name: 'latest sample (reused between scrapes)', config: {}, metrics: undefined, reuses: true },
    { name: 'averaged over 60 s', config: { scrapeIntervalSeconds: 15 }, metrics: { asr_active_requests: { source: 'active', averageOverSeconds: 60 } } as const, reuses: false },
    { name: 'adapter delay 20 s', config: { adapterDelaySeconds: 20 }, metrics: undefined, reuses: false },
    { name: 'lookback shorter than the scrape interval (samples go stale)', config: { lookbackSeconds: 10 }, metrics: undefined, reuses: false },
  ])('reads at every sync what a pipeline reading only then would: $name', ({ config, metrics, reuses }) => {
    const model = metrics === undefined ? {} : { metrics };
    const cpu: MetricSpec = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
    const specs = [active, cpu];
    const every = setup({ config, model });
    const full = { ...DEFAULT_PIPELINE, ...config };
    const rps = (t: number) => 4 + 30 * Math.max(0, Math.sin(t / 90));
    const readings: unknown[] = [];
    let reused = 0;
    let previous: unknown;
    for (let t = 0; t < 600; t++) {
      if (t % full.resourceMetricsResolutionSeconds === 0) every.pipeline.scrapeResources(t);
      if (t % full.scrapeIntervalSeconds === 0) every.pipeline.scrapeCustom(t);
      if (t === 240) every.svc.scaleTo(4, t);
      if (t % 15 === 0) {
        const r = every.pipeline.readings(hpa(specs), every.svc, t);
        if (r[0] === previous) reused++;
        previous = r[0];
        readings.push(JSON.parse(JSON.stringify(r)));
      }
      every.svc.step(t, rps(t), rps(t));
    }
    // The same run again, read once at each checkpoint by a fresh pipeline state.
    for (const at of [15, 240, 255, 330, 585]) {
      const once = setup({ config, model });
      for (let t = 0; t <= at; t++) {
        if (t % full.resourceMetricsResolutionSeconds === 0) once.pipeline.scrapeResources(t);
        if (t % full.scrapeIntervalSeconds === 0) once.pipeline.scrapeCustom(t);
        if (t === 240) once.svc.scaleTo(4, t);
        if (t === at) expect(JSON.parse(JSON.stringify(once.pipeline.readings(hpa(specs), once.svc, t)))).toEqual(readings[at / 15]);
        once.svc.step(t, rps(t), rps(t));
      }
    }
    // Between scrapes the Pods reading is the same object (with the latest sample, no delay).
    if (reuses) expect(reused).toBeGreaterThan(10);
  });
});

