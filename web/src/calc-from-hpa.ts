/**
 * Calculator inputs from an HPA found in a file (`hpa-lab serve FILE`, a loaded manifest): its
 * bounds and metrics, readings at 1.5 × each target, requests from the workload.
 */
import { parseQuantityMilli, type HorizontalPodAutoscaler, type ResourceListMilli } from '../../src/engine/index.js';
import type { CalcMetric, CalcState } from './state.js';

function formatRequest(name: string, milli: number | undefined): string {
  if (milli === undefined) return name === 'memory' ? '1Gi' : '1000m';
  if (name === 'memory') {
    const bytes = milli / 1000;
    return bytes % 1048576 === 0 ? `${bytes / 1048576}Mi` : String(Math.round(bytes));
  }
  return `${Math.round(milli)}m`;
}

/** Readings `calcFromHpa` starts from: half as much again as the target, a moment of load. */
const START_LOAD = 1.5;

function scaled(q: string, factor: number): string {
  const n = Number(q);
  if (q.trim() !== '' && Number.isFinite(n)) return String(Math.round(n * factor * 1000) / 1000);
  try {
    return `${Math.round((parseQuantityMilli(q) * factor) / 1000 * 1000) / 1000}`;
  } catch {
    return q;
  }
}

/**
 * Calculator inputs for an HPA from a file: its bounds and metrics, each reading 1.5 × its target
 * (the decision under load; the user moves the values), requests from the workload.
 *
 * @example calcFromHpa(blogHpa, { cpu: 500, memory: 1350 * 1048576 * 1000 }).metrics[0].request // -> '500m'
 */
export function calcFromHpa(hpa: HorizontalPodAutoscaler, requestsMilli: ResourceListMilli, replicas?: number): CalcState {
  const metrics: CalcMetric[] = [];
  for (const m of hpa.spec.metrics ?? []) {
    const src = m.resource ?? m.containerResource;
    if ((m.type === 'Resource' || m.type === 'ContainerResource') && src) {
      const t = src.target;
      if (t?.type === 'Utilization') {
        const pct = t.averageUtilization ?? 80;
        metrics.push({ kind: 'Resource', name: src.name, current: `${Math.round(pct * START_LOAD)}%`, targetType: 'Utilization', target: String(pct), request: formatRequest(src.name, requestsMilli[src.name]) });
      } else {
        const v = String(t?.averageValue ?? t?.value ?? '1');
        metrics.push({ kind: 'Resource', name: src.name, current: scaled(v, START_LOAD), targetType: 'AverageValue', target: v, request: '' });
      }
    } else if (m.type === 'Pods' && m.pods) {
      const v = String(m.pods.target.averageValue ?? '1');
      metrics.push({ kind: 'Pods', name: m.pods.metric.name, current: scaled(v, START_LOAD), targetType: 'AverageValue', target: v, request: '' });
    } else if ((m.type === 'External' || m.type === 'Object') && (m.external ?? m.object)) {
      const s = (m.external ?? m.object)!;
      const avg = s.target.averageValue;
      const v = String(avg ?? s.target.value ?? '1');
      // The calculator takes an External reading as the total: AverageValue divides it by the replicas.
      const total = scaled(v, START_LOAD * (avg !== undefined ? (replicas ?? hpa.spec.minReplicas ?? 1) : 1));
      metrics.push({ kind: 'External', name: s.metric.name, current: total, targetType: avg !== undefined ? 'AverageValue' : 'Value', target: v, request: '' });
    }
  }
  const min = hpa.spec.minReplicas ?? 1;
  return {
    replicas: replicas ?? min,
    minReplicas: min,
    maxReplicas: hpa.spec.maxReplicas,
    tolerance: 0.1,
    metrics: metrics.length ? metrics : [{ kind: 'Resource', name: 'cpu', current: '80%', targetType: 'Utilization', target: '80', request: '1000m' }],
    sweepMetric: 0,
  };
}
