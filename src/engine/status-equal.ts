/**
 * Semantic equality of HPA statuses: upstream's updateStatusIfNeeded writes a status only when it
 * differs from the previous one.
 */
import type { HorizontalPodAutoscalerCondition, HorizontalPodAutoscalerStatus, MetricStatus } from './types.js';

/** Whether two statuses are semantically equal (what upstream's updateStatusIfNeeded compares). */
export function statusEqual(a: HorizontalPodAutoscalerStatus, b: HorizontalPodAutoscalerStatus): boolean {
  if (a === b) return true;
  if (a.currentReplicas !== b.currentReplicas || a.desiredReplicas !== b.desiredReplicas || a.lastScaleTime !== b.lastScaleTime) return false;
  const ca = a.conditions ?? [];
  const cb = b.conditions ?? [];
  if (ca.length !== cb.length) return false;
  for (let i = 0; i < ca.length; i++) {
    const x = ca[i] as HorizontalPodAutoscalerCondition;
    const y = cb[i] as HorizontalPodAutoscalerCondition;
    if (x.type !== y.type || x.status !== y.status || x.reason !== y.reason || x.message !== y.message || x.lastTransitionTime !== y.lastTransitionTime) return false;
  }
  const ma = a.currentMetrics ?? [];
  const mb = b.currentMetrics ?? [];
  if (ma.length !== mb.length) return false;
  for (let i = 0; i < ma.length; i++) if (!metricStatusEqual(ma[i] ?? null, mb[i] ?? null)) return false;
  return true;
}

function metricStatusEqual(a: MetricStatus | null, b: MetricStatus | null): boolean {
  if (a === b) return true;
  if (a === null || b === null || a.type !== b.type) return false;
  const sa = a.resource ?? a.containerResource ?? a.pods ?? a.object ?? a.external;
  const sb = b.resource ?? b.containerResource ?? b.pods ?? b.object ?? b.external;
  if (sa === undefined || sb === undefined) return sa === sb && deepEqual(a, b);
  const x = sa.current;
  const y = sb.current;
  if (x.value !== y.value || x.averageValue !== y.averageValue || x.averageUtilization !== y.averageUtilization) return false;
  // Identity fields come from the spec: the same objects in the common case.
  const ia = sa as { name?: string; container?: string; metric?: unknown; describedObject?: unknown };
  const ib = sb as typeof ia;
  return ia.name === ib.name && ia.container === ib.container && deepEqual(ia.metric, ib.metric) && deepEqual(ia.describedObject, ib.describedObject);
}

/** Semantic equality of plain data; `undefined` members count as absent. No allocation. */
function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!deepEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  let na = 0;
  for (const k in ra) {
    if (ra[k] === undefined) continue;
    na++;
    if (!deepEqual(ra[k], rb[k])) return false;
  }
  let nb = 0;
  for (const k in rb) if (rb[k] !== undefined) nb++;
  return na === nb;
}

