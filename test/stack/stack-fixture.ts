/**
 * Helpers for the stack's integration tests: an HPA with second-long windows, fast workers,
 * and bounded waits.
 */
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';
import { FAST_SETTINGS, startStack, type Stack, type StackOptions } from '../../src/stack/index.js';

export const TOKEN = 'stack-test-key';

/** The seeds' Lightning ASR HPA, with a 3 s scale-down window so tests see scale-down. */
export function testHpa(over: { readonly scaleDownWindowSeconds?: number; readonly maxReplicas?: number } = {}): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'lightning-asr' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
      minReplicas: 1,
      maxReplicas: over.maxReplicas ?? 4,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
      behavior: { scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: over.scaleDownWindowSeconds ?? 3 } },
    },
  };
}

/** The seeds' API-server HPA: one API server per 2 workers. */
export const API_SERVER_HPA: HorizontalPodAutoscaler = {
  metadata: { name: 'api-server' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-server' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [{ type: 'External', external: { metric: { name: 'lightning_asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2' } } }],
    behavior: { scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: 3 } },
  },
};

/** Workers that load in 200 ms, serve 1 s of audio in 300 ms, 4 at once, and stop within 5 s. */
export const FAST_WORKER_ARGS = ['--rtf', '0.3', '--overhead-ms', '0', '--max-concurrency', '4', '--model-load-ms', '200', '--grace-ms', '5000'];

/** A stack on ephemeral ports, scraping and syncing every second. */
export function startTestStack(options: Partial<StackOptions> = {}): Promise<Stack> {
  return startStack({
    hpas: [testHpa()],
    token: TOKEN,
    port: 0,
    ...FAST_SETTINGS,
    healthIntervalMs: 100,
    restartBackoffMs: 100,
    workerArgs: FAST_WORKER_ARGS,
    ...options,
  });
}

/** Polls until `check` is true, bounded by `timeoutMs` (real time). */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether a process is still alive. */
export const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** CLI streams that record what a command wrote, for `main([...], io)`. */
export function fakeIo(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: { write: (s: string) => out.push(s) }, stderr: { write: (s: string) => err.push(s) }, cwd }, out: () => out.join(''), err: () => err.join('') };
}
