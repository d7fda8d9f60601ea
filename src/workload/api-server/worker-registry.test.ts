import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createWorkerRegistry } from './worker-registry.js';

function registryWith(ids: readonly string[]) {
  const workers = createWorkerRegistry();
  ids.forEach((id, i) => workers.addWorker({ id, url: `http://127.0.0.1:${3000 + i}` }));
  return workers;
}

describe('createWorkerRegistry()', () => {
  it('picks the worker with the fewest in-flight requests', () => {
    const workers = registryWith(['a', 'b', 'c']);
    workers.begin('a');
    workers.begin('b');
    workers.begin('b');
    expect(workers.pick()?.id).toBe('c');
    workers.begin('c');
    workers.begin('c');
    expect(workers.pick()?.id).toBe('a');
  });

  it('rotates between equally busy workers', () => {
    const workers = registryWith(['a', 'b', 'c']);
    expect([1, 2, 3, 4, 5, 6].map(() => workers.pick()?.id)).toEqual(['a', 'b', 'c', 'a', 'b', 'c']);
  });

  it.each([
    { name: 'skips unready workers', setup: (w: ReturnType<typeof registryWith>) => w.setReady('a', false), exclude: [], want: 'b' },
    { name: 'skips draining workers', setup: (w: ReturnType<typeof registryWith>) => void w.markDraining('a'), exclude: [], want: 'b' },
    { name: 'skips excluded workers', setup: () => undefined, exclude: ['a'], want: 'b' },
    { name: 'returns undefined when nothing is routable', setup: (w: ReturnType<typeof registryWith>) => w.setReady('b', false), exclude: ['a'], want: undefined },
  ])('$name', ({ setup, exclude, want }) => {
    const workers = registryWith(['a', 'b']);
    setup(workers);
    expect(workers.pick(new Set(exclude))?.id).toBe(want);
  });

  it('adds workers not ready when told, and setReady makes them routable', () => {
    const workers = createWorkerRegistry();
    workers.addWorker({ id: 'a', url: 'http://127.0.0.1:1', ready: false });
    expect(workers.routableCount()).toBe(0);
    expect(workers.setReady('a', true)).toBe(true);
    expect(workers.routableCount()).toBe(1);
    expect(workers.setReady('zz', true)).toBe(false);
  });

  it('markDraining resolves only when the in-flight count reaches 0', async () => {
    const workers = registryWith(['a']);
    const end1 = workers.begin('a');
    const end2 = workers.begin('a');
    let drained = false;
    const p = workers.markDraining('a').then(() => (drained = true));
    end1();
    end1(); // a second call counts once
    await Promise.resolve();
    expect(drained).toBe(false);
    expect(workers.get('a')).toMatchObject({ draining: true, inFlight: 1 });
    end2();
    await p;
    expect(drained).toBe(true);
  });

  it('markDraining resolves at once for an idle or unknown worker, and on removal', async () => {
    const workers = registryWith(['a', 'b']);
    await workers.markDraining('a');
    await workers.markDraining('nope');
    workers.begin('b');
    const p = workers.markDraining('b');
    expect(workers.removeWorker('b')).toBe(true);
    await p;
    expect(workers.removeWorker('b')).toBe(false);
    expect(workers.list().map((w) => w.id)).toEqual(['a']);
  });

  it('keeps an answer counted against the worker it was sent to, even if the id is re-added', () => {
    const workers = registryWith(['a']);
    const end = workers.begin('a');
    workers.removeWorker('a');
    workers.addWorker({ id: 'a', url: 'http://127.0.0.1:9' });
    end();
    expect(workers.get('a')?.inFlight).toBe(0);
  });

  it('re-adding an id updates its URL and clears draining', () => {
    const workers = registryWith(['a']);
    void workers.markDraining('a');
    workers.addWorker({ id: 'a', url: 'http://localhost:9/' });
    expect(workers.get('a')).toMatchObject({ url: 'http://localhost:9', draining: false, ready: true });
  });

  it.each([
    { name: 'an empty id', input: { id: '', url: 'http://127.0.0.1:1' }, message: "Cannot add a worker as 'id' must be a non-empty string: got ''" },
    { name: 'a URL that does not parse', input: { id: 'a', url: 'nope' }, message: "Cannot add worker 'a' as 'url' must be a URL: got 'nope'" },
    { name: 'a remote host', input: { id: 'a', url: 'http://10.0.0.1:80' }, message: "Cannot add worker 'a' as 'url' must be http on 127.0.0.1, localhost or ::1: got 'http://10.0.0.1:80'" },
  ])('throws RangeError for $name', ({ input, message }) => {
    const workers = createWorkerRegistry();
    expect(() => workers.addWorker(input)).toThrow(RangeError);
    expect(() => workers.addWorker(input)).toThrow(message);
  });

  it('always picks a routable worker with the minimum in-flight count (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ busy: fc.integer({ min: 0, max: 5 }), ready: fc.boolean(), draining: fc.boolean() }), { minLength: 1, maxLength: 8 }),
        (specs) => {
          const workers = createWorkerRegistry();
          specs.forEach((s, i) => {
            const id = `w${i}`;
            workers.addWorker({ id, url: `http://127.0.0.1:${4000 + i}`, ready: s.ready });
            for (let k = 0; k < s.busy; k++) workers.begin(id);
            if (s.draining) void workers.markDraining(id);
          });
          const routable = specs.filter((s) => s.ready && !s.draining);
          const picked = workers.pick();
          if (routable.length === 0) {
            expect(picked).toBeUndefined();
            return;
          }
          expect(picked?.ready).toBe(true);
          expect(picked?.draining).toBe(false);
          expect(picked?.inFlight).toBe(Math.min(...routable.map((s) => s.busy)));
        },
      ),
      { numRuns: 200 },
    );
  });
});
