import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { parseHelmValues } from './helm-values.js';
import { parseHpaManifests } from './hpa-manifest.js';
import { hpaToHelmValues } from './hpa-to-helm-values.js';
import { hpaToManifestYaml } from './hpa-to-manifest-yaml.js';

const optional = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined });

/** Drops undefined-valued keys, as a values file would not have them. */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const policy = fc.record({
  type: fc.constantFrom('Pods', 'Percent'),
  value: fc.integer({ min: 1, max: 1000 }),
  periodSeconds: fc.integer({ min: 1, max: 1800 }),
});

const rules = fc
  .record({
    stabilizationWindowSeconds: optional(fc.integer({ min: 0, max: 3600 })),
    selectPolicy: optional(fc.constantFrom('Max', 'Min', 'Disabled')),
    policies: optional(fc.array(policy, { minLength: 1, maxLength: 3 })),
    tolerance: optional(fc.constantFrom('0', '0.05', '0.1', '100m')),
  })
  .map(compact);

const behavior = fc.record({ scaleUp: optional(rules), scaleDown: optional(rules) }).map(compact);

const target = fc.oneof(
  fc.integer({ min: 1, max: 1000 }),
  fc.constantFrom('2.5', '500m', '1k', '7'),
);

/** One HPA block of the seeds' chart with any valid combination of its keys. */
function hpaBlock(targetField: string, minReplicasFloor: number): fc.Arbitrary<Record<string, unknown>> {
  return fc
    .record({
      enabled: fc.constantFrom(true, true, true, false),
      minReplicas: optional(fc.integer({ min: minReplicasFloor, max: 20 })),
      extra: fc.integer({ min: 0, max: 30 }),
      target,
      scaleUpStabilizationWindowSeconds: optional(fc.integer({ min: 0, max: 3600 })),
      scaleDownStabilizationWindowSeconds: optional(fc.integer({ min: 0, max: 3600 })),
      behavior: optional(behavior),
    })
    .map(({ extra, target: t, minReplicas, ...rest }) =>
      compact({ ...rest, minReplicas, maxReplicas: Math.max(1, (minReplicas ?? 1) + extra), [targetField]: t }),
    );
}

const helmValues = fc
  .record({
    lightningAsr: optional(hpaBlock('targetActiveRequests', 1)),
    apiServer: optional(hpaBlock('lightningAsrToApiServerRatio', 0)),
  })
  .map(({ lightningAsr, apiServer }) => ({
    scaling: {
      auto: compact({
        enabled: true,
        lightningAsr: lightningAsr && { hpa: lightningAsr },
        apiServer: apiServer && { hpa: apiServer },
      }),
    },
  }));

describe('hpaToManifestYaml()', () => {
  it('renders an HPA of parseHelmValues() that the manifest parser reads back equal (property)', () => {
    fc.assert(
      fc.property(helmValues, (values) => {
        const { hpas } = parseHelmValues(stringify(values), 'values.yaml');
        for (const hpa of hpas) {
          expect(parseHpaManifests(hpaToManifestYaml(hpa), 'hpa.yaml')).toEqual([hpa]);
        }
      }),
      { numRuns: 100 },
    );
  });

  it.each(['examples/blog/hpa.yaml', 'examples/lightning-asr/hpa.yaml'])('round-trips %s', (file) => {
    const hpas = parseHpaManifests(readFileSync(file, 'utf8'), file);
    expect(hpas.length).toBeGreaterThan(0);
    for (const hpa of hpas) {
      const yaml = hpaToManifestYaml(hpa);
      expect(yaml.startsWith('apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n')).toBe(true);
      expect(parseHpaManifests(yaml, 'out.yaml')).toEqual([hpa]);
    }
  });

  it('leaves out status and fills in apiVersion and kind', () => {
    const hpa: HorizontalPodAutoscaler = {
      metadata: { name: 'x' },
      spec: { scaleTargetRef: { kind: 'Deployment', name: 'x' }, maxReplicas: 2 },
      status: { currentReplicas: 1, desiredReplicas: 1 },
    };
    expect(hpaToManifestYaml(hpa)).toBe(
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: x\nspec:\n  scaleTargetRef:\n    kind: Deployment\n    name: x\n  maxReplicas: 2\n',
    );
  });
});

