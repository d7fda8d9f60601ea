/**
 * A trace straight from a simulated run, without Prometheus: the lines `record` writes when
 * the run's OpenMetrics are backfilled and read back at the sync period. For tests, benchmarks
 * and `tune` on simulated history.
 */
import { defaultMetricQuery } from './record.js';
import type { SyncFrame } from './sim-capture.js';
import { TRACE_FORMAT, TRACE_VERSION, type TraceHeader, type TraceHpa, type TraceReading, type TraceSync } from './trace-format.js';
import type { HorizontalPodAutoscaler } from '../engine/index.js';

/** The header of a simulated run's trace. */
export function simulatedTraceHeader(hpas: readonly HorizontalPodAutoscaler[], options: { readonly startEpochMs: number; readonly durationSeconds: number; readonly stepSeconds: number; readonly scenario: string; readonly kubernetesVersion?: string }): TraceHeader {
  const defs: TraceHpa[] = hpas.map((spec) => {
    const deployment = spec.spec.scaleTargetRef.name;
    return {
      namespace: spec.metadata.namespace ?? 'default',
      name: spec.metadata.name,
      deployment,
      selector: `app=${deployment}`,
      spec,
      metrics: (spec.spec.metrics ?? []).map((m) => {
        const name = m.pods?.metric.name ?? m.object?.metric.name ?? m.external?.metric.name ?? m.resource?.name ?? m.containerResource?.name ?? String(m.type);
        return { name, type: String(m.type), ...defaultMetricQuery({ name, type: String(m.type) }) };
      }),
    };
  });
  return {
    kind: 'header',
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    recordedAt: new Date(options.startEpochMs + options.durationSeconds * 1000).toISOString(),
    source: { simulated: options.scenario },
    fromMs: options.startEpochMs,
    toMs: options.startEpochMs + options.durationSeconds * 1000,
    stepSeconds: options.stepSeconds,
    lookbackSeconds: options.stepSeconds,
    ...(options.kubernetesVersion === undefined ? {} : { kubernetesVersion: options.kubernetesVersion }),
    hpas: defs,
  };
}

/** One frame as the trace line `record` reads back for it. */
export function frameToTraceSync(f: SyncFrame, startEpochMs: number): TraceSync {
  const readings: TraceReading[] = f.readings.map((r) => {
    if ('error' in r) return { error: r.error };
    if ('podValues' in r) return { podValues: Object.fromEntries(r.podValues.map((v) => [v.podName, v.valueMilli / 1000])) };
    if ('valueMilli' in r) return { value: r.valueMilli / 1000 };
    if ('valuesMilli' in r) return { value: r.valuesMilli.reduce((a, b) => a + b, 0) / 1000 };
    return { podValues: Object.fromEntries(r.podMetrics.map((p) => [p.podName, p.containers.reduce((a, c) => a + (c.usageMilli['cpu'] ?? 0), 0) / 1000])) };
  });
  const conditions: Record<string, string> = {};
  for (const c of f.decision.status.conditions ?? []) conditions[c.type] = c.status;
  return {
    kind: 'sync',
    tMs: startEpochMs + f.tMs,
    hpa: `${f.namespace}/${f.hpa}`,
    minReplicas: f.minReplicas,
    maxReplicas: f.maxReplicas,
    specReplicas: f.specAfter,
    statusReplicas: f.statusReplicas,
    currentReplicas: f.statusReplicas,
    desiredReplicas: f.decision.desiredReplicas,
    conditions,
    pods: [...f.pods]
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
      .map((p) => ({
        name: p.name,
        phase: p.phase,
        ...(p.ready === undefined ? { ready: 'Unknown' } : { ready: p.ready.status }),
        ...(p.deleting === true ? { deleting: true } : {}),
        ...(p.startTimeMs === undefined ? {} : { startTimeMs: startEpochMs + p.startTimeMs }),
        ...(p.ready?.status === 'True' ? { readyTimeMs: startEpochMs + p.ready.lastTransitionTimeMs } : {}),
      })),
    metrics: readings,
  };
}
