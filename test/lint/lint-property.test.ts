import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify, parse } from 'yaml';
import { InputError } from '../../src/core/index.js';
import { LINT_RULES, lintFiles } from '../../src/lint/index.js';

interface SeedValues {
  scaling: { auto: { lightningAsr: { hpa: Record<string, unknown> } } };
  'kube-prometheus-stack': { prometheus: { prometheusSpec: Record<string, unknown> } };
  'prometheus-adapter': Record<string, unknown>;
}
const base = parse(readFileSync(new URL('../../examples/lightning-asr/values.yaml', import.meta.url), 'utf8')) as SeedValues;
const KNOWN = new Set(LINT_RULES.map((r) => r.id));

describe('lintFiles() on values it has not seen', () => {
  it('returns well-formed findings (known ID, file, why, fix) or an InputError, never anything else', () => {
    const int = fc.oneof(fc.integer({ min: -5, max: 5000 }), fc.constant(undefined));
    const policy = fc.record({ type: fc.constantFrom('Pods', 'Percent'), value: fc.integer({ min: 1, max: 300 }), periodSeconds: fc.integer({ min: 1, max: 3000 }) });
    const rules = fc.record({ stabilizationWindowSeconds: int, selectPolicy: fc.constantFrom('Max', 'Min', 'Disabled', undefined), policies: fc.option(fc.array(policy, { minLength: 1, maxLength: 3 }), { nil: undefined }) });
    fc.assert(
      fc.property(
        fc.record({ min: fc.integer({ min: 0, max: 5 }), max: fc.integer({ min: 1, max: 40 }), up: rules, down: rules, relist: fc.constantFrom(undefined, '5s', '1m'), scrape: fc.constantFrom('15s', '30s', '1m') }),
        ({ min, max, up, down, relist, scrape }) => {
          const v = structuredClone(base);
          const hpa = v.scaling.auto.lightningAsr.hpa;
          Object.assign(hpa, { minReplicas: min, maxReplicas: max, behavior: JSON.parse(JSON.stringify({ scaleUp: up, scaleDown: down })) as unknown });
          delete hpa['scaleUpStabilizationWindowSeconds'];
          v['kube-prometheus-stack'].prometheus.prometheusSpec['scrapeInterval'] = scrape;
          if (relist) v['prometheus-adapter']['metricsRelistInterval'] = relist;
          try {
            for (const f of lintFiles([{ file: 'v.yaml', text: stringify(v) }])) {
              expect(KNOWN.has(f.id)).toBe(true);
              expect(f.location.file).toBe('v.yaml');
              expect(f.why.length).toBeGreaterThan(10);
              expect(f.fix.length).toBeGreaterThan(5);
            }
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
          }
        },
      ),
      { numRuns: 60, seed: 13 },
    );
  });
});
