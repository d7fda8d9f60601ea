/**
 * The contract every `ClusterTarget` keeps, as one vitest suite (hono's `runTest` pattern):
 * `simulated.test.ts` and `local-process-pool.test.ts` call it with their own factories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchesSelector, parseSelector, type PodInfo, type ClusterTarget } from '../engine/index.js';

export interface ClusterTargetSuiteOptions {
  /** Longest wait for the target to converge after `setReplicas`; 20 s unless told. */
  readonly timeoutMs?: number;
}

/** Polls `check` until it returns true (bounded by `timeoutMs`, real time). */
export async function eventually(check: () => Promise<boolean> | boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const live = (pods: readonly PodInfo[]): PodInfo[] => pods.filter((p) => p.deleting !== true);
const isReady = (p: PodInfo): boolean => p.phase === 'Running' && p.ready?.status === 'True';

/**
 * Runs the shared contract against targets made by `create`, which must return a target with
 * exactly one replica. One target serves the whole suite, in order, and is closed at the end.
 *
 * @example describeClusterTarget('simulated', async () => createSimulatedTarget({ name: 'w', clock: systemClock }));
 */
export function describeClusterTarget(label: string, create: () => Promise<ClusterTarget>, options: ClusterTargetSuiteOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 20_000;
  describe(`ClusterTarget contract: ${label}`, () => {
    let target: ClusterTarget;
    beforeAll(async () => {
      target = await create();
    });
    afterAll(async () => {
      await target?.close();
    });

    it('getScale() reports one replica and a selector that its pods match', async () => {
      const scale = await target.getScale();
      expect(scale.specReplicas).toBe(1);
      const selector = parseSelector(scale.selector);
      await eventually(async () => live(await target.listPods()).length === 1, 'one pod');
      for (const p of await target.listPods()) expect(matchesSelector(selector, p.labels ?? {})).toBe(true);
    });

    it('setReplicas() scales up: every pod ends Running and Ready, with a unique name', async () => {
      await target.setReplicas(3);
      expect((await target.getScale()).specReplicas).toBe(3);
      await eventually(async () => {
        const pods = live(await target.listPods());
        return pods.length === 3 && pods.every(isReady);
      }, '3 ready pods', timeoutMs);
      const pods = await target.listPods();
      expect(new Set(pods.map((p) => p.name)).size).toBe(pods.length);
      expect((await target.getScale()).statusReplicas).toBe(3);
    });

    it('pods carry a start time no later than their readiness transition', async () => {
      for (const p of live(await target.listPods())) {
        expect(p.startTimeMs).toBeTypeOf('number');
        expect(p.ready?.lastTransitionTimeMs).toBeGreaterThanOrEqual(p.startTimeMs ?? Infinity);
      }
    });

    it('setReplicas() scales down to the count asked, keeping ready pods, and the rest go away', async () => {
      const before = new Set(live(await target.listPods()).map((p) => p.name));
      await target.setReplicas(1);
      expect((await target.getScale()).specReplicas).toBe(1);
      expect((await target.getScale()).statusReplicas).toBe(1);
      await eventually(async () => (await target.listPods()).length === 1, 'removed pods to be gone', timeoutMs);
      const [survivor] = await target.listPods();
      expect(before.has(survivor?.name ?? '')).toBe(true);
      expect(survivor && isReady(survivor)).toBe(true);
    });

    it.each([
      { name: 'a negative count', replicas: -1 },
      { name: 'a fractional count', replicas: 1.5 },
      { name: 'NaN', replicas: Number.NaN },
    ])('setReplicas() rejects $name with RangeError', async ({ replicas }) => {
      await expect(target.setReplicas(replicas)).rejects.toThrow(RangeError);
      await expect(target.setReplicas(replicas)).rejects.toThrow(`'replicas' must be an integer >= 0: got ${replicas}`);
      expect((await target.getScale()).specReplicas).toBe(1);
    });

    it('setReplicas(0) removes every pod', async () => {
      await target.setReplicas(0);
      await eventually(async () => (await target.listPods()).length === 0, 'no pods', timeoutMs);
      expect(await target.getScale()).toMatchObject({ specReplicas: 0, statusReplicas: 0 });
    });

    it('close() leaves no pod and refuses to scale', async () => {
      await target.setReplicas(1);
      await target.close();
      expect(await target.listPods()).toEqual([]);
      await expect(target.setReplicas(2)).rejects.toThrow('the target is closed');
    });
  });
}
