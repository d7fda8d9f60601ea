/**
 * `simulate --openmetrics`: the series a cluster's Prometheus would hold after the run —
 * kube-state-metrics' HPA, Deployment and Pod series at every sync, and the pods' own gauges
 * (`asr_active_requests`, ...) at every scrape the HPA read — in the OpenMetrics text format
 * that `promtool tsdb create-blocks-from openmetrics` backfills.
 *
 * @see https://github.com/OpenObservability/OpenMetrics/blob/main/specification/OpenMetrics.md
 * @see https://github.com/kubernetes/kube-state-metrics/blob/main/docs/metrics/workload/horizontalpodautoscaler-metrics.md
 */
import type { SyncFrame } from './sim-capture.js';

/** Options of {@link writeOpenMetrics}. */
export interface WriteOpenMetricsOptions {
  /** Epoch milliseconds of the run's t = 0. */
  readonly startEpochMs: number;
  /** Receives the text in chunks of about 64 KiB. */
  readonly write: (chunk: string) => void;
}

/** kube-state-metrics' pod phases. */
const PHASES = ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown'] as const;
const CONDITION_TYPES = ['AbleToScale', 'ScalingActive', 'ScalingLimited'] as const;

/** Escapes a label value as the exposition formats do. */
export function escapeLabelValue(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(labels)) parts.push(`${k}="${escapeLabelValue(v)}"`);
  return `{${parts.join(',')}}`;
}

function num(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Number.POSITIVE_INFINITY) return '+Inf';
  if (v === Number.NEGATIVE_INFINITY) return '-Inf';
  return String(v);
}

/**
 * Writes the frames of a captured run as OpenMetrics text ending with `# EOF`. Families are
 * written one after the other; inside a family samples go in time order, so every series'
 * timestamps increase as the backfill requires.
 *
 * @example writeOpenMetrics(captured.frames, { startEpochMs: Date.UTC(2026, 0, 1), write: (s) => out.push(s) })
 */
