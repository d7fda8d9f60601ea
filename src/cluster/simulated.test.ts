import { describe, expect, it } from 'vitest';
import { createManualClock } from '../core/index.js';
import { systemClock } from '../platform/index.js';
import { describeClusterTarget } from './contract.test-suite.js';
import { createSimulatedTarget } from './simulated.js';

describeClusterTarget('simulated, ready at once', async () => createSimulatedTarget({ name: 'sim', clock: systemClock }));
describeClusterTarget('simulated, ready after 30 ms', async () =>
  createSimulatedTarget({ name: 'sim', clock: systemClock, startDelayMs: 10, readinessDelayMs: 20 }),
);

describe('createSimulatedTarget()', () => {
  it('moves a pod from Pending to Running to Ready as the clock passes the delays', async () => {
    const clock = createManualClock(1_000);
    const t = createSimulatedTarget({ name: 'w', clock, startDelayMs: 5_000, readinessDelayMs: 30_000 });
    const view = async () => (await t.listPods()).map((p) => [p.phase, p.ready?.status, p.ready?.lastTransitionTimeMs]);
    expect(await view()).toEqual([['Pending', 'False', 1_000]]);
    clock.advance(5_000);
    expect(await view()).toEqual([['Running', 'False', 1_000]]);
    clock.advance(30_000);
    expect(await view()).toEqual([['Running', 'True', 36_000]]);
  });

  it('deletes the pods that are not ready first, then the newest', async () => {
    const clock = createManualClock(0);
    const t = createSimulatedTarget({ name: 'w', clock, initialReplicas: 2, readinessDelayMs: 10_000 });
    clock.advance(20_000); // the first two are ready
    await t.setReplicas(3); // the third is not
    const third = (await t.listPods()).find((p) => p.ready?.status === 'False')?.name;
    await t.setReplicas(2);
    expect((await t.listPods()).map((p) => p.name)).not.toContain(third);
    clock.advance(1_000);
    await t.setReplicas(3);
    const newest = (await t.listPods()).find((p) => p.startTimeMs === 21_000)?.name;
    clock.advance(20_000); // all ready; the newest has been ready for the least time
    await t.setReplicas(2);
    expect((await t.listPods()).map((p) => p.name)).not.toContain(newest);
  });

  it('records SuccessfulCreate and SuccessfulDelete events as a ReplicaSet does', async () => {
    const t = createSimulatedTarget({ name: 'api-server', clock: createManualClock(0), initialReplicas: 1 });
    await t.setReplicas(2);
    await t.setReplicas(1);
    expect(t.events().map((e) => [e.type, e.reason, e.object, e.message.replace(/api-server-\w+/, 'api-server-x')])).toEqual([
      ['Normal', 'SuccessfulCreate', 'ReplicaSet/api-server', 'Created pod: api-server-x'],
      ['Normal', 'SuccessfulCreate', 'ReplicaSet/api-server', 'Created pod: api-server-x'],
      ['Normal', 'SuccessfulDelete', 'ReplicaSet/api-server', 'Deleted pod: api-server-x'],
    ]);
  });

  it('throws RangeError for a negative initialReplicas', () => {
    expect(() => createSimulatedTarget({ name: 'w', clock: systemClock, initialReplicas: -2 })).toThrow(
      "Cannot scale 'w' as 'replicas' must be an integer >= 0: got -2",
    );
  });
});
