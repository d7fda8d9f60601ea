/**
 * The adapter's HTTP app on hono (no port), so tests call it in process with `app.request`: the
 * custom metrics API (`/apis/custom.metrics.k8s.io/v1beta1` and `/v1beta2`), the external
 * metrics API (`/apis/external.metrics.k8s.io/v1beta1`), their group documents, `/apis`, and the
 * health endpoints an APIService's backing pod is probed on (`/healthz`, `/livez`, `/readyz`:
 * ready after the first successful relist). Every refusal is a {@link KubeStatusError} and goes
 * through one {@link toResponse}, which answers Kubernetes `Status` JSON.
 */
import type { Hono } from 'hono';
import { createHttpApp } from '../../platform/index.js';
import { apiGroupDocument } from './discovery.js';
import { plainErrorStatus, RESOURCE_NOT_FOUND_STATUS, type KubeStatus } from './kube-status.js';
import { CUSTOM_METRICS_GROUP, EXTERNAL_METRICS_GROUP, routeMetricsRequest } from './metrics-route.js';
import type { AdapterProvider } from './provider.js';

/** The adapter's hono app (`app.request(path)` in tests, `app.fetch` as a fetch). */
export type AdapterApp = Hono;

/**
 * Versions per group, preferred first (custom-metrics-apiserver prefers v1beta2).
 * @see https://github.com/kubernetes-sigs/custom-metrics-apiserver/blob/master/pkg/apiserver/cmapis.go
 */
export const SERVED_GROUP_VERSIONS: Readonly<Record<string, readonly string[]>> = {
  [CUSTOM_METRICS_GROUP]: ['v1beta2', 'v1beta1'],
  [EXTERNAL_METRICS_GROUP]: ['v1beta1'],
};

/** A request the adapter refuses, with the Kubernetes `Status` to answer. */
export class KubeStatusError extends Error {
  override name = 'KubeStatusError';
  readonly status: KubeStatus;
  /** `?pretty=true`: indent the answer. */
  readonly pretty: boolean;
  constructor(status: KubeStatus, options: { readonly pretty?: boolean } = {}) {
    super(status.message);
    this.status = status;
    this.pretty = options.pretty ?? false;
  }
}

const JSON_TYPE = 'application/json';
const TEXT_TYPE = 'text/plain; charset=utf-8';

function json(body: unknown, status: number, pretty: boolean): Response {
  return new Response(`${JSON.stringify(body, null, pretty ? 2 : undefined)}\n`, { status, headers: { 'content-type': JSON_TYPE } });
}

function text(body: string, status: number): Response {
  return new Response(`${body}\n`, { status, headers: { 'content-type': TEXT_TYPE } });
}

/**
 * The one place where an error becomes the adapter's answer: a {@link KubeStatusError} is its
 * `Status`; anything else a 500 `Status` with no reason, as the API server reports a plain error.
 *
 * @example (await toResponse(new KubeStatusError(RESOURCE_NOT_FOUND_STATUS)).json()).reason // -> 'NotFound'
 */
export function toResponse(error: unknown): Response {
  if (error instanceof KubeStatusError) return json(error.status, error.status.code, error.pretty);
  const status = plainErrorStatus(`internal error: ${error instanceof Error ? error.message : String(error)}`);
  return json(status, status.code, false);
}

/**
 * Creates the app over a provider.
 *
 * @example
 * const app = createAdapterApp(provider);
 * const res = await app.request('/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*\/asr_active_requests');
 * (await res.json()).kind; // -> 'MetricValueList'
 */
export function createAdapterApp(provider: AdapterProvider): AdapterApp {
  const app = createHttpApp({ toResponse, notFound: () => new KubeStatusError(RESOURCE_NOT_FOUND_STATUS) });
  const ok = (): Response => text('ok', 200);
  app.all('/healthz', ok);
  app.all('/livez', ok);
  app.all('/readyz', () => (provider.ready ? ok() : text(`not ready: ${provider.lastRelist?.error ?? 'the first relist has not finished'}`, 503)));
  const groups = (c: { req: { query(name: string): string | undefined } }): Response =>
    json(
      { kind: 'APIGroupList', apiVersion: 'v1', groups: Object.entries(SERVED_GROUP_VERSIONS).map(([group, versions]) => apiGroupDocument(group, versions)) },
      200,
      c.req.query('pretty') === 'true',
    );
  app.all('/apis', groups);
  app.all('/apis/', groups);
  // The metrics APIs route by the pure `routeMetricsRequest` (Go's path cleaning and decoding).
  app.all('*', async (c) => {
    const routed = routeMetricsRequest(c.req.method, new URL(c.req.url));
    if (!routed.ok) throw new KubeStatusError(routed.status, { pretty: c.req.query('pretty') === 'true' });
    const route = routed.route;
    if (route.kind === 'customGroup' || route.kind === 'externalGroup') {
      const group = route.kind === 'customGroup' ? CUSTOM_METRICS_GROUP : EXTERNAL_METRICS_GROUP;
      return json(apiGroupDocument(group, SERVED_GROUP_VERSIONS[group] ?? []), 200, routed.pretty);
    }
    if (route.kind === 'resourceGroup' || route.kind === 'resourceDiscovery' || route.kind === 'nodeMetrics' || route.kind === 'podMetrics') {
      throw new KubeStatusError(RESOURCE_NOT_FOUND_STATUS, { pretty: routed.pretty });
    }
    const answer = await provider.answer(route);
    return json(answer.body, answer.status, routed.pretty);
  });
  return app;
}
