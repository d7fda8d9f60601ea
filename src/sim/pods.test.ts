import { describe, expect, it } from 'vitest';
import { Cohort, COHORT_NOT_READY, COHORT_READY, compareForDeletion, Pod, podName, toPodInfo } from './pods.js';

function pod(input: { ordinal: number; createdS: number; startS: number; readyS: number; deletingS?: number }): Pod {
  const p = new Pod({ name: `p${input.ordinal}`, ordinal: input.ordinal, createdS: input.createdS, startS: input.startS, readyS: input.readyS, cohort: new Cohort(COHORT_NOT_READY, 1) });
  if (input.deletingS !== undefined) p.deletingS = input.deletingS;
  return p;
}

describe('compareForDeletion()', () => {
  const t = 100;
  it.each([
    { name: 'unscheduled before scheduled', a: pod({ ordinal: 0, createdS: 95, startS: 105, readyS: 135 }), b: pod({ ordinal: 1, createdS: 0, startS: 5, readyS: 35 }) },
    { name: 'not ready before ready', a: pod({ ordinal: 0, createdS: 0, startS: 5, readyS: 200 }), b: pod({ ordinal: 1, createdS: 50, startS: 55, readyS: 85 }) },
    { name: 'ready for less time before ready for longer', a: pod({ ordinal: 0, createdS: 0, startS: 5, readyS: 90 }), b: pod({ ordinal: 1, createdS: 10, startS: 15, readyS: 45 }) },
    { name: 'newer before older when both not ready', a: pod({ ordinal: 1, createdS: 60, startS: 65, readyS: 500 }), b: pod({ ordinal: 0, createdS: 50, startS: 55, readyS: 500 }) },
    { name: 'higher ordinal on a tie', a: pod({ ordinal: 2, createdS: 0, startS: 5, readyS: 35 }), b: pod({ ordinal: 1, createdS: 0, startS: 5, readyS: 35 }) },
  ])('deletes $name', ({ a, b }) => {
    expect(compareForDeletion(a, b, t)).toBeLessThan(0);
    expect(compareForDeletion(b, a, t)).toBeGreaterThan(0);
  });
});

describe('toPodInfo()', () => {
  const options = { labels: { app: 'asr' }, containers: [{ name: 'asr', requestsMilli: { cpu: 500 } }] };
  it.each([
    { name: 'Pending without start time before it is scheduled', t: 3, want: { phase: 'Pending', startTimeMs: undefined, ready: undefined, deleting: undefined } },
    { name: 'Running, not ready while the model loads', t: 20, want: { phase: 'Running', startTimeMs: 5000, ready: { status: 'False', lastTransitionTimeMs: 5000 }, deleting: undefined } },
    { name: 'Ready since readyS', t: 60, want: { phase: 'Running', startTimeMs: 5000, ready: { status: 'True', lastTransitionTimeMs: 35000 }, deleting: undefined } },
  ])('is $name', ({ t, want }) => {
    const info = toPodInfo(pod({ ordinal: 0, createdS: 0, startS: 5, readyS: 35 }), t, options);
    expect({ phase: info.phase, startTimeMs: info.startTimeMs, ready: info.ready, deleting: info.deleting }).toEqual(want);
    expect(info.labels).toEqual({ app: 'asr' });
    expect(info.containers?.[0]?.requestsMilli).toEqual({ cpu: 500 });
  });

  it('marks a deleted ready pod deleting and not ready since its deletion', () => {
    const info = toPodInfo(pod({ ordinal: 0, createdS: 0, startS: 5, readyS: 35, deletingS: 80 }), 90, options);
    expect(info.deleting).toBe(true);
    expect(info.ready).toEqual({ status: 'False', lastTransitionTimeMs: 80000 });
  });

  it('reuses the object while nothing changed and builds a new one when readiness does', () => {
    const p = pod({ ordinal: 0, createdS: 0, startS: 5, readyS: 35 });
    const a = toPodInfo(p, 10, options);
    expect(toPodInfo(p, 20, options)).toBe(a);
    expect(toPodInfo(p, 40, options)).not.toBe(a);
  });
});

describe('Pod counters', () => {
  it('keeps its own request count when it moves to another cohort', () => {
    const a = new Cohort(COHORT_READY, 1);
    const b = new Cohort(COHORT_READY, 1);
    a.cumArrivals = 100;
    b.cumArrivals = 40;
    const p = new Pod({ name: 'p', ordinal: 0, createdS: 0, startS: 0, readyS: 0, cohort: a });
    expect(p.arrivals).toBe(100);
    p.moveTo(b);
    expect([p.arrivals, a.count, b.count]).toEqual([100, 0, 1]);
    b.cumArrivals += 5;
    expect(p.arrivals).toBe(105);
  });
});

describe('podName()', () => {
  it('is unique per ordinal and looks like a ReplicaSet pod', () => {
    const names = new Set(Array.from({ length: 20_000 }, (_, i) => podName('lightning-asr', i)));
    expect(names.size).toBe(20_000);
    expect(podName('lightning-asr', 0)).toMatch(/^lightning-asr-5f7c8-[a-z0-9]{5}$/);
  });
});
