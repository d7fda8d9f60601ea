/**
 * What the server checks on write: HorizontalPodAutoscalers against the autoscaling/v2 schema
 * and upstream's validation (the project's `checkHpa`), names of every kind (DNS-1123).
 */
import { applyHpaDefaults, type HorizontalPodAutoscaler } from '../engine/index.js';
import { checkHpa } from '../input/index.js';
import type { StatusCause } from './kube-error.js';
import type { ResourceDef } from './resources.js';
import type { KubeObject } from './store.js';

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** `spec.metrics[0].pods` from a field path. */
export function fieldPathOf(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out === '' ? p : `.${p}`;
  return out;
}

/** Metadata fields the store sets or keeps, which the HPA schema does not describe. */
const SERVER_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'selfLink', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'ownerReferences', 'finalizers', 'generateName'];

/**
 * The causes of a 422 for an object about to be stored; none when it is valid.
 *
 * @example validateObject(HPA, { ...hpa, spec: { ...hpa.spec, maxReplicas: 0 } })[0].field // -> 'spec.maxReplicas'
 */
export function validateObject(resource: ResourceDef, object: KubeObject): StatusCause[] {
  const name = object.metadata.name ?? '';
  if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) {
    return [{ reason: 'FieldValueInvalid', field: 'metadata.name', message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character` }];
  }
  if (resource.kind !== 'HorizontalPodAutoscaler') return [];
  const metadata: Record<string, unknown> = { ...object.metadata };
  for (const k of SERVER_METADATA) delete metadata[k];
  const { status: _status, ...rest } = object;
  const check = checkHpa({ ...rest, metadata });
  return check.issues.map((i) => ({
    reason: i.detail.startsWith('required field is missing') ? 'FieldValueRequired' : 'FieldValueInvalid',
    field: fieldPathOf(i.path),
    message: i.detail,
  }));
}

/**
 * What the API server defaults on write: for HPAs, `SetDefaults_HorizontalPodAutoscaler`
 * (minReplicas 1, CPU 80 % when no metric, complete behavior rules when `behavior` is set).
 */
export function defaultObject(resource: ResourceDef, object: KubeObject): KubeObject {
  if (resource.kind !== 'HorizontalPodAutoscaler' || object.spec === undefined) return object;
  const hpa = { metadata: { name: object.metadata.name ?? '' }, spec: object.spec } as HorizontalPodAutoscaler;
  return { ...object, spec: structuredClone(applyHpaDefaults(hpa).spec) };
}
