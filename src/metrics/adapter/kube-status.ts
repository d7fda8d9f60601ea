/**
 * Kubernetes `metav1.Status` error bodies, as the metrics API servers return them (JSON field order
 * as Go serialises it: kind, apiVersion, metadata, status, message, reason, details, code).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/errors/errors.go
 * @see https://github.com/kubernetes-sigs/custom-metrics-apiserver/blob/master/pkg/provider/errors.go
 */
import { formatGroupResource, type GroupResource } from './types.js';

export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure';
  readonly message: string;
  /** Omitted for errors that are not API errors (Go's `StatusReasonUnknown` is ""). */
  readonly reason?: 'NotFound' | 'InternalError' | 'BadRequest' | 'MethodNotAllowed';
  readonly details?: { readonly causes?: readonly { readonly message: string }[] };
  readonly code: number;
}

function status(code: number, message: string, reason?: KubeStatus['reason'], details?: KubeStatus['details']): KubeStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    ...(reason ? { reason } : {}),
    ...(details ? { details } : {}),
    code,
  };
}

/** 404 for a path no route serves (the generic API server answer). */
export const RESOURCE_NOT_FOUND_STATUS: KubeStatus = status(404, 'the server could not find the requested resource', 'NotFound', {});

/**
 * 404 `the server could not find the metric <m> for <resource>[ <name>]` (`NewMetricNotFoundError`,
 * `NewMetricNotFoundForError`).
 *
 * @example metricNotFoundStatus({ group: '', resource: 'pods' }, 'asr_active_requests').message // -> 'the server could not find the metric asr_active_requests for pods'
 */
export function metricNotFoundStatus(resource: GroupResource, metric: string, name?: string): KubeStatus {
  const what = formatGroupResource(resource);
  return status(404, `the server could not find the metric ${metric} for ${what}${name === undefined ? '' : ` ${name}`}`, 'NotFound');
}

/**
 * 404 for an unknown external metric. Upstream names the resource `namespaces` when the request's
 * namespace is `default` and leaves it empty otherwise (`selectGroupResource`), hence the trailing
 * space of `... for `.
 *
 * @example externalMetricNotFoundStatus('prod', 'queue_depth').message // -> 'the server could not find the metric queue_depth for '
 */
export function externalMetricNotFoundStatus(namespace: string, metric: string): KubeStatus {
  return metricNotFoundStatus({ group: '', resource: namespace === 'default' ? 'namespaces' : '' }, metric);
}

/**
 * 500 `Internal error occurred: <msg>` with the cause in `details.causes` (`NewInternalError`).
 *
 * @example internalErrorStatus('unable to fetch metrics').message // -> 'Internal error occurred: unable to fetch metrics'
 */
export function internalErrorStatus(message: string): KubeStatus {
  return status(500, `Internal error occurred: ${message}`, 'InternalError', { causes: [{ message }] });
}

/** 400 BadRequest with the given message (a malformed `labelSelector`). */
export function badRequestStatus(message: string): KubeStatus {
  return status(400, message, 'BadRequest');
}

/** 500 with no reason: how the API server reports a plain (non-API) error. */
export function plainErrorStatus(message: string): KubeStatus {
  return status(500, message);
}

/** 405 for a method other than GET on a metrics path. */
export function methodNotAllowedStatus(): KubeStatus {
  return status(405, 'the server does not allow this method on the requested resource', 'MethodNotAllowed', {});
}
