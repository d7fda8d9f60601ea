/**
 * A `MetricsSource` that reads through the adapter's custom and external metrics APIs, as the HPA
 * controller's REST metrics client does in Kubernetes:
 *
 * - Pods: `GET custom.metrics.k8s.io/v1beta2/namespaces/{ns}/pods/*\/{metric}?labelSelector={target selector}`
 *   -> per-pod values with the items' timestamps and windows (60 s when absent);
 * - Object: `.../namespaces/{ns}/{resource.group}/{name}/{metric}` (a Namespace object is asked
 *   root-scoped, about the HPA's own namespace, as upstream does) -> one value;
 * - External: `external.metrics.k8s.io/v1beta1/namespaces/{ns}/{metric}?labelSelector=...` -> all values.
 *
 * A failed call becomes `{ error }` worded as upstream's client (`unable to fetch metrics from
 * custom metrics API: <Status message>`), so the engine reports FailedGetPodsMetric and holds.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/controller/podautoscaler/metrics/client.go
 */
import type { LabelSelector, MetricReading, MetricSpec, PodMetricValue, MetricsReadInput, MetricsSource } from '../engine/index.js';
import { parseQuantityMilli } from '../engine/index.js';
import { formatLabelSelector, labelSelectorFromRequirements } from '../core/index.js';
import { httpFetch } from '../platform/index.js';
import { createResourceMapper } from './adapter/resource-mapper.js';

/** Options of {@link createAdapterMetricsSource}. */
export interface AdapterMetricsSourceOptions {
  /** The adapter's base URL, e.g. `http://127.0.0.1:6443` (any host for an in-process `fetch`). */
  readonly baseUrl: string;
  /** The fetch to use: the platform's `httpFetch` unless told, or an adapter app called in-process. */
  readonly fetch?: (request: Request) => Promise<Response>;
  /** Time to wait for each answer; default 10 s. */
  readonly timeoutMs?: number;
  /** Reads Resource / ContainerResource metrics (the adapter does not serve metrics.k8s.io). */
  readonly resourceSource?: MetricsSource;
}

type Api = 'custom' | 'external';
type Fetched = { readonly ok: true; readonly items: readonly Record<string, unknown>[] } | { readonly ok: false; readonly error: string };

const MAPPER = createResourceMapper();

function statusMessage(status: number, text: string): string {
  try {
    const body = JSON.parse(text) as { kind?: unknown; message?: unknown };
    if (body.kind === 'Status' && typeof body.message === 'string') return body.message;
  } catch {
    // not JSON
  }
  return `the server returned HTTP ${status}: ${text.trim().slice(0, 200)}`;
}

function milli(value: unknown): number {
  return parseQuantityMilli(typeof value === 'number' ? value : String(value));
}

function timeMs(value: unknown): number {
  const ms = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(ms) ? ms : 0;
}

const OPERATORS: Readonly<Record<string, string>> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * `metav1.LabelSelectorAsSelector(sel).String()`: the `metricLabelSelector` / `labelSelector`
 * query parameter for a metric's selector ("" for none).
 *
 * @throws {Error} for an invalid selector (the engine rejects those before reading)
 * @example metricSelectorString({ matchLabels: { model: 'whisper' } }) // -> 'model=whisper'
 */
export function metricSelectorString(sel: LabelSelector | null | undefined): string {
  if (!sel) return '';
  const requirements = [
    ...Object.entries(sel.matchLabels ?? {}).map(([key, value]) => ({ key, operator: '=', values: [value] })),
    ...(sel.matchExpressions ?? []).map((e) => ({ key: e.key, operator: OPERATORS[e.operator] ?? e.operator, values: e.values ?? [] })),
  ];
  return formatLabelSelector(labelSelectorFromRequirements(requirements));
}

function groupOf(apiVersion: string | undefined): string {
  const slash = (apiVersion ?? '').indexOf('/');
  return slash < 0 ? '' : (apiVersion ?? '').slice(0, slash);
}

/**
 * Creates the source.
 *
 * @example
 * const source = createAdapterMetricsSource({ baseUrl: adapter.url });
 * await source.read({ hpa, pods, namespace: 'default', selector: 'app=lightning-asr', nowMs: Date.now() });
 * // -> [{ podValues: [{ podName: 'asr-0', valueMilli: 3000, timestampMs: ..., }] }]
 */
