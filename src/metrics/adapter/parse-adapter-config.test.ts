import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { parseAdapterConfig } from './parse-adapter-config.js';

/** The seed's Helm values (002), with the umbrella chart's `prometheus-adapter:` key. */
const SEED_VALUES = `prometheus-adapter:
  prometheus:
    url: http://smallest-prometheus-stack-prometheus.default.svc
    port: 9090
  rules:
    custom:
      - seriesQuery: "asr_active_requests"
        resources:
          overrides:
            namespace: {resource: "namespace"}
            pod: {resource: "pod"}
        name:
          matches: "^(.*)$"
          as: "\${1}"
        metricsQuery: "asr_active_requests{<<.LabelMatchers>>}"
      - seriesQuery: "asr_gpu_utilization"
        resources:
          overrides:
            namespace: {resource: "namespace"}
            pod: {resource: "pod"}
        name:
          as: "gpu_utilization"
        metricsQuery: "avg_over_time(asr_gpu_utilization{<<.LabelMatchers>>}[2m])"
    external:
      - seriesQuery: 'kube_deployment_status_replicas{deployment="lightning-asr"}'
        metricsQuery: 'sum(kube_deployment_status_replicas{deployment="lightning-asr"})'
        name:
          as: "lightning_asr_replica_count"
        resources:
          overrides:
            namespace: {resource: "namespace"}
`;

function errorOf(text: string): InputError {
  try {
    parseAdapterConfig(text, { file: 'adapter.yaml' });
  } catch (err) {
    if (err instanceof InputError) return err;
    throw err;
  }
  throw new Error('expected an InputError');
}

describe('parseAdapterConfig()', () => {
  it('reads the seed Helm values, adding the chart default rules as the chart does', () => {
    const config = parseAdapterConfig(SEED_VALUES, { file: 'values.yaml' });
    expect(config.shape).toBe('helm');
    expect(config.rules).toHaveLength(8);
    expect(config.rules[6]?.seriesQuery).toBe('asr_active_requests');
    expect(config.externalRules[0]?.name?.as).toBe('lightning_asr_replica_count');
    expect(config.paths.rules[7]).toBe('prometheus-adapter.rules.custom[1]');
  });

  it('leaves the chart default rules out when asked to', () => {
    expect(parseAdapterConfig(SEED_VALUES, { file: 'values.yaml', helmDefaultRules: false }).rules).toHaveLength(2);
    expect(parseAdapterConfig('rules:\n  default: false\n  custom: []\n', { file: 'v.yaml' }).rules).toHaveLength(0);
  });

  it('reads the config-file shape', () => {
    const config = parseAdapterConfig('rules:\n- seriesQuery: up\n  metricsQuery: up{<<.LabelMatchers>>}\nexternalRules: []\n', { file: 'c.yaml' });
    expect(config).toMatchObject({ shape: 'config', rules: [{ seriesQuery: 'up' }], externalRules: [] });
  });

  it.each([
    {
      name: 'an unknown key, with a suggestion',
      text: 'rules:\n- seriesQuery: up\n- seriesQuery: up\n  metricQuery: x\n',
      path: 'rules[1].metricQuery',
      line: 4,
      detail: /unknown field \(did you mean 'metricsQuery'\?\)/,
    },
    { name: 'a bad name regex', text: 'rules:\n- {}\n- {}\n- name: {matches: "(a"}\n', path: 'rules[2].name.matches', line: 4, detail: /missing closing \): `\(a`/ },
    { name: 'two capture groups and no as', text: 'rules:\n- name: {matches: "^(.*)_(.*)$"}\n', path: 'rules[0].name.as', line: 2, detail: /must specify an 'as' value/ },
    { name: 'a filter with both is and isNot', text: 'rules:\n- seriesFilters:\n  - {is: a, isNot: b}\n', path: 'rules[0].seriesFilters[0]', line: 3, detail: /cannot have both/ },
    { name: 'a bad filter regex', text: 'rules:\n- seriesFilters:\n  - isNot: "[a"\n', path: 'rules[0].seriesFilters[0].isNot', line: 3, detail: /missing closing \]/ },
    { name: 'an unknown template field', text: 'rules:\n- metricsQuery: "sum(<<.Serie>>)"\n', path: 'rules[0].metricsQuery', line: 2, detail: /unknown template field '\.Serie'/ },
    { name: 'a template that does not parse', text: 'rules:\n- metricsQuery: "<<.Series"\n', path: 'rules[0].metricsQuery', line: 2, detail: /unclosed action/ },
    { name: 'a resource template without .Resource', text: 'rules:\n- resources: {template: "kube_<<.Group>>"}\n', path: 'rules[0].resources.template', line: 2, detail: /must include at least/ },
    { name: 'an override naming an unknown resource', text: 'rules:\n- resources:\n    overrides:\n      brand: {resource: brand}\n', path: 'rules[0].resources.overrides.brand', line: 4, detail: /unable to normalize group-resource/ },
    { name: 'a wrong type', text: 'rules:\n- resources: {namespaced: "no"}\n', path: 'rules[0].resources.namespaced', line: 2, detail: /expected true or false/ },
    { name: 'a Helm rule', text: 'rules:\n  custom:\n  - name: {matches: "(x"}\n', path: 'rules.custom[0].name.matches', line: 3, detail: /missing closing/ },
    { name: 'a bad window', text: 'resourceRules:\n  window: 5 minutes\n', path: 'resourceRules.window', line: 2, detail: /not a valid duration/ },
  ])('rejects $name naming file, path and line', ({ text, path, line, detail }) => {
    const err = errorOf(text);
    expect(err.file).toBe('adapter.yaml');
    expect(err.path).toBe(path);
    expect(err.line).toBe(line);
    expect(err.detail).toMatch(detail);
    expect(err.message).toBe(`Cannot load 'adapter.yaml:line ${line}' at '${path}': ${err.detail}`);
  });

  it('rejects YAML syntax errors and duplicate keys', () => {
    expect(errorOf('rules: [\n').code).toBe('syntax');
    const dup = errorOf('rules:\n- seriesQuery: a\n  seriesQuery: b\n');
    expect(dup.code).toBe('syntax');
    expect(dup.line).toBe(3);
  });
});
