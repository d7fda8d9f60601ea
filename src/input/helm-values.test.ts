import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { expectInputError } from '../../test/spec/expect-input-error.js';
import type { InputErrorCode } from '../core/index.js';
import { parseHelmValues } from './helm-values.js';

const FILE = 'values.yaml';
const EXAMPLE = 'examples/lightning-asr/values.yaml';

const lightningAsrHpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'lightning-asr' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [
      { type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } },
    ],
    behavior: { scaleUp: { stabilizationWindowSeconds: 0 }, scaleDown: { stabilizationWindowSeconds: 300 } },
  },
};

const apiServerHpa = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'api-server' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'api-server' },
    minReplicas: 1,
    maxReplicas: 10,
    metrics: [
      {
        type: 'External',
        external: { metric: { name: 'lightning_asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2' } },
      },
    ],
    behavior: { scaleUp: { stabilizationWindowSeconds: 30 }, scaleDown: { stabilizationWindowSeconds: 60 } },
  },
};

/** Seed 000, "Custom Scaling Policies". */
const CUSTOM_POLICIES = `scaling:
  auto:
    enabled: true
    lightningAsr:
      hpa:
        enabled: true
        minReplicas: 2
        maxReplicas: 20
        targetActiveRequests: 5
        behavior:
          scaleUp:
            stabilizationWindowSeconds: 5
            policies:
              - type: Percent
                value: 100
                periodSeconds: 15
              - type: Pods
                value: 2
                periodSeconds: 15
            selectPolicy: Max
          scaleDown:
            stabilizationWindowSeconds: 300
            policies:
              - type: Percent
                value: 50
                periodSeconds: 60
              - type: Pods
                value: 1
                periodSeconds: 60
            selectPolicy: Min
`;

/** A values file with one lightningAsr hpa block made of `lines` (indented under `hpa:`). */
function asrValues(...lines: string[]): string {
  return ['scaling:', '  auto:', '    enabled: true', '    lightningAsr:', '      hpa:', ...lines.map((l) => `        ${l}`), ''].join('\n');
}

function apiValues(...lines: string[]): string {
  return ['scaling:', '  auto:', '    enabled: true', '    apiServer:', '      hpa:', ...lines.map((l) => `        ${l}`), ''].join('\n');
}