export function createAdapterMetricsSource(options: AdapterMetricsSourceOptions): MetricsSource {
  const base = options.baseUrl.replace(/\/+$/, '');
  const fetchFn = options.fetch ?? ((request: Request) => httpFetch(request));
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function get(api: Api, path: string, params: Record<string, string>): Promise<Fetched> {
    const group = api === 'custom' ? 'custom.metrics.k8s.io/v1beta2' : 'external.metrics.k8s.io/v1beta1';
    const query = new URLSearchParams(Object.entries(params).filter(([, v]) => v !== ''));
    const url = `${base}/apis/${group}/${path}${query.size > 0 ? `?${query.toString()}` : ''}`;
    const prefix = `unable to fetch metrics from ${api} metrics API`;
    let res: Response;
    let text: string;
    try {
      res = await fetchFn(new Request(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(timeoutMs) }));
      text = await res.text();
    } catch (error) {
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
      return { ok: false, error: `${prefix}: Get "${url}": ${cause}` };
    }
    if (res.status !== 200) return { ok: false, error: `${prefix}: ${statusMessage(res.status, text)}` };
    try {
      const body = JSON.parse(text) as { items?: unknown };
      if (!Array.isArray(body.items)) throw new Error('no items');
      return { ok: true, items: body.items as Record<string, unknown>[] };
    } catch {
      return { ok: false, error: `${prefix}: expected a metric value list, got ${JSON.stringify(text.slice(0, 80))}` };
    }
  }

  async function readOne(spec: MetricSpec, input: MetricsReadInput): Promise<MetricReading> {
    const ns = encodeURIComponent(input.namespace);
    switch (spec.type) {
      case 'Pods': {
        const metric = spec.pods?.metric;
        if (!metric) return { error: "missing 'pods'" };
        const r = await get('custom', `namespaces/${ns}/pods/*/${encodeURIComponent(metric.name)}`, {
          labelSelector: input.selector,
          metricLabelSelector: metricSelectorString(metric.selector),
        });
        if (!r.ok) return { error: r.error };
        const podValues: PodMetricValue[] = r.items.map((item) => {
          const window = item['windowSeconds'];
          return {
            podName: String((item['describedObject'] as { name?: string } | undefined)?.name ?? ''),
            valueMilli: milli(item['value']),
            timestampMs: timeMs(item['timestamp']),
            ...(typeof window === 'number' ? { windowSeconds: window } : {}),
          };
        });
        return { podValues };
      }
      case 'Object': {
        const src = spec.object;
        if (!src) return { error: "missing 'object'" };
        const ref = src.describedObject;
        const group = groupOf(ref.apiVersion);
        let path: string;
        if (ref.kind === 'Namespace' && ref.apiVersion === 'v1') {
          path = `namespaces/${ns}/metrics/${encodeURIComponent(src.metric.name)}`;
        } else {
          const kind = MAPPER.kinds.find((k) => k.kind === ref.kind && k.group === group);
          if (!kind) return { error: `unable to fetch metrics from custom metrics API: no matches for kind "${ref.kind}" in group "${group}"` };
          const resource = kind.group === '' ? kind.resource : `${kind.resource}.${kind.group}`;
          path = `namespaces/${ns}/${resource}/${encodeURIComponent(ref.name)}/${encodeURIComponent(src.metric.name)}`;
        }
        const r = await get('custom', path, { metricLabelSelector: metricSelectorString(src.metric.selector) });
        if (!r.ok) return { error: r.error };
        const item = r.items[0];
        if (r.items.length !== 1 || !item) return { error: `unable to fetch metrics from custom metrics API: the custom metrics API server returned ${r.items.length} results when we asked for exactly one` };
        return { valueMilli: milli(item['value']), timestampMs: timeMs(item['timestamp']) };
      }
      case 'External': {
        const metric = spec.external?.metric;
        if (!metric) return { error: "missing 'external'" };
        const r = await get('external', `namespaces/${ns}/${encodeURIComponent(metric.name)}`, { labelSelector: metricSelectorString(metric.selector) });
        if (!r.ok) return { error: r.error };
        return { valuesMilli: r.items.map((item) => milli(item['value'])) };
      }
      default:
        return { error: `unable to fetch metrics from resource metrics API: the adapter does not serve metrics.k8s.io (${String(spec.type)} metrics need another source)` };
    }
  }

  return {
    async read(input) {
      const specs = input.hpa.spec.metrics ?? [];
      const needsResource = specs.some((m) => m.type === 'Resource' || m.type === 'ContainerResource');
      const resourceReadings = needsResource && options.resourceSource ? await options.resourceSource.read(input) : undefined;
      return Promise.all(
        specs.map((spec, k) => {
          const fromResource = resourceReadings?.[k];
          if ((spec.type === 'Resource' || spec.type === 'ContainerResource') && fromResource) return Promise.resolve(fromResource);
          return readOne(spec, input).catch((error: unknown) => ({ error: error instanceof Error ? error.message : String(error) }));
        }),
      );
    },
  };
}
