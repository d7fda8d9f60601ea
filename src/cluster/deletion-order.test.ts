import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareForDeletion, pickForDeletion, type DeletionCandidate } from './deletion-order.js';
import { makePodName, POD_NAME_ALPHABET } from './pod-name.js';

const pod = (name: string, over: Partial<DeletionCandidate> = {}): DeletionCandidate => ({
  name,
  phase: 'Running',
  ready: true,
  readySinceMs: 0,
  createdMs: 0,
  restarts: 0,
  busy: 0,
  ...over,
});

describe('pickForDeletion()', () => {
  it.each([
    { name: 'takes a Pending pod before a Running one', pods: [pod('run', { ready: false }), pod('pend', { phase: 'Pending', ready: false })], want: 'pend' },
    { name: 'takes an unready pod before an idle ready one', pods: [pod('idle'), pod('loading', { ready: false, busy: 3 })], want: 'loading' },
    { name: 'takes the least busy of ready pods', pods: [pod('busy', { busy: 5 }), pod('calm', { busy: 1 }), pod('mid', { busy: 2 })], want: 'calm' },
    { name: 'then the one ready for the least time', pods: [pod('old', { readySinceMs: 1 }), pod('new', { readySinceMs: 9 })], want: 'new' },
    { name: 'then the one restarted most', pods: [pod('a', { restarts: 0 }), pod('b', { restarts: 2 })], want: 'b' },
    { name: 'then the newest', pods: [pod('a', { createdMs: 1 }), pod('b', { createdMs: 5 })], want: 'b' },
  ])('$name', ({ pods, want }) => {
    expect(pickForDeletion(pods, 1).map((p) => p.name)).toEqual([want]);
  });

  it('returns nothing for a count of 0 or less', () => {
    expect(pickForDeletion([pod('a')], 0)).toEqual([]);
    expect(pickForDeletion([pod('a')], -1)).toEqual([]);
  });

  it('is a total order: antisymmetric and independent of input order (property)', () => {
    const arb = fc.record({
      name: fc.string({ maxLength: 3 }),
      phase: fc.constantFrom('Pending', 'Running', 'Unknown'),
      ready: fc.boolean(),
      readySinceMs: fc.integer({ min: 0, max: 5 }),
      createdMs: fc.integer({ min: 0, max: 5 }),
      restarts: fc.integer({ min: 0, max: 2 }),
      busy: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.uniqueArray(arb, { selector: (p) => p.name, maxLength: 8 }), fc.integer({ min: 0, max: 8 }), (pods, n) => {
        for (const a of pods) for (const b of pods) expect(Math.sign(compareForDeletion(a, b))).toBe(-Math.sign(compareForDeletion(b, a)) || 0);
        const names = (xs: readonly DeletionCandidate[]) => pickForDeletion(xs, n).map((p) => p.name);
        expect(names([...pods].reverse())).toEqual(names(pods));
      }),
    );
  });
});

describe('makePodName()', () => {
  it('appends five characters of the Kubernetes alphabet', () => {
    expect(makePodName('lightning-asr', new Set(), () => 0)).toBe('lightning-asr-bbbbb');
    expect(makePodName('w', new Set(), Math.random)).toMatch(new RegExp(`^w-[${POD_NAME_ALPHABET}]{5}$`));
  });

  it('skips names already taken, even with a constant random source', () => {
    expect(makePodName('w', new Set(['w-bbbbb']), () => 0)).toBe('w-1');
  });
});
