/**
 * Validates a rendered object against its kind's published schema before it is written: the
 * Kubernetes kinds with kubernetes-models (ajv validators compiled from the official OpenAPI), the
 * Prometheus Operator kinds with @kubernetes-models/prometheus-operator (from the CRDs), KEDA's
 * ScaledObject with @kubernetes-models/keda.
 */
import { createRequire } from 'node:module';
import type { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import type { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import type { KubeObject } from './kube-object.js';

type Model = new (data: never) => { validate(): void };

// Each model (and its compiled schema) is loaded on first use: the operator and KEDA models cost
// half a second to load, and lint meets them only when such a manifest is among its inputs.
const requireModel = createRequire(import.meta.url);
const model = (specifier: string, name: string) => (): Model => (requireModel(specifier) as Record<string, Model>)[name] as Model;

/** `apiVersion/kind` → the model that validates it. */
const MODELS: Readonly<Record<string, () => Model>> = {
  'autoscaling/v2/HorizontalPodAutoscaler': model('kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler', 'HorizontalPodAutoscaler'),
  'v1/ConfigMap': model('kubernetes-models/v1/ConfigMap', 'ConfigMap'),
  'v1/Service': model('kubernetes-models/v1/Service', 'Service'),
  'v1/ServiceAccount': model('kubernetes-models/v1/ServiceAccount', 'ServiceAccount'),
  'apps/v1/Deployment': model('kubernetes-models/apps/v1/Deployment', 'Deployment'),
  'apiregistration.k8s.io/v1/APIService': model('kubernetes-models/apiregistration.k8s.io/v1/APIService', 'APIService'),
  'rbac.authorization.k8s.io/v1/ClusterRole': model('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole', 'ClusterRole'),
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': model('kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding', 'ClusterRoleBinding'),
  'monitoring.coreos.com/v1/ServiceMonitor': () =>
    (requireModel('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor') as { ServiceMonitor: typeof ServiceMonitor }).ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': () =>
    (requireModel('@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule') as { PrometheusRule: typeof PrometheusRule }).PrometheusRule,
  'keda.sh/v1alpha1/ScaledObject': () => (requireModel('@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject') as { ScaledObject: typeof ScaledObject }).ScaledObject,
};

/** The kinds `validateManifest` knows, as `apiVersion/kind`. */
export const VALIDATED_KINDS: readonly string[] = Object.keys(MODELS);

/**
 * Problems of one object against its schema (`data/spec/endpoints/0/port must be string`), as
 * `Kind/name: path must ...`; empty when valid.
 *
 * @throws {TypeError} for a kind no schema is known for (render only builds known kinds)
 * @example validateManifest({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: 1 } })
 * // -> ["ConfigMap/x: data/data/a must be string"]
 */
export function validateManifest(object: KubeObject): string[] {
  const load = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!load) throw new TypeError(`Cannot validate '${object.apiVersion}/${object.kind}': expected one of ${VALIDATED_KINDS.join(', ')}`);
  try {
    const Model = load();
    new Model(structuredClone(object) as never).validate();
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.split(/,\s*(?=data)/).map((m) => `${object.kind}/${object.metadata.name}: ${m.trim()}`);
  }
}
