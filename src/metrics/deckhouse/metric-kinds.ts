/**
 * Deckhouse Kubernetes Platform's metric objects (module `prometheus-metrics-adapter`), as data:
 * every kind with its scope, the Kubernetes resource it describes, whether users may create it,
 * and the CRD's schema (`spec.query`, a PromQL template with `<<.LabelMatchers>>` and
 * `<<.GroupBy>>`). Input is validated against these (see `deckhouse-objects.ts`).
 *
 * @see https://deckhouse.io/products/kubernetes-platform/documentation/v1/modules/prometheus-metrics-adapter/cr.html
 * @see https://deckhouse.io/products/kubernetes-platform/documentation/v1/modules/prometheus-metrics-adapter/usage.html
 * @see https://github.com/deckhouse/deckhouse/tree/main/modules/301-prometheus-metrics-adapter/crds
 */

/** Where the kinds and their schema come from. */
export const DECKHOUSE_SOURCES = {
  customResources: 'https://deckhouse.io/products/kubernetes-platform/documentation/v1/modules/prometheus-metrics-adapter/cr.html',
  usage: 'https://deckhouse.io/products/kubernetes-platform/documentation/v1/modules/prometheus-metrics-adapter/usage.html',
  crds: 'https://github.com/deckhouse/deckhouse/tree/main/modules/301-prometheus-metrics-adapter/crds',
  adapterConfig: 'https://github.com/deckhouse/deckhouse/blob/main/modules/301-prometheus-metrics-adapter/templates/config-map.yaml',
  customPrometheusRules: 'https://deckhouse.io/products/kubernetes-platform/documentation/v1/modules/prometheus/cr.html#customprometheusrules',
} as const;

/** The API group of every Deckhouse metric object. */
export const DECKHOUSE_GROUP = 'deckhouse.io';
/** Versions the CRDs serve (v1alpha1 in the CRDs, v1beta1 in the HPA guide). */
export const DECKHOUSE_METRIC_VERSIONS = ['v1alpha1', 'v1beta1'] as const;

/** One metric object kind. */
export interface DeckhouseMetricKind {
  readonly kind: string;
  readonly scope: 'Namespaced' | 'Cluster';
  /** The resource the metric describes, as kube-state-metrics names it (`kube_<resource>_created`). */
  readonly resource: 'service' | 'ingress' | 'pod' | 'deployment' | 'statefulset' | 'namespace' | 'daemonset';
  /** The kind an HPA names in `describedObject` (Pods metrics: the scale target's pods). */
  readonly describedKind: string;
  /** The docs mark some kinds "not available to users" (Deckhouse itself manages them). */
  readonly availableToUsers: boolean;
}

const namespaced = (kind: string, resource: DeckhouseMetricKind['resource'], describedKind: string, availableToUsers = true): DeckhouseMetricKind => ({
  kind,
  scope: 'Namespaced',
  resource,
  describedKind,
  availableToUsers,
});
const cluster = (kind: string, resource: DeckhouseMetricKind['resource'], describedKind: string): DeckhouseMetricKind => ({
  kind,
  scope: 'Cluster',
  resource,
  describedKind,
  availableToUsers: false,
});

/** Every kind of the CR page, in its order. */
export const DECKHOUSE_METRIC_KINDS: readonly DeckhouseMetricKind[] = [
  namespaced('ServiceMetric', 'service', 'Service'),
  namespaced('IngressMetric', 'ingress', 'Ingress'),
  namespaced('PodMetric', 'pod', 'Pod'),
  namespaced('DeploymentMetric', 'deployment', 'Deployment'),
  namespaced('StatefulSetMetric', 'statefulset', 'StatefulSet'),
  namespaced('NamespaceMetric', 'namespace', 'Namespace'),
  namespaced('DaemonSetMetric', 'daemonset', 'DaemonSet', false),
  cluster('ClusterServiceMetric', 'service', 'Service'),
  cluster('ClusterIngressMetric', 'ingress', 'Ingress'),
  cluster('ClusterPodMetric', 'pod', 'Pod'),
  cluster('ClusterDeploymentMetric', 'deployment', 'Deployment'),
  cluster('ClusterStatefulSetMetric', 'statefulset', 'StatefulSet'),
  cluster('ClusterDaemonSetMetric', 'daemonset', 'DaemonSet'),
];

/** Spellings the docs use that are not the CRD kinds (the usage page writes `StatefulsetMetric`): refused with the right one. */
export const DECKHOUSE_KIND_ALIASES: Readonly<Record<string, string>> = {
  StatefulsetMetric: 'StatefulSetMetric',
  ClusterStatefulsetMetric: 'ClusterStatefulSetMetric',
  DaemonsetMetric: 'DaemonSetMetric',
};

/**
 * The CRDs' `openAPIV3Schema` (identical for every kind): an object with a required `spec` holding a
 * required string `query`.
 */
export const DECKHOUSE_METRIC_SCHEMA = {
  type: 'object',
  required: ['spec'],
  properties: {
    spec: {
      type: 'object',
      required: ['query'],
      properties: {
        query: {
          type: 'string',
          description:
            'PromQL query returning one value per object; must use <<.LabelMatchers>> (the object\'s labels, more may follow after a comma) and <<.GroupBy>> (the labels to group by)',
        },
      },
    },
  },
} as const;

/** Template keys the docs say every query must use. */
export const REQUIRED_QUERY_KEYS = ['<<.LabelMatchers>>', '<<.GroupBy>>'] as const;

/**
 * External metrics in DKP: any Prometheus series named `kube_adapter_metric_<name>` (usually a
 * recording rule of a `CustomPrometheusRules`) is served as the External metric `<name>`.
 */
export const EXTERNAL_METRIC_PREFIX = 'kube_adapter_metric_';

/** The kinds that hold Prometheus rules: DKP's own and prometheus-operator's. */
export const RULE_KINDS = [
  { apiVersions: ['deckhouse.io/v1', 'deckhouse.io/v1alpha1'], kind: 'CustomPrometheusRules' },
  { apiVersions: ['monitoring.coreos.com/v1'], kind: 'PrometheusRule' },
] as const;
