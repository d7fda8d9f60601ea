/**
 * HTTP routing of the metrics APIs as a pure function: request method + path/query -> what to
 * serve, or the Kubernetes `Status` to answer. Mirrors custom-metrics-apiserver's routes:
 *
 * - `custom.metrics.k8s.io/{v1beta1,v1beta2}`: discovery; `{resource}/{name|*}/{metric}` (root
 *   scoped); `namespaces/{ns}/{resource}/{name|*}/{metric}`; `namespaces/{ns}/metrics/{metric}`
 *   (a metric about the Namespace object). `{resource}` is `plural[.group]`, `*` selects objects by
 *   `labelSelector`; `metricLabelSelector` selects series.
 * - `external.metrics.k8s.io/v1beta1`: discovery; `namespaces/{ns}/{metric}` with `labelSelector`.
 * - `metrics.k8s.io/v1beta1`: `nodes[/{n}]`, `pods`, `namespaces/{ns}/pods[/{p}]`.
 *
 * Paths are cleaned like Go's `path.Clean` (so `//apis/...` works), percent-decoded before
 * matching (an encoded `/` splits a segment, as in Go), and a trailing slash is ignored.
 *
 * @see https://github.com/kubernetes-sigs/custom-metrics-apiserver/blob/master/pkg/apiserver/installer/cmhandlers.go
 * @see https://github.com/kubernetes-sigs/custom-metrics-apiserver/blob/master/pkg/registry/custom_metrics/reststorage.go
 */
import { badRequestStatus, methodNotAllowedStatus, plainErrorStatus, RESOURCE_NOT_FOUND_STATUS, type KubeStatus } from './kube-status.js';
import { LabelSelectorError, parseLabelSelector, type LabelSelector } from '../../core/index.js';
import { parseGroupResource, type CustomMetricInfo } from './types.js';

export const CUSTOM_METRICS_GROUP = 'custom.metrics.k8s.io';
export const EXTERNAL_METRICS_GROUP = 'external.metrics.k8s.io';
export const RESOURCE_METRICS_GROUP = 'metrics.k8s.io';

export type CustomMetricsVersion = 'v1beta1' | 'v1beta2';

export type MetricsRoute =
  | { readonly kind: 'customGroup' }
  | { readonly kind: 'customDiscovery'; readonly version: CustomMetricsVersion }
  | {
      readonly kind: 'customMetricByName';
      readonly version: CustomMetricsVersion;
      readonly info: CustomMetricInfo;
      /** The object's namespace ("" for root-scoped objects and namespace metrics). */
      readonly namespace: string;
      readonly name: string;
      readonly metricSelector: LabelSelector;
    }
  | {
      readonly kind: 'customMetricBySelector';
      readonly version: CustomMetricsVersion;
      readonly info: CustomMetricInfo;
      readonly namespace: string;
      /** Selects objects (`labelSelector`). */
      readonly selector: LabelSelector;
      readonly metricSelector: LabelSelector;
    }
  | { readonly kind: 'externalGroup' }
  | { readonly kind: 'externalDiscovery'; readonly version: 'v1beta1' }
  | { readonly kind: 'externalMetric'; readonly version: 'v1beta1'; readonly namespace: string; readonly metric: string; readonly selector: LabelSelector }
  | { readonly kind: 'resourceGroup' }
  | { readonly kind: 'resourceDiscovery'; readonly version: 'v1beta1' }
  | { readonly kind: 'nodeMetrics'; readonly name?: string; readonly selector: LabelSelector }
  | { readonly kind: 'podMetrics'; readonly namespace?: string; readonly name?: string; readonly selector: LabelSelector };

export type RouteResult =
  | { readonly ok: true; readonly route: MetricsRoute; readonly pretty: boolean }
  | { readonly ok: false; readonly status: KubeStatus };

/**
 * Go's `path.Clean`, keeping a trailing slash as `http.ServeMux` does.
 *
 * @example cleanPath('//apis/./x/../y/') // -> '/apis/y/'
 */
export function cleanPath(path: string): string {
  const out: string[] = [];
  for (const seg of path.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') out.pop();
    else out.push(seg);
  }
  const cleaned = `/${out.join('/')}`;
  return path.endsWith('/') && cleaned !== '/' ? `${cleaned}/` : cleaned;
}

function splitTarget(target: string | URL): { path: string; query: string } {
  const text = typeof target === 'string' ? target : `${target.pathname}${target.search}`;
  const absolute = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text);
  const rest = absolute ? text.slice(text.indexOf('/', absolute[0].length) < 0 ? text.length : text.indexOf('/', absolute[0].length)) : text;
  const q = rest.indexOf('?');
  const hash = rest.indexOf('#');
  const end = hash < 0 ? rest.length : hash;
  return q < 0 || q > end ? { path: rest.slice(0, end) || '/', query: '' } : { path: rest.slice(0, q) || '/', query: rest.slice(q + 1, end) };
}

type Selected = { readonly ok: true; readonly selector: LabelSelector } | { readonly ok: false; readonly status: KubeStatus };

function selectorParam(params: URLSearchParams, name: string, onError: (message: string) => KubeStatus): Selected {
  const text = params.get(name) ?? '';
  try {
    return { ok: true, selector: parseLabelSelector(text) };
  } catch (err) {
    if (err instanceof LabelSelectorError) return { ok: false, status: onError(err.message) };
    throw err;
  }
}

