import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLabelSelector } from '../../src/core/index.js';
import { metricSelectorString } from '../../src/metrics/adapter-metrics-source.js';
import { fileSdJson, sanitizeLabelName } from '../../src/metrics/prometheus/index.js';

const LABEL_VALUE = fc.stringMatching(/^[a-z0-9]([a-z0-9._-]{0,10}[a-z0-9])?$/);
const LABEL_KEY = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/);

describe('properties', () => {
  it('sanitizeLabelName() always gives a valid Prometheus label name', () => {
    fc.assert(fc.property(fc.string({ minLength: 1 }), (name) => {
        expect(sanitizeLabelName(name)).toMatch(/^[a-zA-Z_][a-zA-Z0-9_]*$/);
      }),
    );
  });

  it('fileSdJson() keeps every target with its pod and namespace, whatever the pod labels', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ address: fc.constant('127.0.0.1:1'), pod: fc.string(), namespace: fc.string(), labels: fc.dictionary(fc.string(), fc.string()) }), { maxLength: 5 }), (targets) => {
        const groups = JSON.parse(fileSdJson(targets)) as { targets: string[]; labels: Record<string, string> }[];
        expect(groups.map((g) => [g.labels['pod'], g.labels['namespace']])).toEqual(targets.map((t) => [t.pod, t.namespace]));
        for (const g of groups) for (const k of Object.keys(g.labels)) expect(k.startsWith('__')).toBe(false);
      }),
    );
  });

  it('metricSelectorString() gives a selector the adapter parses back to the same requirements', () => {
    fc.assert(
      fc.property(fc.dictionary(LABEL_KEY, LABEL_VALUE, { maxKeys: 4 }), fc.array(fc.record({ key: LABEL_KEY, values: fc.uniqueArray(LABEL_VALUE, { minLength: 1, maxLength: 3 }) }), { maxLength: 2 }), (matchLabels, ins) => {
        const keys = new Set(Object.keys(matchLabels));
        const matchExpressions = ins.filter((e) => !keys.has(e.key) && (keys.add(e.key), true)).map((e) => ({ key: e.key, operator: 'In' as const, values: e.values }));
        const text = metricSelectorString({ matchLabels, matchExpressions });
        expect(metricSelectorString({ matchLabels, matchExpressions })).toBe(text);
        const parsed = parseLabelSelector(text);
        expect(parsed.map((r) => r.key).sort()).toEqual([...Object.keys(matchLabels), ...matchExpressions.map((e) => e.key)].sort());
      }),
    );
  });
});
