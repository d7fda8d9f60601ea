/**
 * The metrics APIs answered from a `MetricsSource` (the local stack's built-in scraper, when no
 * adapter runs): `custom.metrics.k8s.io` pods metrics, `external.metrics.k8s.io` values and
 * `metrics.k8s.io` pod usage, read the way the controller reads them, so `kubectl get --raw`
 * shows what the HPA sees.
 *
 * @see https://github.com/kubernetes/metrics/tree/master/pkg/apis/custom_metrics
 */
import type { HorizontalPodAutoscaler, MetricReading, MetricSpec, MetricsSource, PodInfo } from '../engine/index.js';
import { formatMilliQuantity, matchesSelector, parseSelector } from '../engine/index.js';
import type { Clock } from '../core/index.js';
import type { DelegatedGroup } from './discovery.js';
import { kubeTime } from './store.js';

export interface MetricsSourceAppOptions {
  readonly source: MetricsSource;
  readonly clock: Clock;
  /** The pods of a namespace, as the target lists them. */
  readonly pods: (namespace: string) => Promise<readonly PodInfo[]>;
  /** Metric names listed in the custom metrics API's discovery (`pods/<name>`). */
  readonly podMetricNames?: () => readonly string[];
  readonly externalMetricNames?: () => readonly string[];
}

/** The groups this handler serves, for the API server's `/apis`. */
export const METRICS_SOURCE_GROUPS: readonly DelegatedGroup[] = [
  { group: 'custom.metrics.k8s.io', versions: ['v1beta2', 'v1beta1'] },
  { group: 'external.metrics.k8s.io', versions: ['v1beta1'] },
  { group: 'metrics.k8s.io', versions: ['v1beta1', 'v1'] },
];

const json = (body: unknown, status = 200): Response => new Response(`${JSON.stringify(body)}\n`, { status, headers: { 'content-type': 'application/json' } });
const failure = (code: number, reason: string, message: string): Response => json({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code }, code);

const readingError = (r: MetricReading | undefined): string | undefined => (r && 'error' in r ? r.error : r === undefined ? 'no reading' : undefined);

/**
 * A fetch handler for the three metrics API groups, backed by `source`.
 *
 * @example
 * const metrics = createMetricsSourceApp({ source: scraper, clock, pods: async () => pool.listPods() });
 * await metrics(new Request('http://x/apis/custom.metrics.k8s.io/v1beta1/namespaces/smallest/pods/*\/asr_active_requests'));
 */
