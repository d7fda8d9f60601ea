import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reconcileInputOfCase } from '../../src/conformance/k8s-hpa.js';
import { reconcile, reconcileFast } from '../../src/engine/index.js';

const dir = join(import.meta.dirname, 'k8s-hpa');

type Case = { id: string; kind: string };
const vectors = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((file) => {
    const doc = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { cases: Case[] };
    return doc.cases.filter((c) => c.kind === 'reconcile').map((c) => ({ name: `${file} ${c.id}`, c, doc }));
  });

describe('the engine fast path on every reconcile conformance vector', () => {
  it('finds reconcile vectors', () => {
    expect(vectors.length).toBeGreaterThan(20);
  });
  it.each(vectors)('$name', ({ c, doc }) => {
    const input = reconcileInputOfCase(c, doc)!;
    for (const variant of [input, { ...input, observation: { ...input.observation, rescaleError: 'something went wrong' } }]) {
      const full = reconcile(variant);
      const fast = reconcileFast(variant);
      expect(fast.decision.desiredReplicas).toBe(full.decision.desiredReplicas);
      expect(fast.decision.scaleTo).toBe(full.decision.scaleTo);
      expect(fast.decision.statusChanged).toBe(full.decision.statusChanged);
      expect(fast.decision.error).toBe(full.decision.error);
      expect(fast.decision.events).toEqual(full.decision.events);
      expect(fast.decision.metrics).toEqual(full.decision.metrics);
      expect(fast.decision.status).toEqual(full.decision.status);
      expect(fast.state).toEqual(full.state);
      expect(fast.decision.explanation).toEqual(full.decision.explanation);
    }
  });
});