export function writeOpenMetrics(frames: readonly SyncFrame[], options: WriteOpenMetricsOptions): void {
  let buffer = '';
  const emit = (line: string): void => {
    buffer += line;
    buffer += '\n';
    if (buffer.length >= 65_536) {
      options.write(buffer);
      buffer = '';
    }
  };
  const ts = (tMs: number): string => ((options.startEpochMs + tMs) / 1000).toFixed(3);
  const epochS = (tMs: number): number => Math.round(options.startEpochMs + tMs) / 1000;
  const family = (name: string, help: string, each: (frame: SyncFrame, line: (labels: Record<string, string>, value: number) => void) => void): void => {
    emit(`# TYPE ${name} gauge`);
    emit(`# HELP ${name} ${help}`);
    for (const f of frames) {
      const at = ts(f.tMs);
      each(f, (labels, value) => emit(`${name}${labelText(labels)} ${num(value)} ${at}`));
    }
  };
  const hpaLabels = (f: SyncFrame): Record<string, string> => ({ namespace: f.namespace, horizontalpodautoscaler: f.hpa });
  const podLabels = (f: SyncFrame, pod: string): Record<string, string> => ({ namespace: f.namespace, pod, deployment: f.deployment });

  family('kube_horizontalpodautoscaler_spec_min_replicas', 'Lower limit for the number of pods that can be set by the autoscaler, default 1.', (f, line) => line(hpaLabels(f), f.minReplicas));
  family('kube_horizontalpodautoscaler_spec_max_replicas', 'Upper limit for the number of pods that can be set by the autoscaler; cannot be smaller than MinReplicas.', (f, line) => line(hpaLabels(f), f.maxReplicas));
  family('kube_horizontalpodautoscaler_status_current_replicas', 'Current number of replicas of pods managed by this autoscaler.', (f, line) => line(hpaLabels(f), f.statusReplicas));
  family('kube_horizontalpodautoscaler_status_desired_replicas', 'Desired number of replicas of pods managed by this autoscaler.', (f, line) => line(hpaLabels(f), f.decision.desiredReplicas));
  family('kube_horizontalpodautoscaler_status_condition', 'The condition of this autoscaler.', (f, line) => {
    for (const type of CONDITION_TYPES) {
      const c = f.decision.status.conditions?.find((x) => x.type === type);
      if (c === undefined) continue;
      for (const s of ['true', 'false', 'unknown']) line({ ...hpaLabels(f), condition: type, status: s }, c.status.toLowerCase() === s ? 1 : 0);
    }
  });
  family('kube_deployment_spec_replicas', 'Number of desired pods for a deployment.', (f, line) => line({ namespace: f.namespace, deployment: f.deployment }, f.specAfter));
  family('kube_deployment_status_replicas', 'The number of replicas per deployment.', (f, line) => line({ namespace: f.namespace, deployment: f.deployment }, f.statusReplicas));
  family('kube_pod_status_phase', 'The pods current phase.', (f, line) => {
    for (const p of f.pods) for (const phase of PHASES) line({ ...podLabels(f, p.name), phase }, p.phase === phase ? 1 : 0);
  });
  family('kube_pod_status_ready', 'Describes whether the pod is ready to serve requests.', (f, line) => {
    for (const p of f.pods) {
      const status = (p.ready?.status ?? 'Unknown').toLowerCase();
      for (const s of ['true', 'false', 'unknown']) line({ ...podLabels(f, p.name), condition: s }, status === s ? 1 : 0);
    }
  });
  family('kube_pod_status_ready_time', 'Readiness achieved time in unix timestamp for a pod.', (f, line) => {
    for (const p of f.pods) if (p.ready?.status === 'True') line(podLabels(f, p.name), epochS(p.ready.lastTransitionTimeMs));
  });
  family('kube_pod_start_time', 'Start time in unix timestamp for a pod.', (f, line) => {
    for (const p of f.pods) if (p.startTimeMs !== undefined) line(podLabels(f, p.name), epochS(p.startTimeMs));
  });
  family('kube_pod_deletion_timestamp', 'Unix deletion timestamp.', (f, line) => {
    for (const p of f.pods) if (p.deleting === true) line(podLabels(f, p.name), epochS(f.tMs));
  });
  family('kube_pod_container_resource_requests', 'The number of requested request resource by a container.', (f, line) => {
    for (const p of f.pods) {
      for (const c of p.containers ?? []) {
        for (const [resource, milli] of Object.entries(c.requestsMilli ?? {})) {
          line({ ...podLabels(f, p.name), container: c.name, resource, unit: resource === 'cpu' ? 'core' : 'byte' }, milli / 1000);
        }
      }
    }
  });

  // The pods' own gauges: each scraped sample once, at its own timestamp.
  const names = new Set<string>();
  for (const f of frames) {
    f.metricNames.forEach((n, i) => {
      const r = f.readings[i];
      if (r !== undefined && 'podValues' in r) names.add(n);
    });
  }
  for (const name of names) {
    emit(`# TYPE ${name} gauge`);
    const samples: { tMs: number; line: string }[] = [];
    const seen = new Set<string>();
    for (const f of frames) {
      const i = f.metricNames.indexOf(name);
      const r = f.readings[i];
      if (r === undefined || !('podValues' in r)) continue;
      for (const v of r.podValues) {
        const key = `${f.namespace}\u0000${v.podName}\u0000${v.timestampMs}`;
        if (seen.has(key)) continue;
        seen.add(key);
        samples.push({ tMs: v.timestampMs, line: `${name}${labelText(podLabels(f, v.podName))} ${num(v.valueMilli / 1000)} ${ts(v.timestampMs)}` });
      }
    }
    samples.sort((a, b) => a.tMs - b.tMs);
    for (const s of samples) emit(s.line);
  }
  emit('# EOF');
  if (buffer.length > 0) options.write(buffer);
}
