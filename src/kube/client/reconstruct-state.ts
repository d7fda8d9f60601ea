/**
 * The controller's memory for one HPA (its recommendations in the stabilization window and its
 * recent scale events) is not in the API. We rebuild it from outside: the HPA's
 * `SuccessfulRescale` Events ("New size: N; reason: ...") and `status.lastScaleTime`. This part
 * of an explanation is reconstructed, not exact: Events are aggregated and expire (1 h by
 * default), and the controller records a recommendation at every sync, not only at rescales.
 */
import { getLongestPolicyPeriod, applyHpaDefaults, type AutoscalerState, type HorizontalPodAutoscaler, type ScaleEvent } from '../../engine/index.js';
import type { KubeClient } from './connect-cluster.js';
import { timeMs, type Json } from './from-api.js';

/** A rescale as the Events tell it. */
export interface RescaleEvent {
  readonly atMs: number;
  readonly newSize: number;
  readonly reason: string;
}

/** The state rebuilt, with what it was rebuilt from. */
export interface ReconstructedState {
  readonly state: AutoscalerState;
  readonly rescales: readonly RescaleEvent[];
  /** Human lines saying what was used and what is unknown. */
  readonly notes: readonly string[];
}

/** Parses `SuccessfulRescale` events of the HPA's event list (oldest first). */
export function rescaleEvents(events: readonly Json[]): RescaleEvent[] {
  const out: RescaleEvent[] = [];
  for (const e of events) {
    if (e.reason !== 'SuccessfulRescale') continue;
    const m = /New size: (\d+); reason: (.*)$/.exec(String(e.message ?? ''));
    if (!m) continue;
    const atMs = timeMs(e.lastTimestamp) ?? timeMs(e.eventTime) ?? timeMs(e.firstTimestamp) ?? timeMs(e.metadata?.creationTimestamp);
    if (atMs === undefined) continue;
    out.push({ atMs, newSize: Number(m[1]), reason: m[2] ?? '' });
  }
  return out.sort((a, b) => a.atMs - b.atMs);
}

/** Reads the Events of one HPA (one list call, filtered by the server). */
export async function readHpaEvents(client: KubeClient, namespace: string, name: string): Promise<Json[]> {
  const fs = encodeURIComponent(`involvedObject.kind=HorizontalPodAutoscaler,involvedObject.name=${name}`);
  const list = await client.get<Json>(`/api/v1/namespaces/${encodeURIComponent(namespace)}/events?fieldSelector=${fs}`, { what: `events of horizontalpodautoscaler ${namespace}/${name}` });
  return (list.items ?? []) as Json[];
}

/**
 * What the window holds when no rescale falls in it: `restarted` = the controller has no entry
 * for the HPA yet (it records the current size first, which holds a scale-down for the window);
 * `steady` = the controller has been running and its window holds only the current proposal.
 * Default: `steady` when the HPA's status has conditions (a controller has synced it), else
 * `restarted`.
 */
export type WindowAssumption = 'steady' | 'restarted';

/** Rebuilds the controller's per-HPA state at `nowMs` from Events and status. */
export function reconstructState(input: { hpa: HorizontalPodAutoscaler; events: readonly Json[]; nowMs: number; downscaleStabilizationWindowSeconds?: number; window?: WindowAssumption | undefined }): ReconstructedState {
  const hpa = applyHpaDefaults(input.hpa);
  const { nowMs } = input;
  const b = hpa.spec.behavior;
  const downWindow = b?.scaleDown?.stabilizationWindowSeconds ?? input.downscaleStabilizationWindowSeconds ?? 300;
  const upWindow = b?.scaleUp?.stabilizationWindowSeconds ?? 0;
  const windowSeconds = Math.max(downWindow, upWindow);
  const upPeriod = b?.scaleUp ? getLongestPolicyPeriod(b.scaleUp) : 0;
  const downPeriod = b?.scaleDown ? getLongestPolicyPeriod(b.scaleDown) : 0;
  const rescales = [...rescaleEvents(input.events)];
  const notes: string[] = [];
  const lastScaleTime = hpa.status?.lastScaleTime;
  // The newest event and status.lastScaleTime name the same rescale: prefer the status's time.
  const newest = rescales[rescales.length - 1];
  if (newest && lastScaleTime !== undefined && Math.abs(newest.atMs - lastScaleTime) < 60_000) rescales[rescales.length - 1] = { ...newest, atMs: lastScaleTime };
  const inWindow = rescales.filter((r) => nowMs - r.atMs < windowSeconds * 1000);
  const up: ScaleEvent[] = [];
  const down: ScaleEvent[] = [];
  for (let i = 1; i < rescales.length; i++) {
    const prev = rescales[i - 1];
    const cur = rescales[i];
    if (!prev || !cur) continue;
    const change = cur.newSize - prev.newSize;
    if (change > 0 && nowMs - cur.atMs < upPeriod * 1000) up.push({ replicaChange: change, timestampMs: cur.atMs, outdated: false });
    if (change < 0 && nowMs - cur.atMs < downPeriod * 1000) down.push({ replicaChange: -change, timestampMs: cur.atMs, outdated: false });
  }
  notes.push(
    rescales.length === 0
      ? `no SuccessfulRescale event found${lastScaleTime !== undefined ? ` (status.lastScaleTime ${new Date(lastScaleTime).toISOString()})` : ''}`
      : `${inWindow.length} of ${rescales.length} rescale event(s) fall in the ${windowSeconds}s window: each counts as one recommendation; the recommendations of syncs without a rescale are not visible from outside`,
  );
  if (rescales.length > 0 && up.length + down.length < rescales.length - 1) notes.push('scale events older than the longest policy period are dropped, as the controller does');
  const window = input.window ?? (hpa.status?.conditions?.length ? 'steady' : 'restarted');
  const recommendations = inWindow.length > 0 ? inWindow.map((r) => ({ recommendation: r.newSize, timestampMs: r.atMs })) : window === 'steady' ? [] : null;
  if (inWindow.length === 0) notes.push(window === 'steady' ? 'assumed a steady controller: its window holds only the current proposal (--window restarted for a controller that just started)' : 'assumed a controller that just started: it records the current size first, which holds a scale-down for the window (--window steady otherwise)');
  return { state: { recommendations, scaleUpEvents: up, scaleDownEvents: down }, rescales, notes };
}
