import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFifoLimiter } from './fifo-limiter.js';

describe('createFifoLimiter()', () => {
  it('grants slots up to maxConcurrency at once, then queues', async () => {
    const limiter = createFifoLimiter(2);
    await limiter.acquire();
    await limiter.acquire();
    const third = limiter.acquire();
    expect({ inUse: limiter.inUse, waiting: limiter.waiting }).toEqual({ inUse: 2, waiting: 1 });
    void third;
  });

  it('serves waiters in arrival order', async () => {
    const limiter = createFifoLimiter(1);
    const first = await limiter.acquire();
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => limiter.acquire().then((release) => (order.push(n), release)));
    first();
    for (const w of waiters) (await w)();
    expect(order).toEqual([1, 2, 3]);
    expect(limiter.inUse).toBe(0);
  });

  it('removes an aborted waiter from the queue and rejects with the reason', async () => {
    const limiter = createFifoLimiter(1);
    const release = await limiter.acquire();
    const controller = new AbortController();
    const waiting = limiter.acquire(controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    expect(limiter.waiting).toBe(0);
    release();
    expect(limiter.inUse).toBe(0);
  });

  it('counts a double release once', async () => {
    const limiter = createFifoLimiter(1);
    const release = await limiter.acquire();
    release();
    release();
    expect(limiter.inUse).toBe(0);
  });

  it.each([
    { name: 'zero', value: 0 },
    { name: 'a fraction', value: 1.5 },
  ])('throws RangeError for $name', ({ value }) => {
    expect(() => createFifoLimiter(value)).toThrow(RangeError);
    expect(() => createFifoLimiter(value)).toThrow(`Cannot create a limiter as 'maxConcurrency' must be an integer >= 1: got ${value}`);
  });

  it('never exceeds maxConcurrency and serves everyone (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 5 }), fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 30 }), async (max, delays) => {
        const limiter = createFifoLimiter(max);
        let peak = 0;
        const served: number[] = [];
        await Promise.all(
          delays.map(async (ticks, i) => {
            const release = await limiter.acquire();
            peak = Math.max(peak, limiter.inUse);
            served.push(i);
            for (let t = 0; t < ticks; t++) await Promise.resolve();
            release();
          }),
        );
        expect(peak).toBeLessThanOrEqual(max);
        expect(served).toHaveLength(delays.length);
        expect(limiter.inUse).toBe(0);
      }),
      { numRuns: 100 },
    );
  });
});
