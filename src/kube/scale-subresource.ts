/**
 * The `scale` subresource of a Deployment: an `autoscaling/v1` Scale read from it, and
 * `spec.replicas` written back through it (what `kubectl scale` and the HPA controller do).
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/registry/apps/deployment/storage/storage.go
 */
import { KubeError } from './kube-error.js';
import type { KubeObject } from './store.js';

/** The `autoscaling/v1` Scale of a Deployment. */
export function scaleOf(deployment: KubeObject): KubeObject {
  const spec = (deployment.spec ?? {}) as Record<string, unknown>;
  const status = (deployment.status ?? {}) as Record<string, unknown>;
  const match = ((spec.selector as Record<string, unknown> | undefined)?.matchLabels ?? {}) as Record<string, string>;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: deployment.metadata.name,
      namespace: deployment.metadata.namespace,
      uid: deployment.metadata.uid,
      resourceVersion: deployment.metadata.resourceVersion,
      creationTimestamp: deployment.metadata.creationTimestamp,
    } as KubeObject['metadata'],
    spec: { replicas: typeof spec.replicas === 'number' ? spec.replicas : 1 },
    status: { replicas: typeof status.replicas === 'number' ? status.replicas : 0, selector: Object.entries(match).map(([k, v]) => `${k}=${v}`).join(',') },
  };
}

/**
 * The Deployment with the Scale's `spec.replicas`, keeping the Scale's resourceVersion as the
 * precondition (a stale one is then the store's 409).
 *
 * @throws {KubeError} 422 when `spec.replicas` is not an integer >= 0
 */
export function withScaleReplicas(deployment: KubeObject, scale: KubeObject): KubeObject {
  const name = deployment.metadata.name ?? '';
  const replicas = (scale.spec as Record<string, unknown> | undefined)?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    const message = `Invalid value: ${JSON.stringify(replicas)}: must be greater than or equal to 0`;
    throw new KubeError({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: `Scale.autoscaling "${name}" is invalid: spec.replicas: ${message}`,
      reason: 'Invalid',
      details: { name, group: 'autoscaling', kind: 'Scale', causes: [{ reason: 'FieldValueInvalid', field: 'spec.replicas', message }] },
      code: 422,
    });
  }
  const rv = scale.metadata?.resourceVersion;
  return { ...deployment, spec: { ...(deployment.spec as Record<string, unknown>), replicas }, metadata: { ...deployment.metadata, ...(rv ? { resourceVersion: rv } : {}) } };
}