describe('parseHelmValues()', () => {
  it("reads the seeds' values file into the two HPAs they describe", () => {
    const { hpas, warnings } = parseHelmValues(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
    expect(hpas).toEqual([lightningAsrHpa, apiServerHpa]);
    expect(warnings).toEqual([]);
  });

  it("returns the seeds' Prometheus and adapter settings", () => {
    const { prometheus } = parseHelmValues(readFileSync(EXAMPLE, 'utf8'), EXAMPLE);
    expect(prometheus).toMatchObject({
      scrapeInterval: '30s',
      scrapeIntervalSeconds: 30,
      evaluationInterval: '30s',
      evaluationIntervalSeconds: 30,
      retention: '15d',
      retentionSize: '50GB',
      adapterPrometheusUrl: 'http://smallest-prometheus-stack-prometheus.default.svc',
      adapterPrometheusPort: 9090,
    });
    expect(Object.keys(prometheus?.additionalPrometheusRulesMap ?? {})).toEqual(['asr-rules', 'asr-alerts']);
    const rules = prometheus?.adapterRules as { custom: { seriesQuery: string }[]; external: { name: { as: string } }[] };
    expect(rules.custom.map((r) => r.seriesQuery)).toEqual(['asr_active_requests', 'asr_gpu_utilization']);
    expect(rules.external[0]?.name.as).toBe('lightning_asr_replica_count');
  });

  it("reads seed 000's Custom Scaling Policies behavior block as written", () => {
    const { hpas, warnings, prometheus } = parseHelmValues(CUSTOM_POLICIES, FILE);
    expect(warnings).toEqual([]);
    expect(prometheus).toBeUndefined();
    expect(hpas).toHaveLength(1);
    expect(hpas[0]?.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
      minReplicas: 2,
      maxReplicas: 20,
      metrics: lightningAsrHpa.spec.metrics,
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: 5,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 15 },
            { type: 'Pods', value: 2, periodSeconds: 15 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds: 300,
          selectPolicy: 'Min',
          policies: [
            { type: 'Percent', value: 50, periodSeconds: 60 },
            { type: 'Pods', value: 1, periodSeconds: 60 },
          ],
        },
      },
    });
  });

  it("merges the shorthand window into a behavior block without one (seed 000's Traffic Spike)", () => {
    const text = asrValues(
      'enabled: true',
      'maxReplicas: 10',
      'targetActiveRequests: 5',
      'scaleUpStabilizationWindowSeconds: 0',
      'behavior:',
      '  scaleUp:',
      '    policies:',
      '      - {type: Percent, value: 100, periodSeconds: 15}',
      '      - {type: Pods, value: 2, periodSeconds: 15}',
      '    selectPolicy: Max',
    );
    const { hpas, warnings } = parseHelmValues(text, FILE);
    expect(warnings).toEqual([]);
    expect(hpas[0]?.spec.behavior).toEqual({
      scaleUp: {
        stabilizationWindowSeconds: 0,
        selectPolicy: 'Max',
        policies: [
          { type: 'Percent', value: 100, periodSeconds: 15 },
          { type: 'Pods', value: 2, periodSeconds: 15 },
        ],
      },
    });
  });

  it('lets the behavior block win over the shorthand window and says so', () => {
    const text = asrValues(
      'enabled: true',
      'maxReplicas: 10',
      'targetActiveRequests: 5',
      'scaleDownStabilizationWindowSeconds: 600',
      'behavior:',
      '  scaleDown:',
      '    stabilizationWindowSeconds: 120',
    );
    const { hpas, warnings } = parseHelmValues(text, FILE);
    expect(hpas[0]?.spec.behavior).toEqual({ scaleDown: { stabilizationWindowSeconds: 120 } });
    expect(warnings).toEqual([
      "'values.yaml' at 'scaling.auto.lightningAsr.hpa.scaleDownStabilizationWindowSeconds': and 'scaling.auto.lightningAsr.hpa.behavior.scaleDown.stabilizationWindowSeconds' are both set (600 and 120): using 120 from 'behavior'",
    ]);
  });

  it('makes API-server replicas ceil(ASR replicas / ratio) with an External AverageValue target', () => {
    const { hpas } = parseHelmValues(apiValues('maxReplicas: 10', 'lightningAsrToApiServerRatio: 2.5'), FILE);
    expect(hpas[0]?.spec.metrics).toEqual([
      {
        type: 'External',
        external: { metric: { name: 'lightning_asr_replica_count' }, target: { type: 'AverageValue', averageValue: '2.5' } },
      },
    ]);
  });

  it('keeps a string target as written', () => {
    const { hpas } = parseHelmValues(asrValues('maxReplicas: 10', 'targetActiveRequests: "500m"'), FILE);
    expect(hpas[0]?.spec.metrics?.[0]?.pods?.target.averageValue).toBe('500m');
  });

  it('leaves minReplicas and behavior absent when not given (no defaults)', () => {
    const { hpas } = parseHelmValues(asrValues('enabled: true', 'maxReplicas: 4', 'targetActiveRequests: 5'), FILE);
    expect(hpas[0]?.spec).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
      maxReplicas: 4,
      metrics: lightningAsrHpa.spec.metrics,
    });
  });

  it.each([
    {
      name: 'a disabled HPA is skipped',
      text: `${asrValues('enabled: false', 'maxReplicas: 10', 'targetActiveRequests: 5')}    apiServer:\n      hpa:\n        enabled: true\n        maxReplicas: 3\n        lightningAsrToApiServerRatio: 2\n`,
      names: ['api-server'],
      warnings: ["'values.yaml' at 'scaling.auto.lightningAsr.hpa.enabled': is false: HPA 'lightning-asr' skipped"],
    },
    {
      name: 'scaling.auto.enabled false gives no HPAs',
      text: 'scaling:\n  auto:\n    enabled: false\n    lightningAsr:\n      hpa: {enabled: true, maxReplicas: 3, targetActiveRequests: 5}\n',
      names: [],
      warnings: ["'values.yaml' at 'scaling.auto.enabled': is false: autoscaling is off, no HPAs"],
    },
    {
      name: 'values without scaling give no HPAs',
      text: 'kube-prometheus-stack:\n  prometheus:\n    prometheusSpec:\n      scrapeInterval: 15s\n',
      names: [],
      warnings: ["'values.yaml' at 'scaling.auto': is not set: no HPAs"],
    },
    {
      name: 'scaling.auto without HPA blocks gives no HPAs',
      text: 'scaling:\n  auto:\n    enabled: true\n    lightningAsr:\n      servicemonitor:\n        enabled: true\n',
      names: [],
      warnings: ["'values.yaml' at 'scaling.auto': has neither 'lightningAsr.hpa' nor 'apiServer.hpa': no HPAs"],
    },
    {
      name: 'an unset enabled is assumed true',
      text: 'scaling:\n  auto:\n    lightningAsr:\n      hpa: {maxReplicas: 3, targetActiveRequests: 5}\n',
      names: ['lightning-asr'],
      warnings: [
        "'values.yaml' at 'scaling.auto.enabled': is not set: assuming true (the chart's default decides)",
        "'values.yaml' at 'scaling.auto.lightningAsr.hpa.enabled': is not set: assuming true for HPA 'lightning-asr'",
      ],
    },
    {
      name: 'an unknown key is ignored',
      text: asrValues('enabled: true', 'maxReplicas: 3', 'targetActiveRequests: 5', 'scaleUpStabilisationWindowSeconds: 0'),
      names: ['lightning-asr'],
      warnings: [
        "'values.yaml' at 'scaling.auto.lightningAsr.hpa.scaleUpStabilisationWindowSeconds': unknown key ignored: expected one of 'enabled', 'minReplicas', 'maxReplicas', 'scaleUpStabilizationWindowSeconds', 'scaleDownStabilizationWindowSeconds', 'behavior', 'targetActiveRequests'",
      ],
    },
    {
      name: 'minReplicas 0 on the API server (External metric) is allowed',
      text: apiValues('enabled: true', 'minReplicas: 0', 'maxReplicas: 3', 'lightningAsrToApiServerRatio: 2'),
      names: ['api-server'],
      warnings: [
        "'values.yaml' at 'scaling.auto.apiServer.hpa.minReplicas': is 0: scaling to zero needs the HPAScaleToZero feature gate (alpha, off by default) on the cluster",
      ],
    },
    { name: 'an empty file gives no HPAs', text: '', names: [], warnings: ["'values.yaml': is empty: no HPAs"] },
  ])('$name', ({ text, names, warnings }) => {
    const result = parseHelmValues(text, FILE);
    expect(result.hpas.map((h) => h.metadata.name)).toEqual(names);
    expect(result.warnings).toEqual(warnings);
  });

  const errorCases: readonly {
    name: string;
    text: string;
    code: InputErrorCode;
    path: string;
    detail: string;
    line?: number;
  }[] = [
    {
      name: 'a missing maxReplicas',
      text: asrValues('enabled: true', 'targetActiveRequests: 5'),
      code: 'schema',
      path: 'scaling.auto.lightningAsr.hpa.maxReplicas',
      detail: 'required field is missing: expected an integer from 1 to 2147483647 (int32)',
      line: 5,
    },
    {
      name: 'a missing targetActiveRequests',
      text: asrValues('enabled: true', 'maxReplicas: 3'),
      code: 'schema',
      path: 'scaling.auto.lightningAsr.hpa.targetActiveRequests',
      detail: "required field is missing: expected a quantity (a string such as '500m' or a number)",
    },
    {
      name: 'a targetActiveRequests that is not a quantity',
      text: asrValues('enabled: true', 'maxReplicas: 3', 'targetActiveRequests: lots'),
      code: 'schema',
      path: 'scaling.auto.lightningAsr.hpa.targetActiveRequests',
      detail: "expected a Kubernetes quantity such as '500m', '5', '1.5', '1350Mi' or '2e3', got 'lots'",
      line: 8,
    },
    {
      name: 'a zero targetActiveRequests',
      text: asrValues('enabled: true', 'maxReplicas: 3', 'targetActiveRequests: 0'),
      code: 'semantic',
      path: 'scaling.auto.lightningAsr.hpa.targetActiveRequests',
      detail: "expected a quantity > 0, got '0'",
      line: 8,
    },
    {
      name: 'a negative ratio',
      text: apiValues('enabled: true', 'maxReplicas: 3', 'lightningAsrToApiServerRatio: -1'),
      code: 'semantic',
      path: 'scaling.auto.apiServer.hpa.lightningAsrToApiServerRatio',
      detail: "expected a quantity > 0, got '-1'",
    },
    {
      name: 'minReplicas above maxReplicas',
      text: asrValues('enabled: true', 'minReplicas: 5', 'maxReplicas: 3', 'targetActiveRequests: 5'),
      code: 'semantic',
      path: 'scaling.auto.lightningAsr.hpa.maxReplicas',
      detail: "expected a value >= 'minReplicas' (5), got 3",
      line: 8,
    },
    {
      name: 'minReplicas 0 for the Pods-metric ASR HPA',
      text: asrValues('enabled: true', 'minReplicas: 0', 'maxReplicas: 3', 'targetActiveRequests: 5'),
      code: 'semantic',
      path: 'scaling.auto.lightningAsr.hpa.minReplicas',
      detail: 'needs at least one Object or External metric',
      line: 7,
    },
    {
      name: 'a shorthand window above one hour',
      text: asrValues('enabled: true', 'maxReplicas: 3', 'targetActiveRequests: 5', 'scaleDownStabilizationWindowSeconds: 4000'),
      code: 'schema',
      path: 'scaling.auto.lightningAsr.hpa.scaleDownStabilizationWindowSeconds',
      detail: 'expected an integer from 0 to 3600, got 4000',
      line: 9,
    },
    {
      name: 'a bad selectPolicy in the behavior block',
      text: asrValues('maxReplicas: 3', 'targetActiveRequests: 5', 'behavior:', '  scaleUp:', '    selectPolicy: Highest'),
      code: 'schema',
      path: 'scaling.auto.lightningAsr.hpa.behavior.scaleUp.selectPolicy',
      detail: "expected one of 'Max', 'Min', 'Disabled', got 'Highest'",
      line: 10,
    },
    {
      name: 'an empty policy list in the behavior block',
      text: asrValues('maxReplicas: 3', 'targetActiveRequests: 5', 'behavior:', '  scaleDown:', '    policies: []'),
      code: 'semantic',
      path: 'scaling.auto.lightningAsr.hpa.behavior.scaleDown.policies',
      detail: 'expected at least one policy',
      line: 10,
    },
    {
      name: 'an unknown field in the behavior block',
      text: asrValues('maxReplicas: 3', 'targetActiveRequests: 5', 'behavior:', '  scaleUp:', '    window: 5'),
      code: 'schema',
      path: 'scaling.auto.lightningAsr.hpa.behavior.scaleUp.window',
      detail: "unknown field: expected one of 'stabilizationWindowSeconds', 'selectPolicy', 'policies', 'tolerance'",
    },
    {
      name: 'an enabled flag that is a string',
      text: asrValues('enabled: "yes"', 'maxReplicas: 3', 'targetActiveRequests: 5'),
      code: 'schema',
      path: 'scaling.auto.lightningAsr.hpa.enabled',
      detail: "expected a boolean (true or false), got 'yes'",
    },
    {
      name: 'a scaling.auto.enabled that is a string',
      text: 'scaling:\n  auto:\n    enabled: "false"\n',
      code: 'schema',
      path: 'scaling.auto.enabled',
      detail: "expected a boolean (true or false), got 'false'",
      line: 3,
    },
    {
      name: 'an hpa block that is a list',
      text: 'scaling:\n  auto:\n    lightningAsr:\n      hpa:\n        - enabled\n',
      code: 'schema',
      path: 'scaling.auto.lightningAsr.hpa',
      detail: 'expected a mapping, got a list',
      line: 4,
    },
    {
      name: 'a scrape interval that is not a Prometheus duration',
      text: 'kube-prometheus-stack:\n  prometheus:\n    prometheusSpec:\n      scrapeInterval: 30 seconds\n',
      code: 'schema',
      path: 'kube-prometheus-stack.prometheus.prometheusSpec.scrapeInterval',
      detail: "expected a Prometheus duration such as '30s', '1m30s' or '15d', got '30 seconds'",
      line: 4,
    },
    {
      name: 'a retention size without unit',
      text: 'kube-prometheus-stack:\n  prometheus:\n    prometheusSpec:\n      retentionSize: 50\n',
      code: 'schema',
      path: 'kube-prometheus-stack.prometheus.prometheusSpec.retentionSize',
      detail: "expected a byte size such as '50GB' or '512MiB', got 50",
    },
    {
      name: 'an adapter port that is not a number',
      text: 'prometheus-adapter:\n  prometheus:\n    url: http://prometheus\n    port: http\n',
      code: 'schema',
      path: 'prometheus-adapter.prometheus.port',
      detail: "expected a port number from 1 to 65535, got 'http'",
    },
    {
      name: 'values that are a list',
      text: '- scaling\n',
      code: 'schema',
      path: '',
      detail: 'expected a mapping, got a list',
    },
    {
      name: 'two YAML documents',
      text: 'scaling: {}\n---\nscaling: {}\n',
      code: 'syntax',
      path: '',
      detail: 'expected one YAML document of Helm values, got 2',
    },
    {
      name: 'bad YAML',
      text: 'scaling:\n  auto: {enabled: true\n',
      code: 'syntax',
      path: '',
      detail: 'invalid YAML',
    },
  ];

  it.each(errorCases)('rejects $name', ({ text, code, path, detail, line }) => {
    expectInputError(() => parseHelmValues(text, FILE), { code, file: FILE, path, detail, ...(line === undefined ? {} : { line }) });
  });
});
