/**
 * The adapter's HTTP app as a fetch handler (`Request` in, `Response` out, no port), so tests call
 * it in-process: the custom metrics API (`/apis/custom.metrics.k8s.io/v1beta1` and `/v1beta2`),
 * the external metrics API (`/apis/external.metrics.k8s.io/v1beta1`), their group documents,
 * `/apis`, and the health endpoints an APIService's backing pod is probed on (`/healthz`,
 * `/livez`, `/readyz`: ready after the first successful relist).
 */
import { apiGroupDocument } from './discovery.js';
import { RESOURCE_NOT_FOUND_STATUS, type KubeStatus } from './kube-status.js';
import { CUSTOM_METRICS_GROUP, EXTERNAL_METRICS_GROUP, routeMetricsRequest } from './metrics-route.js';
import type { AdapterProvider } from './provider.js';

/** A fetch-style handler. */
export type AdapterApp = (request: Request) => Promise<Response>;

/**
 * Versions per group, preferred first (custom-metrics-apiserver prefers v1beta2).
 * @see https://github.com/kubernetes-sigs/custom-metrics-apiserver/blob/master/pkg/apiserver/cmapis.go
 */
export const SERVED_GROUP_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  [CUSTOM_METRICS_GROUP]: ['v1beta2', 'v1beta1'],
  [EXTERNAL_METRICS_GROUP]: ['v1beta1'],
};

/** A rendered answer: what both the fetch app and the node:http server send. */
export interface AdapterAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=utf-8';

function json(body: unknown, status: number, pretty: boolean): AdapterAnswer {
  return { status, contentType: JSON_TYPE, body: `${JSON.stringify(body, null, pretty ? 2 : undefined)}\n` };
}

function text(body: string, status: number): AdapterAnswer {
  return { status, contentType: TEXT_TYPE, body: `${body}\n` };
}

function toFetchResponse(answer: AdapterAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: { 'content-type': answer.contentType } });
}

/** One place where a `Status` becomes a response. */
export function toResponse(status: KubeStatus, pretty = false): Response {
  return toFetchResponse(json(status, status.code, pretty));
}

/**
 * Answers one request (method and URL; the metrics APIs take no body).
 *
 * @example await handleAdapterRequest(provider, 'GET', new URL('http://a/readyz')) // -> { status: 200, contentType: 'text/plain; charset=utf-8', body: 'ok\n' }
 */
export async function handleAdapterRequest(provider: AdapterProvider, method: string, url: URL): Promise<AdapterAnswer> {
  const pretty = url.searchParams.get('pretty') === 'true';
  switch (url.pathname) {
    case '/healthz':
    case '/livez':
      return text('ok', 200);
    case '/readyz':
      return provider.ready ? text('ok', 200) : text(`not ready: ${provider.lastRelist?.error ?? 'the first relist has not finished'}`, 503);
    case '/apis':
    case '/apis/':
      return json(
        { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.entries(SERVED_GROUP_VERSIONS).map(([group, versions]) => apiGroupDocument(group, versions)) },
        200,
        pretty,
      );
    default:
      break;
  }
  const routed = routeMetricsRequest(method, url);
  if (!routed.ok) return json(routed.status, routed.status.code, pretty);
  const route = routed.route;
  if (route.kind === 'customGroup' || route.kind === 'externalGroup') {
    const group = route.kind === 'customGroup' ? CUSTOM_METRICS_GROUP : EXTERNAL_METRICS_GROUP;
    return json(apiGroupDocument(group, SERVED_GROUP_VERSIONS[group] ?? []), 200, routed.pretty);
  }
  if (route.kind === 'resourceGroup' || route.kind === 'resourceDiscovery' || route.kind === 'nodeMetrics' || route.kind === 'podMetrics') {
    return json(RESOURCE_NOT_FOUND_STATUS, RESOURCE_NOT_FOUND_STATUS.code, routed.pretty);
  }
  const answer = await provider.answer(route);
  return json(answer.body, answer.status, routed.pretty);
}

/**
 * Creates the app over a provider.
 *
 * @example
 * const app = createAdapterApp(provider);
 * const res = await app(new Request('http://adapter/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*\/asr_active_requests'));
 * (await res.json()).kind; // -> 'MetricValueList'
 */
export function createAdapterApp(provider: AdapterProvider): AdapterApp {
  return async (request) => toFetchResponse(await handleAdapterRequest(provider, request.method, new URL(request.url)));
}
