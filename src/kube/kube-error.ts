/**
 * Kubernetes `Status` failures: what the API server answers with 404, 409, 410, 422 and the like.
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/api/errors/errors.go
 */

/** One `details.causes` entry: the field and why it was refused. */
export interface StatusCause {
  readonly reason: string;
  readonly message: string;
  readonly field?: string;
}

/** A `meta.k8s.io/v1` Status object. */
export interface KubeStatus {
  readonly kind: 'Status';
  readonly apiVersion: 'v1';
  readonly metadata: Record<string, never>;
  readonly status: 'Failure' | 'Success';
  readonly message: string;
  readonly reason: string;
  readonly details?: { readonly name?: string; readonly group?: string; readonly kind?: string; readonly causes?: readonly StatusCause[] };
  readonly code: number;
}

/** What a failed request carries: the HTTP code and its Status body. */
export class KubeError extends Error {
  readonly code: number;
  readonly status: KubeStatus;
  constructor(status: KubeStatus) {
    super(status.message);
    this.name = 'KubeError';
    this.code = status.code;
    this.status = status;
  }
}

/** The group and kind an error names: `horizontalpodautoscalers.autoscaling`. */
export interface ErrorTarget {
  readonly group: string;
  /** The resource (plural) as the API names it, e.g. `horizontalpodautoscalers`. */
  readonly plural: string;
  readonly kind: string;
  readonly name: string;
}

const qualified = (t: ErrorTarget): string => (t.group === '' ? t.plural : `${t.plural}.${t.group}`);

const failure = (code: number, reason: string, message: string, details?: KubeStatus['details']): KubeError =>
  new KubeError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });

/** 404: `horizontalpodautoscalers.autoscaling "web" not found`. */
export const notFound = (t: ErrorTarget): KubeError =>
  failure(404, 'NotFound', `${qualified(t)} "${t.name}" not found`, { name: t.name, group: t.group, kind: t.plural });

/** 409 AlreadyExists. */
export const alreadyExists = (t: ErrorTarget): KubeError =>
  failure(409, 'AlreadyExists', `${qualified(t)} "${t.name}" already exists`, { name: t.name, group: t.group, kind: t.plural });

/** 409 Conflict on a stale `metadata.resourceVersion`, with upstream's wording. */
export const conflict = (t: ErrorTarget): KubeError =>
  failure(
    409,
    'Conflict',
    `Operation cannot be fulfilled on ${qualified(t)} "${t.name}": the object has been modified; please apply your changes to the latest version and try again`,
    { name: t.name, group: t.group, kind: t.plural },
  );

/** 422 Invalid with one cause per field: `HorizontalPodAutoscaler.autoscaling "web" is invalid: spec.maxReplicas: ...`. */
export const invalid = (t: ErrorTarget, causes: readonly StatusCause[]): KubeError => {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : c.message));
  const what = `${t.group === '' ? t.kind : `${t.kind}.${t.group}`} "${t.name}" is invalid`;
  const message = list.length === 1 ? `${what}: ${list[0] ?? ''}` : `${what}: [${list.join(', ')}]`;
  return failure(422, 'Invalid', message, { name: t.name, group: t.group, kind: t.kind, causes });
};

/** 410 Expired: a watch from a resourceVersion the server no longer keeps. */
export const expired = (resourceVersion: string): KubeError =>
  failure(410, 'Expired', `too old resource version: ${resourceVersion}`);

/** 400 BadRequest. */
export const badRequest = (message: string): KubeError => failure(400, 'BadRequest', message);

/** 405 MethodNotAllowed. */
export const methodNotAllowed = (message: string): KubeError => failure(405, 'MethodNotAllowed', message);

/** 415 UnsupportedMediaType. */
export const unsupportedMediaType = (contentType: string): KubeError =>
  failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json, application/strategic-merge-patch+json, application/json-patch+json; got '${contentType}'`);

/** 401 Unauthorized. */
export const unauthorized = (): KubeError => failure(401, 'Unauthorized', 'Unauthorized');

/** A 404 for a path no resource serves (`the server could not find the requested resource`). */
export const pathNotFound = (): KubeError => failure(404, 'NotFound', 'the server could not find the requested resource');
