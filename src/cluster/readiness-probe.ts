/**
 * The readiness probe of a pool pod: `GET /health` every `healthIntervalMs`, ready on 200, as the
 * kubelet's HTTP probe with `periodSeconds` and `timeoutSeconds`.
 */
import { httpRequest } from '../platform/index.js';
import { type PoolContext, type PoolPod, setPodReady } from './pool-pod.js';

/**
 * Probes the pod once (skipped while a probe is in flight, before it listens, or while it is being
 * deleted); an answer from a process replaced meanwhile is ignored.
 */
export async function probePod(ctx: PoolContext, pod: PoolPod): Promise<void> {
  if (pod.probing || pod.url === undefined || pod.deleting) return;
  pod.probing = true;
  const worker = pod.worker;
  let ok: boolean;
  try {
    const r = await httpRequest(`${pod.url}/health`, { timeoutMs: ctx.settings.healthTimeoutMs });
    ok = r.status === 200;
  } catch {
    ok = false;
  } finally {
    pod.probing = false;
  }
  if (worker === pod.worker && !pod.deleting) setPodReady(ctx, pod, ok);
}

/** Schedules the next probe, and the one after it, until the pod is deleted or its process ends. */
export function scheduleProbe(ctx: PoolContext, pod: PoolPod): void {
  const { timers } = ctx;
  if (pod.healthTimer !== undefined) timers.clearTimeout(pod.healthTimer);
  pod.healthTimer = timers.setTimeout(() => {
    pod.healthTimer = undefined;
    if (pod.deleting || pod.worker === undefined) return;
    void probePod(ctx, pod).finally(() => {
      if (!pod.deleting && pod.worker !== undefined) scheduleProbe(ctx, pod);
    });
  }, ctx.settings.healthIntervalMs);
}
