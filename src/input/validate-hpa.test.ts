import { describe, expect, it } from 'vitest';
import { expectInputError } from '../../test/spec/expect-input-error.js';
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { checkHpa, checkHpaOpenApi, validateHpa } from './validate-hpa.js';

const hpa: HorizontalPodAutoscaler = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    maxReplicas: 3,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
  },
};

describe('checkHpa()', () => {
  it('returns the HPA and no issue for a valid object', () => {
    expect(checkHpa(hpa)).toEqual({ hpa, issues: [], warnings: [] });
  });

  it('collects every structural issue, not only the first', () => {
    const bad = { ...hpa, spec: { ...hpa.spec, maxReplicas: 0, behavior: { scaleUp: { selectPolicy: 'max' } } } };
    expect(checkHpa(bad).issues.map((i) => i.path.join('.'))).toEqual(['spec.maxReplicas', 'spec.behavior.scaleUp.selectPolicy']);
  });

  it('collects every semantic issue', () => {
    const bad = {
      ...hpa,
      spec: {
        ...hpa.spec,
        minReplicas: 5,
        metrics: [{ type: 'Pods', pods: { metric: { name: 'm' }, target: { type: 'AverageValue', averageValue: '0' } } }],
      },
    };
    expect(checkHpa(bad).issues).toEqual([
      { code: 'semantic', path: ['spec', 'maxReplicas'], detail: "expected a value >= 'minReplicas' (5), got 3" },
      { code: 'semantic', path: ['spec', 'metrics', 0, 'pods', 'target', 'averageValue'], detail: "expected a quantity > 0, got '0'" },
    ]);
  });

  it.each([
    { name: 'null', raw: null, detail: 'expected a mapping (a Kubernetes object), got null' },
    { name: 'a string', raw: 'hpa', detail: "expected a mapping (a Kubernetes object), got 'hpa'" },
  ])('refuses $name', ({ raw, detail }) => {
    expect(checkHpa(raw).issues).toEqual([{ code: 'schema', path: [], detail }]);
  });
});

describe('checkHpaOpenApi()', () => {
  it('accepts a valid HPA', () => {
    expect(checkHpaOpenApi(hpa)).toBeUndefined();
  });

  it('reports what the official OpenAPI schema rejects, with its path', () => {
    expect(checkHpaOpenApi({ ...hpa, spec: { ...hpa.spec, maxReplicas: 1.5 } })).toEqual({
      code: 'schema',
      path: ['spec', 'maxReplicas'],
      detail: 'does not match the Kubernetes OpenAPI schema: must be integer',
    });
  });
});

describe('validateHpa()', () => {
  it('throws the first issue under the given path prefix and line', () => {
    expectInputError(
      () => validateHpa({ ...hpa, spec: { ...hpa.spec, maxReplicas: -2 } }, { file: 'f.yaml', pathPrefix: ['documents', 3], lineOf: () => 7 }),
      { code: 'schema', file: 'f.yaml', path: 'documents[3].spec.maxReplicas', detail: 'expected an integer from 1 to 2147483647 (int32), got -2', line: 7 },
    );
  });

  it('returns formatted warnings', () => {
    const withZero = {
      ...hpa,
      spec: {
        ...hpa.spec,
        minReplicas: 0,
        metrics: [{ type: 'External', external: { metric: { name: 'queue' }, target: { type: 'Value', value: '10' } } }],
      },
    };
    expect(validateHpa(withZero, { file: 'f.yaml' }).warnings).toEqual([
      "'f.yaml' at 'spec.minReplicas': is 0: scaling to zero needs the HPAScaleToZero feature gate (alpha, off by default) on the cluster",
    ]);
  });
});
