import { type ApiServerHandle, startApiServer } from '../../src/workload/api-server/api-server.js';
import { type WorkerHandle, startWorker } from '../../src/workload/worker/worker-server.js';
import type { WorkerServerOptions } from '../../src/workload/worker/worker-server.js';

export const TOKEN = 'integration-test-key';

export interface Stack {
  readonly api: ApiServerHandle;
  readonly workers: WorkerHandle[];
  /** Stops everything (grace 0 for leftovers); safe to call twice. */
  stop(): Promise<void>;
}

/** An API server and `count` real workers on 127.0.0.1 ephemeral ports, the workers registered as w1..wN. */
export async function startStack(count: number, workerOptions: WorkerServerOptions = {}): Promise<Stack> {
  const api = await startApiServer({ port: 0, token: TOKEN, defaultMetrics: false });
  const workers: WorkerHandle[] = [];
  for (let i = 0; i < count; i++) {
    const w = await startWorker({ port: 0, metricsPort: 0, modelLoadMs: 0, defaultMetrics: false, ...workerOptions });
    workers.push(w);
    api.app.workers.addWorker({ id: `w${i + 1}`, url: w.url });
  }
  return {
    api,
    workers,
    async stop() {
      await api.stop({ graceMs: 0 });
      await Promise.all(workers.map((w) => w.stop({ graceMs: 0 })));
    },
  };
}

/** Resolves after `ms` of real time. */
export const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
