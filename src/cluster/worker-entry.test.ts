import { describe, expect, it } from 'vitest';
import { WORKER_ENTRY, workerNodeArgs } from './worker-entry.js';

describe('the worker entry', () => {
  it('is the TypeScript source next to this module when running the sources', () => {
    expect(WORKER_ENTRY).toMatch(/src[\\/]workload[\\/]worker[\\/]main\.ts$/);
  });

  it.each([
    { entry: '/pkg/dist/workload/worker/main.js', tsx: false },
    { entry: '/pkg/dist/workload/worker/main.mjs', tsx: false },
    { entry: '/repo/src/workload/worker/main.ts', tsx: true },
    { entry: '/repo/src/workload/worker/main.mts', tsx: true },
  ])('runs $entry with tsx: $tsx', ({ entry, tsx }) => {
    const args = workerNodeArgs(entry);
    if (!tsx) expect(args).toEqual([]);
    else expect(args).toEqual(['--import', expect.stringMatching(/^file:.*tsx/)]);
  });
});
