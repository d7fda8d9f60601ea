/**
 * Runner for `value_mapping` vectors: resource metrics (metrics.k8s.io) built from the rules'
 * queries answered by a fake Prometheus keyed by exact query string.
 */
import { decodeAdapterConfig, type AdapterConfig } from '../adapter-config.js';
import { compileAdapterConfig } from '../compile-adapter-config.js';
import { defaultAdapterConfig } from '../default-adapter-config.js';
import type { QueryResult } from '../metrics-query.js';
import { formatQuantity, quantityMilliValue, type Quantity } from '../../../core/index.js';
import { nodeResourceQuery, podResourceQuery, type ResourceQuery } from '../resource-query.js';
import { nodeMetricsFor, podMetricsFor, samplesByObject, type NamespaceResourceSamples, type SamplesByObject } from '../resource-metrics.js';
import { parsePrometheusValue } from '../sample-value.js';
import type { PromSample } from '../types.js';
import { arr, compareAsSet, compareSubset, isObject, obj, str, strings, type CaseRunner, type Json, type JsonObject } from './vector-case.js';

interface FakeQuery {
  readonly query: string;
  readonly rule: string;
  readonly namespace: string | undefined;
  readonly samples: PromSample[];
}

function configFrom(rules: Json | undefined): AdapterConfig {
  if (isObject(rules)) return decodeAdapterConfig({ resourceRules: rules }, { file: 'vector' });
  const m = /DefaultConfig\(\s*([0-9a-z]+)\s*,\s*"([^"]*)"\s*\)/.exec(str(rules, 'rules'));
  if (!m) throw new Error(`unknown rule set ${JSON.stringify(rules)}: expected config.DefaultConfig(<window>, "<prefix>") or a resourceRules object`);
  return defaultAdapterConfig({ rateInterval: m[1] ?? '1m', labelPrefix: m[2] ?? '' });
}

function fakePrometheus(value: Json | undefined): FakeQuery[] {
  return arr(value, 'prometheus').map((e, k) => {
    const o = obj(e, `prometheus[${k}]`);
    return {
      query: str(o['query'], 'query'),
      rule: str(o['rule'], 'rule'),
      namespace: typeof o['namespace'] === 'string' ? o['namespace'] : undefined,
      samples: arr(o['result'], 'result').map((s, j) => {
        const so = obj(s, `result[${j}]`);
        const labels = obj(so['labels'] ?? {}, 'labels');
        const v = so['value'];
        return {
          labels: Object.fromEntries(Object.entries(labels).map(([l, x]) => [l, str(x, l)])),
          value: typeof v === 'number' ? v : parsePrometheusValue(str(v, 'value')),
          timestampMs: Number(so['timestampMs'] ?? 0),
        };
      }),
    };
  });
}

/** Answers a built query; a query the case does not list is a Prometheus error (unless it is a near miss). */
function answer(fake: readonly FakeQuery[], built: QueryResult, rule: string, namespace: string | undefined, q: ResourceQuery, resource: 'pods' | 'nodes', out: string[]): SamplesByObject | undefined {
  if (!built.ok) return undefined;
  const hit = fake.find((f) => f.query === built.query);
  if (!hit) {
    const near = fake.find((f) => f.rule === rule && f.namespace === namespace);
    if (near) out.push(`${rule} query for ${namespace ?? 'nodes'}: expected ${JSON.stringify(near.query)}, built ${JSON.stringify(built.query)}`);
    return undefined;
  }
  return samplesByObject(q, resource, { type: 'vector', samples: hit.samples });
}

function usage(q: Quantity): Record<string, unknown> {
  return { milli: quantityMilliValue(q), format: q.format, string: formatQuantity(q) };
}

export const runValueMappingCase: CaseRunner = (c) => {
  const out: string[] = [];
  const { input, expected } = c;
  const compiled = compileAdapterConfig(configFrom(input['rules']), { file: 'vector' });
  const rules = compiled.resourceRules;
  if (!rules) return ['the rule set has no resourceRules'];
  const window = typeof input['window'] === 'string' ? input['window'] : rules.window;
  const fake = fakePrometheus(input['prometheus']);
  const request = obj(input['request'], 'request');
  const kind = str(request['kind'], 'request.kind');
  if (kind === 'pods') {
    const pods = arr(request['objects'], 'objects').map((p) => {
      const [namespace = '', name = ''] = strings(p, 'objects[]');
      return { namespace, name };
    });
    const namespaces = [...new Set(pods.map((p) => p.namespace))];
    const samples = new Map<string, NamespaceResourceSamples>();
    for (const ns of namespaces) {
      const names = pods.filter((p) => p.namespace === ns).map((p) => p.name);
      const cpu = answer(fake, podResourceQuery(rules.cpu, ns, names), 'cpu', ns, rules.cpu, 'pods', out);
      const memory = answer(fake, podResourceQuery(rules.memory, ns, names), 'memory', ns, rules.memory, 'pods', out);
      if (cpu && memory) samples.set(ns, { cpu, memory });
    }
    const items = podMetricsFor({ pods, samples, cpuContainerLabel: rules.cpu.containerLabel, memoryContainerLabel: rules.memory.containerLabel, window });
    const want = expected['podMetrics'];
    if (want === undefined) return out;
    const wantList = arr(want, 'podMetrics');
    if (wantList.length !== items.length) out.push(`podMetrics: expected ${wantList.length} pods, got ${items.length} (${items.map((p) => `${p.namespace}/${p.name}`).join(', ')})`);
    wantList.forEach((w, k) => {
      const item = items[k];
      const wo: JsonObject = obj(w, `podMetrics[${k}]`);
      if (!item) return;
      const { containers: wantContainers, ...rest } = wo;
      compareSubset(`podMetrics[${k}]`, rest, item, out);
      if (wantContainers !== undefined) {
        const actual = item.containers.map((ct) => ({ name: ct.name, usage: { cpu: usage(ct.usage.cpu), memory: usage(ct.usage.memory) } }));
        const normalized = JSON.parse(JSON.stringify(actual, (_key, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))) as unknown[];
        compareAsSet(`podMetrics[${k}].containers`, arr(wantContainers, 'containers'), normalized, out);
      }
    });
    return out;
  }
  if (kind === 'nodes') {
    const nodes = strings(request['objects'], 'objects');
    const cpu = answer(fake, nodeResourceQuery(rules.cpu, nodes), 'cpu', undefined, rules.cpu, 'nodes', out);
    const memory = answer(fake, nodeResourceQuery(rules.memory, nodes), 'memory', undefined, rules.memory, 'nodes', out);
    const items = cpu && memory ? nodeMetricsFor({ nodes, cpu, memory, window }) : [];
    const actual = items.map((n) => ({ name: n.name, timestampMs: n.timestampMs, window: n.window, usage: { cpu: usage(n.usage.cpu), memory: usage(n.usage.memory) } }));
    if (expected['nodeMetrics'] !== undefined) compareSubset('nodeMetrics', expected['nodeMetrics'], actual, out);
    return out;
  }
  return [`unknown request kind ${JSON.stringify(kind)}`];
};