function customRoute(version: CustomMetricsVersion, rest: readonly string[], params: URLSearchParams, isGet: boolean): MetricsRoute | KubeStatus {
  let namespace = '';
  let resourceRaw: string;
  let name: string;
  let metricName: string;
  if (rest.length === 3 && rest[0] !== 'namespaces') {
    [resourceRaw = '', name = '', metricName = ''] = rest;
  } else if (rest.length === 4 && rest[0] === 'namespaces' && rest[2] === 'metrics') {
    [, namespace = '', resourceRaw = '', metricName = ''] = rest;
    name = '';
  } else if (rest.length === 5 && rest[0] === 'namespaces') {
    [, namespace = '', resourceRaw = '', name = '', metricName = ''] = rest;
  } else {
    return RESOURCE_NOT_FOUND_STATUS;
  }
  if (!isGet) return methodNotAllowedStatus();
  const metric = selectorParam(params, 'metricLabelSelector', plainErrorStatus);
  if (!metric.ok) return metric.status;
  let info: CustomMetricInfo = { ...parseGroupResource(resourceRaw), namespaced: namespace !== '', metric: metricName };
  if (namespace !== '' && resourceRaw === 'metrics') {
    // a metric describing the Namespace object itself
    info = { group: '', resource: 'namespaces', namespaced: false, metric: metricName };
    name = namespace;
    namespace = '';
  }
  if (name === '*') {
    const objects = selectorParam(params, 'labelSelector', badRequestStatus);
    if (!objects.ok) return objects.status;
    return { kind: 'customMetricBySelector', version, info, namespace, selector: objects.selector, metricSelector: metric.selector };
  }
  return { kind: 'customMetricByName', version, info, namespace, name, metricSelector: metric.selector };
}

function externalRoute(rest: readonly string[], params: URLSearchParams, isGet: boolean): MetricsRoute | KubeStatus {
  if (rest.length !== 3 || rest[0] !== 'namespaces') return RESOURCE_NOT_FOUND_STATUS;
  if (!isGet) return methodNotAllowedStatus();
  const selected = selectorParam(params, 'labelSelector', badRequestStatus);
  if (!selected.ok) return selected.status;
  return { kind: 'externalMetric', version: 'v1beta1', namespace: rest[1] ?? '', metric: rest[2] ?? '', selector: selected.selector };
}

function resourceRoute(rest: readonly string[], params: URLSearchParams, isGet: boolean): MetricsRoute | KubeStatus {
  const [a, b, c, d] = rest;
  const nodes = a === 'nodes' && rest.length <= 2;
  const pods = (a === 'pods' && rest.length === 1) || (a === 'namespaces' && b !== undefined && c === 'pods' && rest.length <= 4);
  if (!nodes && !pods) return RESOURCE_NOT_FOUND_STATUS;
  if (!isGet) return methodNotAllowedStatus();
  const selected = selectorParam(params, 'labelSelector', badRequestStatus);
  if (!selected.ok) return selected.status;
  const selector = selected.selector;
  if (nodes) return b === undefined ? { kind: 'nodeMetrics', selector } : { kind: 'nodeMetrics', name: b, selector };
  if (a === 'pods') return { kind: 'podMetrics', selector };
  return d === undefined ? { kind: 'podMetrics', namespace: b ?? '', selector } : { kind: 'podMetrics', namespace: b ?? '', name: d, selector };
}

/**
 * Routes one request.
 *
 * @example routeMetricsRequest('GET', '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*\/asr_active_requests?labelSelector=app%3Dasr')
 * // -> { ok: true, route: { kind: 'customMetricBySelector', namespace: 'default', info: { group: '', resource: 'pods', namespaced: true, metric: 'asr_active_requests' }, ... } }
 * @example routeMetricsRequest('GET', '/apis/external.metrics.k8s.io/v1beta1/m') // -> { ok: false, status: 404 }
 */
export function routeMetricsRequest(method: string, target: string | URL): RouteResult {
  const { path: rawPath, query } = splitTarget(target);
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return { ok: false, status: badRequestStatus(`invalid URL escape in path ${JSON.stringify(rawPath)}`) };
  }
  const segments = cleanPath(decoded).split('/').slice(1);
  if (segments.length > 1 && segments[segments.length - 1] === '') segments.pop();
  const params = new URLSearchParams(query);
  const isGet = method.toUpperCase() === 'GET';
  const [apis, group, version, ...rest] = segments;
  let routed: MetricsRoute | KubeStatus = RESOURCE_NOT_FOUND_STATUS;
  if (apis === 'apis' && group === CUSTOM_METRICS_GROUP) {
    if (version === undefined) routed = { kind: 'customGroup' };
    else if (version === 'v1beta1' || version === 'v1beta2') routed = rest.length === 0 ? { kind: 'customDiscovery', version } : customRoute(version, rest, params, isGet);
  } else if (apis === 'apis' && group === EXTERNAL_METRICS_GROUP) {
    if (version === undefined) routed = { kind: 'externalGroup' };
    else if (version === 'v1beta1') routed = rest.length === 0 ? { kind: 'externalDiscovery', version } : externalRoute(rest, params, isGet);
  } else if (apis === 'apis' && group === RESOURCE_METRICS_GROUP) {
    if (version === undefined) routed = { kind: 'resourceGroup' };
    else if (version === 'v1beta1') routed = rest.length === 0 ? { kind: 'resourceDiscovery', version } : resourceRoute(rest, params, isGet);
  }
  if ('code' in routed) return { ok: false, status: routed };
  if (!isGet) return { ok: false, status: methodNotAllowedStatus() };
  return { ok: true, route: routed, pretty: params.get('pretty') === 'true' };
}
