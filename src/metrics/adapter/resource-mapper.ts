/**
 * A RESTMapper: which Kubernetes resources exist, their kinds, singular names and scopes. The
 * adapter uses it to normalise group-resources written by people (`pod`, `service`,
 * `deployment.apps`) to their canonical plural form, to singularise a resource for label
 * templates, and to fill `describedObject.kind` / `apiVersion`. Upstream builds it from the live
 * API server's discovery; {@link DEFAULT_KIND_MAPPINGS} covers the built-in kinds HPAs scale on.
 *
 * When several groups hold a resource of that name (`deployments` in `apps` and `extensions`),
 * the first mapping wins, like the priority mapper of a real API server.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/v0.30.0/pkg/api/meta/restmapper.go
 */
import type { GroupResource } from './types.js';

/** One kind the mapper knows. */
export interface KindMapping {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  /** The plural resource name (`pods`). */
  readonly resource: string;
  readonly namespaced: boolean;
  /** Singular resource name; defaults to the lower-cased kind, as Kubernetes does. */
  readonly singular?: string;
}

export interface ResourceMapper {
  /** The canonical group-resource for a singular or plural name (`group` "" = any group), if known. */
  resourceFor(gr: GroupResource): GroupResource | undefined;
  /** The singular form of a resource (`pods` -> `pod`), if known. */
  singularize(resource: string): string | undefined;
  /** The kind mapping of a group-resource (normalised first), if known. */
  kindFor(gr: GroupResource): KindMapping | undefined;
  /** Every mapping, in priority order. */
  readonly kinds: readonly KindMapping[];
}

/** The built-in kinds an HPA-oriented adapter needs without a live cluster. */
export const DEFAULT_KIND_MAPPINGS: readonly KindMapping[] = [
  { group: '', version: 'v1', kind: 'Pod', resource: 'pods', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', resource: 'services', namespaced: true },
  { group: '', version: 'v1', kind: 'Namespace', resource: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'Node', resource: 'nodes', namespaced: false },
  { group: '', version: 'v1', kind: 'PersistentVolume', resource: 'persistentvolumes', namespaced: false },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', resource: 'persistentvolumeclaims', namespaced: true },
  { group: '', version: 'v1', kind: 'ConfigMap', resource: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Endpoints', resource: 'endpoints', namespaced: true },
  { group: '', version: 'v1', kind: 'ReplicationController', resource: 'replicationcontrollers', namespaced: true },
  { group: '', version: 'v1', kind: 'ServiceAccount', resource: 'serviceaccounts', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', resource: 'deployments', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', resource: 'statefulsets', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', resource: 'replicasets', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', resource: 'daemonsets', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'Job', resource: 'jobs', namespaced: true },
  { group: 'batch', version: 'v1', kind: 'CronJob', resource: 'cronjobs', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', resource: 'ingresses', namespaced: true },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', resource: 'horizontalpodautoscalers', namespaced: true },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', resource: 'poddisruptionbudgets', namespaced: true },
];

function singularOf(k: KindMapping): string {
  return k.singular ?? k.kind.toLowerCase();
}

/**
 * Builds a mapper over the given kinds (priority order).
 *
 * @example createResourceMapper(DEFAULT_KIND_MAPPINGS).resourceFor({ group: '', resource: 'pod' }) // -> { group: '', resource: 'pods' }
 */
export function createResourceMapper(kinds: readonly KindMapping[] = DEFAULT_KIND_MAPPINGS): ResourceMapper {
  const matching = (gr: GroupResource): KindMapping[] => {
    const resource = gr.resource.toLowerCase();
    return kinds.filter((k) => (gr.group === '' || gr.group === k.group) && (k.resource === resource || singularOf(k) === resource));
  };
  const kindFor = (gr: GroupResource): KindMapping | undefined => matching(gr)[0];
  return {
    kinds,
    kindFor,
    resourceFor: (gr) => {
      const k = kindFor(gr);
      return k ? { group: k.group, resource: k.resource } : undefined;
    },
    singularize: (resource) => {
      const singulars = new Set(matching({ group: '', resource }).map(singularOf));
      return singulars.size === 1 ? [...singulars][0] : undefined;
    },
  };
}
