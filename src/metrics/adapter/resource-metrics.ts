/**
 * Resource metrics (`metrics.k8s.io`, what `kubectl top` and CPU/memory HPAs read) from the two
 * instant queries per namespace (pods) or per request (nodes). Samples are grouped by the pod/node
 * label; NaN and negative values become 0; CPU is a milli DecimalSI quantity, memory milli
 * BinarySI. A pod without any CPU or any memory result is omitted; a container with only one of the
 * two gets the other as 0 (BinarySI, as upstream writes it). The timestamp is the earliest sample
 * of the object; `window` echoes `resourceRules.window`.
 *
 * @see https://github.com/kubernetes-sigs/prometheus-adapter/blob/master/pkg/resourceprovider/provider.go
 */
import { newMilliQuantity, type Quantity } from '../../core/index.js';
import type { ResourceQuery } from './resource-query.js';
import { RESOURCE_METRIC_CONVERSION, sampleToMilli } from './sample-value.js';
import type { PromQueryResult, PromSample } from './types.js';

export interface ResourceUsage {
  readonly cpu: Quantity;
  readonly memory: Quantity;
}

export interface ContainerMetrics {
  readonly name: string;
  readonly usage: ResourceUsage;
}

export interface PodMetricsItem {
  readonly namespace: string;
  readonly name: string;
  readonly timestampMs: number;
  readonly window: string;
  readonly containers: readonly ContainerMetrics[];
}

export interface NodeMetricsItem {
  readonly name: string;
  readonly timestampMs: number;
  readonly window: string;
  readonly usage: ResourceUsage;
}

/** Samples of one query, by object name. */
export type SamplesByObject = ReadonlyMap<string, readonly PromSample[]>;

/**
 * Groups a query result by the resource label (`runQuery`); `undefined` when it is not a vector
 * (upstream: an error, so the namespace or node set is skipped).
 */
export function samplesByObject(query: ResourceQuery, resource: 'pods' | 'nodes', result: PromQueryResult): SamplesByObject | undefined {
  if (result.type !== 'vector') return undefined;
  const label = query.converter.labelForResource({ group: '', resource });
  if (!label.ok) return undefined;
  const out = new Map<string, PromSample[]>();
  for (const s of result.samples) {
    const key = s.labels[label.label] ?? '';
    const list = out.get(key) ?? [];
    list.push(s);
    out.set(key, list);
  }
  return out;
}

/** The query results of one namespace: both present, or the namespace's pods are skipped. */
export interface NamespaceResourceSamples {
  readonly cpu: SamplesByObject;
  readonly memory: SamplesByObject;
}

/**
 * Assembles PodMetrics for the requested pods (request order), from per-namespace results.
 *
 * @example podMetricsFor({ pods: [{ namespace: 'ns', name: 'p' }], samples: new Map([['ns', { cpu, memory }]]), cpuContainerLabel: 'container', memoryContainerLabel: 'container', window: '1m' })
 */
export function podMetricsFor(input: {
  readonly pods: readonly { readonly namespace: string; readonly name: string }[];
  readonly samples: ReadonlyMap<string, NamespaceResourceSamples>;
  readonly cpuContainerLabel: string;
  readonly memoryContainerLabel: string;
  readonly window: string;
}): PodMetricsItem[] {
  const out: PodMetricsItem[] = [];
  for (const pod of input.pods) {
    const ns = input.samples.get(pod.namespace);
    const cpu = ns?.cpu.get(pod.name);
    const memory = ns?.memory.get(pod.name);
    if (!cpu || !memory) continue;
    const containers = new Map<string, { cpu?: Quantity; memory?: Quantity }>();
    let earliest = Infinity;
    for (const s of cpu) {
      const name = s.labels[input.cpuContainerLabel] ?? '';
      containers.set(name, { ...containers.get(name), cpu: newMilliQuantity(sampleToMilli(s.value, RESOURCE_METRIC_CONVERSION), 'DecimalSI') });
      earliest = Math.min(earliest, s.timestampMs);
    }
    for (const s of memory) {
      const name = s.labels[input.memoryContainerLabel] ?? '';
      containers.set(name, { ...containers.get(name), memory: newMilliQuantity(sampleToMilli(s.value, RESOURCE_METRIC_CONVERSION), 'BinarySI') });
      earliest = Math.min(earliest, s.timestampMs);
    }
    const zero = newMilliQuantity(0, 'BinarySI');
    out.push({
      namespace: pod.namespace,
      name: pod.name,
      timestampMs: earliest,
      window: input.window,
      containers: [...containers].map(([name, u]) => ({ name, usage: { cpu: u.cpu ?? zero, memory: u.memory ?? zero } })),
    });
  }
  return out;
}

/**
 * Assembles NodeMetrics for the requested nodes (request order): the first CPU and first memory
 * sample of each node, the earlier of their timestamps; nodes missing either are omitted.
 */
export function nodeMetricsFor(input: { readonly nodes: readonly string[]; readonly cpu: SamplesByObject; readonly memory: SamplesByObject; readonly window: string }): NodeMetricsItem[] {
  const out: NodeMetricsItem[] = [];
  for (const name of input.nodes) {
    const cpu = input.cpu.get(name)?.[0];
    const memory = input.memory.get(name)?.[0];
    if (!cpu || !memory) continue;
    out.push({
      name,
      timestampMs: Math.min(cpu.timestampMs, memory.timestampMs),
      window: input.window,
      usage: {
        cpu: newMilliQuantity(sampleToMilli(cpu.value, RESOURCE_METRIC_CONVERSION), 'DecimalSI'),
        memory: newMilliQuantity(sampleToMilli(memory.value, RESOURCE_METRIC_CONVERSION), 'BinarySI'),
      },
    });
  }
  return out;
}
