/**
 * Removing a pool pod the way Kubernetes removes a pod behind a Service: out of the endpoints
 * first (no new request), its in-flight requests answered (bounded by `drainTimeoutMs`), then
 * SIGTERM, and SIGKILL only after `killTimeoutMs`.
 */
import { sleepOn, type TimerHandle } from '../core/index.js';
import type { PoolContext, PoolPod } from './pool-pod.js';
import { isRunning } from './worker-process.js';

/** Sends SIGTERM, then SIGKILL after `killTimeoutMs`; resolves when the process has exited. */
export async function stopWorker(ctx: PoolContext, pod: PoolPod): Promise<void> {
  const child = pod.worker?.child;
  if (child === undefined || !isRunning(child)) return;
  ctx.event('Normal', 'Killing', `Pod/${pod.name}`, 'Stopping container worker');
  child.kill('SIGTERM');
  let timer: TimerHandle | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = ctx.timers.setTimeout(() => {
      if (isRunning(child)) child.kill('SIGKILL');
      resolve();
    }, ctx.settings.killTimeoutMs);
  });
  await Promise.race([pod.exited, killed]);
  if (timer !== undefined) ctx.timers.clearTimeout(timer);
  await pod.exited;
}

/**
 * Drains the pod in the router (when it was routed to), then stops its process.
 * The caller marks the pod `deleting` first, so no probe or restart touches it meanwhile.
 */
export async function drainThenStop(ctx: PoolContext, pod: PoolPod): Promise<void> {
  if (ctx.router !== undefined && pod.url !== undefined) {
    await Promise.race([ctx.router.markDraining(pod.name), sleepOn(ctx.timers, ctx.settings.drainTimeoutMs)]);
  }
  await stopWorker(ctx, pod);
}
