import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_MODEL } from './defaults.js';
import type { ServiceModel } from './types.js';
import { spikeIntegral } from './pod-resources.js';
import { ServiceSim } from './service-sim.js';

function service(overrides: Partial<ServiceModel> = {}, dtSeconds = 1): ServiceSim {
  return new ServiceSim('asr', { ...DEFAULT_SERVICE_MODEL, ...overrides }, { dtSeconds, sloLatencySeconds: 5 });
}

/** Runs `steps` steps at a constant `rps` and returns the mean of `active` over the second half. */
function steady(svc: ServiceSim, rps: number, steps: number, dtSeconds = 1): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i < steps; i++) {
    svc.step(i * dtSeconds, rps * dtSeconds, rps);
    if (i >= steps / 2) {
      sum += svc.totalActive();
      n++;
    }
  }
  return sum / n;
}

describe('ServiceSim: Little’s law', () => {
  it.each([
    { name: 'lognormal (the default), 1 s steps', serviceTime: DEFAULT_SERVICE_MODEL.serviceTime, dt: 1 },
    { name: 'fixed 1 s', serviceTime: { distribution: 'fixed', meanSeconds: 1 } as const, dt: 1 },
    { name: 'exponential 3 s', serviceTime: { distribution: 'exponential', meanSeconds: 3 } as const, dt: 1 },
    { name: 'fixed 0.2 s, shorter than a step', serviceTime: { distribution: 'fixed', meanSeconds: 0.2 } as const, dt: 1 },
    { name: 'fixed 5 s in 0.5 s steps', serviceTime: { distribution: 'fixed', meanSeconds: 5 } as const, dt: 0.5 },
  ])('active requests = arrival rate × mean service time: $name', ({ serviceTime, dt }) => {
    const svc = service({ serviceTime, concurrency: 1000, queueLimit: null }, dt);
    svc.start(2);
    const active = steady(svc, 10, 2000, dt);
    expect(active).toBeCloseTo(10 * svc.serviceTime.meanSeconds, 6);
  });
});