export function createMetricsSourceApp(options: MetricsSourceAppOptions): (request: Request) => Promise<Response> {
  const { source, clock } = options;
  const read = async (namespace: string, metric: MetricSpec, selector: string): Promise<{ reading: MetricReading | undefined; pods: readonly PodInfo[] }> => {
    const all = await options.pods(namespace);
    const parsed = parseSelector(selector);
    const pods = all.filter((p) => matchesSelector(parsed, p.labels ?? {}));
    const hpa: HorizontalPodAutoscaler = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'kubectl-get-raw', namespace },
      spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'kubectl-get-raw' }, maxReplicas: 1, metrics: [metric] },
    };
    const [reading] = await source.read({ hpa, pods, namespace, selector, nowMs: clock.now() });
    return { reading, pods };
  };

  return async (request) => {
    const url = new URL(request.url);
    const parts = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
    const selector = url.searchParams.get('labelSelector') ?? '';
    const [, group, version] = parts;
    if (request.method !== 'GET') return failure(405, 'MethodNotAllowed', `${request.method} is not supported on the metrics APIs`);
    if (group === 'custom.metrics.k8s.io' && (version === 'v1beta1' || version === 'v1beta2')) {
      if (parts.length === 3) {
        const names = options.podMetricNames?.() ?? [];
        return json({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources: names.map((n) => ({ name: `pods/${n}`, singularName: '', namespaced: true, kind: 'MetricValueList', verbs: ['get'] })) });
      }
      const [, , , nsWord, namespace, kind, name, metricName] = parts;
      if (nsWord !== 'namespaces' || kind !== 'pods' || namespace === undefined || name === undefined || metricName === undefined || parts.length !== 8) {
        return failure(404, 'NotFound', 'the server could not find the requested resource (only namespaces/NS/pods/NAME|*/METRIC is served from the built-in scraper)');
      }
      const { reading } = await read(namespace, { type: 'Pods', pods: { metric: { name: metricName }, target: { type: 'AverageValue', averageValue: '1' } } }, selector);
      const error = readingError(reading);
      if (error !== undefined || !reading || !('podValues' in reading)) return failure(404, 'NotFound', `the server could not find the metric ${metricName} for pods${error ? `: ${error}` : ''}`);
      const values = reading.podValues.filter((v) => name === '*' || v.podName === name);
      if (values.length === 0) return failure(404, 'NotFound', `the server could not find the metric ${metricName} for pods ${name}`);
      const items = values.map((v) => {
        const describedObject = { kind: 'Pod', namespace, name: v.podName, apiVersion: '/v1' };
        const common = { timestamp: kubeTime(v.timestampMs), windowSeconds: v.windowSeconds ?? 60, value: formatMilliQuantity(v.valueMilli) };
        return version === 'v1beta1'
          ? { describedObject, metricName, ...common, selector: null }
          : { describedObject, metric: { name: metricName, selector: null }, ...common };
      });
      return json({ kind: 'MetricValueList', apiVersion: `${group}/${version}`, metadata: {}, items });
    }
    if (group === 'external.metrics.k8s.io' && version === 'v1beta1') {
      if (parts.length === 3) {
        const names = options.externalMetricNames?.() ?? [];
        return json({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources: names.map((n) => ({ name: n, singularName: '', namespaced: true, kind: 'ExternalMetricValueList', verbs: ['get'] })) });
      }
      const [, , , nsWord, namespace, metricName] = parts;
      if (nsWord !== 'namespaces' || namespace === undefined || metricName === undefined || parts.length !== 6) return failure(404, 'NotFound', 'the server could not find the requested resource');
      const { reading } = await read(namespace, { type: 'External', external: { metric: { name: metricName }, target: { type: 'Value', value: '1' } } }, selector);
      const error = readingError(reading);
      if (error !== undefined || !reading || !('valuesMilli' in reading)) return failure(404, 'NotFound', `the server could not find the external metric ${metricName}${error ? `: ${error}` : ''}`);
      const timestamp = kubeTime(clock.now());
      return json({ kind: 'ExternalMetricValueList', apiVersion: `${group}/${version}`, metadata: {}, items: reading.valuesMilli.map((v) => ({ metricName, metricLabels: {}, timestamp, value: formatMilliQuantity(v) })) });
    }
    if (group === 'metrics.k8s.io' && (version === 'v1beta1' || version === 'v1')) {
      if (parts.length === 3) return json({ kind: 'APIResourceList', apiVersion: 'v1', groupVersion: `${group}/${version}`, resources: [{ name: 'pods', singularName: '', namespaced: true, kind: 'PodMetrics', verbs: ['get', 'list'] }] });
      const [, , , nsWord, namespace, kind, name] = parts;
      if (nsWord !== 'namespaces' || kind !== 'pods' || namespace === undefined) return failure(404, 'NotFound', 'the server could not find the requested resource');
      const { reading } = await read(namespace, { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 100 } } }, selector);
      const error = readingError(reading);
      if (error !== undefined || !reading || !('podMetrics' in reading)) return failure(404, 'NotFound', `the server could not find the resource metrics of pods${error ? `: ${error}` : ''}`);
      const items = reading.podMetrics
        .filter((p) => name === undefined || p.podName === name)
        .map((p) => ({
          metadata: { name: p.podName, namespace },
          timestamp: kubeTime(p.timestampMs),
          window: `${p.windowSeconds}s`,
          containers: p.containers.map((c) => ({ name: c.name, usage: Object.fromEntries(Object.entries(c.usageMilli).map(([k, v]) => [k, formatMilliQuantity(v)])) })),
        }));
      if (name !== undefined) return items[0] ? json({ kind: 'PodMetrics', apiVersion: `${group}/${version}`, ...items[0] }) : failure(404, 'NotFound', `podmetrics.metrics.k8s.io "${name}" not found`);
      return json({ kind: 'PodMetricsList', apiVersion: `${group}/${version}`, metadata: {}, items });
    }
    return failure(404, 'NotFound', 'the server could not find the requested resource');
  };
}
