import { describe, expect, it } from 'vitest';
import { systemClock, systemTimers } from '../platform/index.js';
import { describeClusterTarget, eventually } from './contract.test-suite.js';
import { createLocalProcessPool, type LocalProcessPoolOptions, type WorkerRouter } from './local-process-pool.js';

/** Fast workers: short model load and grace, no service time; a 100 ms readiness probe. */
const FAST: Omit<LocalProcessPoolOptions, 'clock' | 'timers'> = {
  workerArgs: ['--model-load-ms', '100', '--rtf', '0', '--overhead-ms', '0', '--grace-ms', '2000'],
  healthIntervalMs: 100,
  restartBackoffMs: 100,
  killTimeoutMs: 5_000,
};

describeClusterTarget('local process pool', async () => createLocalProcessPool({ clock: systemClock, timers: systemTimers, ...FAST }), {
  timeoutMs: 30_000,
});

/** A router that records what the pool asks of it; `markDraining` waits for the test. */
function recordingRouter() {
  const calls: string[] = [];
  let releaseDrain: () => void = () => undefined;
  const drained = new Promise<void>((r) => (releaseDrain = r));
  const router: WorkerRouter = {
    addWorker: ({ id, ready }) => void calls.push(`add ${id} ready=${String(ready)}`),
    setReady: (id, ready) => (calls.push(`ready ${id} ${String(ready)}`), true),
    markDraining: (id) => (calls.push(`drain ${id}`), drained),
    removeWorker: (id) => (calls.push(`remove ${id}`), true),
    get: () => ({ inFlight: 0 }),
  };
  return { router, calls, releaseDrain: () => releaseDrain() };
}

describe('createLocalProcessPool()', () => {
  it('adds a worker to the router when it listens, routes to it once /health is 200, and drains it before SIGTERM', async () => {
    const { router, calls, releaseDrain } = recordingRouter();
    const pool = createLocalProcessPool({ clock: systemClock, timers: systemTimers, router, ...FAST });
    try {
      await eventually(() => pool.workers()[0]?.ready === true, 'a ready worker', 30_000);
      const [w] = pool.workers();
      expect(calls).toEqual([`add ${w?.name} ready=false`, `ready ${w?.name} true`]);
      await pool.setReplicas(0);
      await eventually(() => calls.includes(`drain ${w?.name}`), 'the drain call');
      // Still routed-away but alive: the pool waits for the API server's in-flight requests.
      await new Promise((r) => setTimeout(r, 200));
      expect(pool.workers()[0]).toMatchObject({ deleting: true, pid: w?.pid });
      expect(pool.events().some((e) => e.reason === 'Killing')).toBe(false);
      releaseDrain();
      await eventually(() => pool.workers().length === 0, 'the worker to stop', 10_000);
      expect(calls.at(-1)).toBe(`remove ${w?.name}`);
      expect(pool.events().map((e) => e.reason)).toEqual(['SuccessfulCreate', 'Started', 'SuccessfulDelete', 'Killing']);
    } finally {
      releaseDrain();
      await pool.close();
    }
  });

  it('restarts a killed worker in the same pod after a back-off and records a BackOff event', async () => {
    const pool = createLocalProcessPool({ clock: systemClock, timers: systemTimers, ...FAST });
    try {
      await eventually(() => pool.workers()[0]?.ready === true, 'a ready worker', 30_000);
      const before = pool.workers()[0];
      expect(pool.kill(before?.name ?? '', 'SIGKILL')).toBe(true);
      await eventually(() => pool.workers()[0]?.ready === false, 'the crash to be seen', 10_000);
      await eventually(() => pool.workers()[0]?.ready === true && pool.workers()[0]?.pid !== before?.pid, 'the restarted worker', 30_000);
      expect(pool.workers()[0]).toMatchObject({ name: before?.name, restarts: 1, phase: 'Running' });
      const backOff = pool.events().find((e) => e.reason === 'BackOff');
      expect(backOff).toMatchObject({ type: 'Warning', object: `Pod/${before?.name}` });
      expect(backOff?.message).toContain('killed by SIGKILL');
      expect(await pool.getScale()).toMatchObject({ specReplicas: 1, statusReplicas: 1 });
    } finally {
      await pool.close();
    }
  });

  it('lists a worker that has not printed its listening line as Pending and not ready', async () => {
    const pool = createLocalProcessPool({ clock: systemClock, timers: systemTimers, ...FAST });
    try {
      const [pod] = await pool.listPods();
      expect(pod).toMatchObject({ phase: 'Pending', ready: { status: 'False' }, labels: { app: 'lightning-asr' } });
      expect(pool.scrapeTargets()).toEqual([]);
      await eventually(() => pool.scrapeTargets().length === 1, 'a scrape target', 30_000);
      expect(pool.scrapeTargets()[0]?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
    } finally {
      await pool.close();
    }
  });
});
