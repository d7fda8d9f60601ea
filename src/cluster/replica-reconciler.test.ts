import { describe, expect, it } from 'vitest';
import { newPoolPod, type PoolPod } from './pool-pod.js';
import { reconcileReplicas } from './replica-reconciler.js';

function pod(name: string, edit: Partial<PoolPod> = {}): PoolPod {
  return Object.assign(newPoolPod(name, 0, 1_000), { phase: 'Running', ready: true }, edit);
}

describe('reconcileReplicas', () => {
  it.each([
    { pods: [], desired: 3, create: 3, remove: [] },
    { pods: [pod('a')], desired: 1, create: 0, remove: [] },
    { pods: [pod('a'), pod('b', { deleting: true })], desired: 2, create: 1, remove: [] },
    { pods: [pod('a'), pod('b', { ready: false })], desired: 1, create: 0, remove: ['b'] },
    { pods: [pod('a'), pod('b', { phase: 'Pending', ready: false }), pod('c')], desired: 1, create: 0, remove: ['b', 'c'] },
  ])('$desired desired from $pods.length pods: create $create, delete $remove', ({ pods, desired, create, remove }) => {
    const plan = reconcileReplicas({ pods, desired, busy: () => 0 });
    expect(plan.create).toBe(create);
    expect(plan.remove.map((p) => p.name).sort()).toEqual(remove);
  });

  it('deletes the least busy of otherwise equal pods first', () => {
    const plan = reconcileReplicas({ pods: [pod('a'), pod('b')], desired: 1, busy: (n) => (n === 'a' ? 5 : 0) });
    expect(plan.remove.map((p) => p.name)).toEqual(['b']);
  });
});
