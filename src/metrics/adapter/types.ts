/**
 * Shared shapes of the adapter library: Prometheus series, Kubernetes group-resources and the
 * metric identities the custom and external metrics APIs serve.
 *
 * @see https://github.com/kubernetes-sigs/custom-metrics-apiserver/blob/master/pkg/provider/interfaces.go
 */

/** A series as `/api/v1/series` returns it: its name and its other labels (no `__name__`). */
export interface Series {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** A Kubernetes group-resource; `group` is `""` for the core group. */
export interface GroupResource {
  readonly group: string;
  readonly resource: string;
}

/** A custom metric as discovery lists it: `<resource>[.<group>]/<metric>`, namespaced or not. */
export interface CustomMetricInfo extends GroupResource {
  readonly namespaced: boolean;
  readonly metric: string;
}

/** An external metric as discovery lists it. */
export interface ExternalMetricInfo {
  readonly metric: string;
}

/** One sample of an instant-query vector result. */
export interface PromSample {
  /** All labels of the sample, `__name__` included when the query returns raw series. */
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly timestampMs: number;
}

/** The result of an instant query, as the providers consume it. */
export type PromQueryResult =
  | { readonly type: 'vector'; readonly samples: readonly PromSample[] }
  | { readonly type: 'scalar'; readonly value: number; readonly timestampMs: number }
  | { readonly type: 'matrix' | 'string' };

/**
 * `schema.GroupResource.String()`: `pods`, `deployments.apps`.
 *
 * @example formatGroupResource({ group: 'apps', resource: 'deployments' }) // -> 'deployments.apps'
 */
export function formatGroupResource(gr: GroupResource): string {
  return gr.group === '' ? gr.resource : `${gr.resource}.${gr.group}`;
}

/**
 * `schema.ParseGroupResource`: the resource is everything before the first `.`.
 *
 * @example parseGroupResource('ingresses.networking.k8s.io') // -> { group: 'networking.k8s.io', resource: 'ingresses' }
 */
export function parseGroupResource(text: string): GroupResource {
  const dot = text.indexOf('.');
  return dot < 0 ? { group: '', resource: text } : { group: text.slice(dot + 1), resource: text.slice(0, dot) };
}
