/**
 * Validates a rendered object against its kind's published schema before it is written: the
 * Kubernetes kinds with kubernetes-models (ajv validators compiled from the official OpenAPI), the
 * Prometheus Operator kinds with @kubernetes-models/prometheus-operator (from the CRDs), KEDA's
 * ScaledObject with @kubernetes-models/keda.
 */
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { APIService } from 'kubernetes-models/apiregistration.k8s.io/v1/APIService';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { ClusterRole } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole';
import { ClusterRoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { ServiceAccount } from 'kubernetes-models/v1/ServiceAccount';
import type { KubeObject } from './kube-object.js';

type Model = new (data: never) => { validate(): void };

/** `apiVersion/kind` → the model that validates it. */
const MODELS: Readonly<Record<string, Model>> = {
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'apiregistration.k8s.io/v1/APIService': APIService,
  'rbac.authorization.k8s.io/v1/ClusterRole': ClusterRole,
  'rbac.authorization.k8s.io/v1/ClusterRoleBinding': ClusterRoleBinding,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
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
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!model) throw new TypeError(`Cannot validate '${object.apiVersion}/${object.kind}': expected one of ${VALIDATED_KINDS.join(', ')}`);
  try {
    new model(structuredClone(object) as never).validate();
    return [];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return message.split(/,\s*(?=data)/).map((m) => `${object.kind}/${object.metadata.name}: ${m.trim()}`);
  }
}