describe('hpaToHelmValues()', () => {
  it('is the inverse of parseHelmValues() (property)', () => {
    fc.assert(
      fc.property(helmValues, (values) => {
        const { hpas } = parseHelmValues(stringify(values), 'values.yaml');
        const exported = hpaToHelmValues(hpas);
        expect(exported.warnings).toEqual([]);
        expect(parseHelmValues(stringify(exported.values), 'values.yaml').hpas).toEqual(hpas);
      }),
      { numRuns: 100 },
    );
  });

  it("writes the seeds' values back in their own keys", () => {
    const { hpas } = parseHelmValues(readFileSync('examples/lightning-asr/values.yaml', 'utf8'), 'values.yaml');
    expect(hpaToHelmValues(hpas).values).toEqual({
      scaling: {
        auto: {
          enabled: true,
          lightningAsr: {
            hpa: {
              enabled: true,
              minReplicas: 1,
              maxReplicas: 10,
              targetActiveRequests: 5,
              scaleUpStabilizationWindowSeconds: 0,
              scaleDownStabilizationWindowSeconds: 300,
            },
          },
          apiServer: {
            hpa: {
              enabled: true,
              minReplicas: 1,
              maxReplicas: 10,
              lightningAsrToApiServerRatio: 2,
              scaleUpStabilizationWindowSeconds: 30,
              scaleDownStabilizationWindowSeconds: 60,
            },
          },
        },
      },
    });
  });

  it('exports the Lightning ASR manifest with its policies as a behavior block, warning about the namespace', () => {
    const [hpa] = parseHpaManifests(readFileSync('examples/lightning-asr/hpa.yaml', 'utf8'), 'hpa.yaml');
    const { values, warnings } = hpaToHelmValues(hpa as HorizontalPodAutoscaler);
    const block = (values['scaling'] as { auto: { lightningAsr: { hpa: Record<string, unknown> } } }).auto.lightningAsr.hpa;
    expect(block['behavior']).toEqual(hpa?.spec.behavior);
    expect(block).not.toHaveProperty('scaleUpStabilizationWindowSeconds');
    expect(warnings).toEqual([
      "'scaling.auto.lightningAsr.hpa': namespace 'smallest' is not part of the values (Helm's release namespace is used)",
    ]);
  });

  it.each([
    { name: 'a Resource metric', file: 'examples/blog/hpa.yaml', message: "Cannot export HPA 'autoscaler-name' to Helm values as its metrics have no place in the chart" },
  ])('refuses $name', ({ file, message }) => {
    const hpas = parseHpaManifests(readFileSync(file, 'utf8'), file);
    expect(() => hpaToHelmValues(hpas)).toThrow(RangeError);
    expect(() => hpaToHelmValues(hpas)).toThrow(message);
  });

  it('refuses two HPAs for one block', () => {
    const [hpa] = parseHpaManifests(readFileSync('examples/lightning-asr/hpa.yaml', 'utf8'), 'hpa.yaml');
    const twice = [hpa, hpa] as HorizontalPodAutoscaler[];
    expect(() => hpaToHelmValues(twice)).toThrow("as 'scaling.auto.lightningAsr.hpa' is already taken by another HPA");
  });

  it('warns when the chart renames the HPA or its target', () => {
    const [hpa] = parseHpaManifests(readFileSync('examples/lightning-asr/hpa.yaml', 'utf8'), 'hpa.yaml');
    const renamed = { ...hpa, metadata: { name: 'asr' }, spec: { ...hpa?.spec, scaleTargetRef: { kind: 'StatefulSet', name: 'asr' } } } as HorizontalPodAutoscaler;
    expect(hpaToHelmValues(renamed).warnings).toEqual([
      "'scaling.auto.lightningAsr.hpa': the chart names this HPA 'lightning-asr', not 'asr'",
      "'scaling.auto.lightningAsr.hpa': the chart targets Deployment 'lightning-asr', not StatefulSet 'asr'",
    ]);
  });
});
