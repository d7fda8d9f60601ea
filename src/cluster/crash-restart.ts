/**
 * A worker that exits on its own is restarted in the same pod after a back-off, doubled on each
 * crash up to `maxRestartBackoffMs` and reset once ready, with a `BackOff` event, as the kubelet
 * restarts a failed container (`restartPolicy: Always`).
 */
import { type PoolContext, type PoolPod, setPodReady } from './pool-pod.js';
import type { WorkerExit } from './worker-process.js';

/** Input of {@link scheduleRestart}. */
export interface ScheduleRestartInput {
  readonly exit: WorkerExit;
  /** The crashed process's last stderr lines, for the event's message. */
  readonly stderrTail: string;
  /** Starts the pod's next process. */
  readonly restart: () => void;
}

/** Marks the pod unready, records `BackOff` and restarts it after the back-off (unless deleted or closed). */
export function scheduleRestart(ctx: PoolContext, pod: PoolPod, input: ScheduleRestartInput): void {
  setPodReady(ctx, pod, false);
  const { exit } = input;
  const why = exit.error ? `failed to start: ${exit.error.message}` : exit.signal ? `killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const lastLine = input.stderrTail.trim().split('\n').at(-1)?.trim();
  ctx.event('Warning', 'BackOff', `Pod/${pod.name}`, `Back-off restarting failed container worker in pod ${pod.name}: ${why}${lastLine ? ` (${lastLine})` : ''}; restart in ${pod.backoffMs} ms`);
  const delayMs = pod.backoffMs;
  pod.backoffMs = Math.min(ctx.settings.maxRestartBackoffMs, pod.backoffMs * 2);
  pod.restartTimer = ctx.timers.setTimeout(() => {
    pod.restartTimer = undefined;
    if (pod.deleting || ctx.isClosed()) return;
    pod.restarts++;
    input.restart();
  }, delayMs);
}
