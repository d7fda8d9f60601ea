import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURVE_EVERY_POINT_MAX, CURVE_MAX_REPLICAS, curveSizes, replicaCurve } from './replica-curve.js';
import type { HorizontalPodAutoscaler } from './types.js';

function podsHpa(maxReplicas: number, minReplicas = 1): HorizontalPodAutoscaler {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: 'q' },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'q' },
      minReplicas,
      maxReplicas,
      metrics: [{ type: 'Pods', pods: { metric: { name: 'q' }, target: { type: 'AverageValue', averageValue: '5' } } }],
    },
  };
}

describe('curveSizes()', () => {
  it('is every size up to 200, then a bounded geometric sample up to min(max, 10000)', () => {
    expect(curveSizes(3)).toEqual([1, 2, 3]);
    expect(curveSizes(CURVE_EVERY_POINT_MAX)).toHaveLength(CURVE_EVERY_POINT_MAX);
    const big = curveSizes(2_147_483_647);
    expect(big.length).toBeLessThanOrEqual(CURVE_EVERY_POINT_MAX + 61);
    expect(big.at(-1)).toBe(CURVE_MAX_REPLICAS);
    expect([...big].sort((a, b) => a - b)).toEqual(big);
  });
});

describe('replicaCurve()', () => {
  it('evaluates every size of a small HPA, f(x) = ceil(x * usage / target) clamped', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 50_000 }), (max, usageMilli) => {
        const curve = replicaCurve({ hpa: podsHpa(max), values: [usageMilli] });
        expect(curve.points.map((p) => p.currentReplicas)).toEqual(Array.from({ length: max }, (_, i) => i + 1));
        for (const p of curve.points) {
          const ratio = usageMilli / 5000;
          const raw = Math.abs(ratio - 1) <= 0.1 ? p.currentReplicas : Math.ceil(ratio * p.currentReplicas);
          expect(p.desiredReplicas).toBe(Math.min(max, Math.max(1, raw)));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('samples an HPA with maxReplicas 2^31 - 1 and says where it stopped', () => {
    const curve = replicaCurve({ hpa: podsHpa(2_147_483_647), values: [10_000], startReplicas: 3 });
    expect(curve.points.at(-1)!.currentReplicas).toBe(CURVE_MAX_REPLICAS);
    expect(curve.pattern).toBe('staircase');
    expect(curve.summary).toContain('hpa-lab draws at most 10000 replicas, maxReplicas is 2147483647');
  });

  it('finds the fixed point of a large HPA by evaluating the sizes it passes', () => {
    const curve = replicaCurve({ hpa: podsHpa(5000), values: [5_000], startReplicas: 1234 });
    expect(curve.settlesAt).toBe(1234);
  });
});