describe('ServiceSim: capacity and queues', () => {
  it('serves at most concurrency / mean service time per pod and queues the rest', () => {
    const svc = service({ serviceTime: { distribution: 'fixed', meanSeconds: 1 }, concurrency: 4, queueLimit: null });
    svc.start(1);
    for (let i = 0; i < 100; i++) svc.step(i, 10, 10);
    // 10 arrive per second, 4 per second complete: the queue grows by ~6 a second.
    expect(svc.totalQueued()).toBeGreaterThan(500);
    expect(svc.completed).toBeLessThan(4 * 100 + 1);
    expect(svc.completed).toBeGreaterThan(4 * 95);
  });

  it('drops what does not fit in the queue limit and counts the waits of the rest', () => {
    const svc = service({ serviceTime: { distribution: 'fixed', meanSeconds: 1 }, concurrency: 2, queueLimit: 10 });
    svc.start(1);
    for (let i = 0; i < 60; i++) svc.step(i, 5, 5);
    expect(svc.totalQueued()).toBeCloseTo(10, 6);
    // 5 arrive, 2 served: 3 a second beyond the queue, after it filled in the first seconds.
    expect(svc.dropped).toBeGreaterThan(3 * 55);
    svc.latency.flushWindow();
    expect(svc.latency.totals().p99).toBeGreaterThan(4);
  });

  it('drops arrivals when no pod is ready (the Service has no endpoints)', () => {
    const svc = service({ initialState: 'starting', schedulingDelaySeconds: 5, modelLoadSeconds: 10 });
    svc.start(1);
    for (let i = 0; i < 20; i++) svc.step(i, 3, 3);
    // Ready at 15 s: the first 15 steps' 45 requests are dropped.
    expect(svc.dropped).toBe(45);
    expect(svc.arrivals).toBe(60);
  });

  it('conserves requests: arrived = completed + dropped + still active', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 80, noNaN: true }), { minLength: 5, maxLength: 80 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom('least-active' as const, 'round-robin' as const),
        fc.array(fc.integer({ min: 0, max: 8 }), { maxLength: 6 }),
        (arrivals, replicas, loadBalancing, scales) => {
          const svc = service({ loadBalancing, queueLimit: 20, modelLoadSeconds: 3, schedulingDelaySeconds: 1, terminationGracePeriodSeconds: 4 });
          svc.start(replicas);
          arrivals.forEach((a, i) => {
            const s = scales[i % 7];
            if (i % 7 === 3 && s !== undefined) svc.scaleTo(s, i);
            svc.step(i, a, a);
          });
          const total = svc.completed + svc.dropped + svc.totalActive();
          expect(total).toBeCloseTo(svc.arrivals, 6);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('ServiceSim: routing', () => {
  it.each([
    { name: 'gives all of a small batch to the new pod', amount: 12, newPod: 12, othersGain: 0 },
    { name: 'fills the new pod until it is level, then spreads the rest', amount: 60, newPod: 'level', othersGain: 'some' },
  ])('least-active routing $name', ({ amount, newPod, othersGain }) => {
    const svc = service({ serviceTime: { distribution: 'fixed', meanSeconds: 10 }, concurrency: 100, modelLoadSeconds: 0, schedulingDelaySeconds: 0 });
    svc.start(2);
    for (let i = 0; i < 100; i++) svc.step(i, 4, 4);
    const before = svc.pods[0]!.arrivals;
    svc.scaleTo(3, 100);
    svc.step(100, amount, amount);
    const [a, b, c] = svc.pods;
    const gained = a!.arrivals - before;
    if (newPod === 'level') {
      // Level before this step's in-step completions, which differ by a few millionths.
      expect(c!.active).toBeCloseTo(a!.active, 4);
      expect(b!.active).toBeCloseTo(a!.active, 4);
    } else {
      expect(c!.arrivals).toBeCloseTo(Number(newPod), 9);
    }
    if (othersGain === 0) expect(gained).toBe(0);
    else expect(gained).toBeGreaterThan(0);
  });

  it('round-robin gives a new pod its equal share, so it stays below the others for a while', () => {
    const svc = service({ serviceTime: { distribution: 'fixed', meanSeconds: 10 }, concurrency: 100, modelLoadSeconds: 0, schedulingDelaySeconds: 0, loadBalancing: 'round-robin' });
    svc.start(2);
    for (let i = 0; i < 100; i++) svc.step(i, 4, 4);
    svc.scaleTo(3, 100);
    svc.step(100, 12, 12);
    const [a, , c] = svc.pods;
    expect(c!.active).toBeLessThan(a!.active / 2);
  });

  it('merges pods whose state has converged into one cohort', () => {
    const svc = service({ modelLoadSeconds: 0, schedulingDelaySeconds: 0 });
    svc.start(2);
    svc.scaleTo(6, 0);
    for (let i = 0; i < 400; i++) svc.step(i, 20, 20);
    // The not-ready cohort is always there; every ready pod shares one.
    expect(svc.cohortCount).toBe(2);
  });
});

describe('ServiceSim: scale-down', () => {
  it('drains a deleted pod: no new requests, gone once its requests finished', () => {
    const svc = service({ serviceTime: { distribution: 'fixed', meanSeconds: 2 }, modelLoadSeconds: 0, schedulingDelaySeconds: 0, terminationGracePeriodSeconds: 60 });
    svc.start(2);
    for (let i = 0; i < 50; i++) svc.step(i, 6, 6);
    svc.scaleTo(1, 50);
    const deleted = svc.pods.find((p) => p.deleting)!;
    expect(deleted.active).toBeGreaterThan(0);
    const before = deleted.arrivals;
    let steps = 0;
    while (svc.pods.includes(deleted) && steps < 60) svc.step(50 + steps++, 6, 6);
    expect(svc.pods).not.toContain(deleted);
    expect(deleted.arrivals).toBe(before);
    expect(steps).toBeLessThan(30);
    expect(svc.dropped).toBe(0);
  });

  it('drops what is left when the grace period ends', () => {
    const svc = service({ serviceTime: { distribution: 'fixed', meanSeconds: 100 }, modelLoadSeconds: 0, schedulingDelaySeconds: 0, terminationGracePeriodSeconds: 5, concurrency: 50 });
    svc.start(2);
    for (let i = 0; i < 20; i++) svc.step(i, 4, 4);
    svc.scaleTo(1, 20);
    for (let i = 20; i < 30; i++) svc.step(i, 0, 0);
    expect(svc.pods).toHaveLength(1);
    expect(svc.dropped).toBeGreaterThan(10);
  });

  it('deletes pods that never started at once', () => {
    const svc = service({ schedulingDelaySeconds: 30 });
    svc.start(1);
    svc.scaleTo(4, 0);
    svc.scaleTo(1, 5);
    expect(svc.pods).toHaveLength(1);
  });
});

describe('spikeIntegral()', () => {
  const spike = { extraMillicores: 500, holdSeconds: 100, decaySeconds: 50 };
  it.each([
    { name: 'inside the hold', a0: 10, a1: 20, want: 5000 },
    { name: 'before the container started', a0: -20, a1: 0, want: 0 },
    { name: 'over the whole decay', a0: 100, a1: 1e9, want: 500 * 50 },
    { name: 'across hold and decay', a0: 90, a1: 150, want: 5000 + 500 * 50 * (1 - Math.exp(-1)) },
  ])('integrates the startup CPU $name', ({ a0, a1, want }) => {
    expect(spikeIntegral(spike, a0, a1)).toBeCloseTo(want, 6);
  });
});

describe('ServiceSim: CPU and memory', () => {
  it('averages CPU over a window from idle, per request in service and the startup spike', () => {
    const svc = service({
      serviceTime: { distribution: 'fixed', meanSeconds: 1 },
      cpu: { idleMillicores: 50, perRequestMillicores: 100, startup: { extraMillicores: 550, holdSeconds: 240, decaySeconds: 60 } },
      memory: { idleBytes: 1000, perRequestBytes: 10 },
      initialState: 'starting',
      schedulingDelaySeconds: 0,
      modelLoadSeconds: 0,
    });
    svc.start(1);
    for (let i = 0; i < 30; i++) svc.step(i, 2, 2);
    const pod = svc.pods[0]!;
    // 2 rps × 1 s = 2 in service: 50 + 200 + 550 during the hold.
    expect(svc.cpuMillicores(pod, 15, 30, pod.inServiceSeconds - 2 * 15)).toBeCloseTo(800, 6);
    expect(svc.startupMillicores(pod, 15, 30)).toBeCloseTo(550, 9);
    expect(svc.memoryBytes(pod)).toBeCloseTo(1000 + 10 * pod.active, 9);
  });
});
