/**
 * One error class for everything a cluster can answer badly: each message is one line naming
 * the context, the object and what is missing, so the CLI prints it as is (never a stack trace).
 */

/** What went wrong talking to a cluster. */
export type KubeErrorCode =
  | 'unreachable'
  | 'timeout'
  | 'unauthorized'
  | 'forbidden'
  | 'notFound'
  | 'apiMissing'
  | 'unavailable'
  | 'noSelector'
  | 'server';

/** A cluster that answered with an error (or did not answer): CLI exit 1. */
export class KubeError extends Error {
  override name = 'KubeError';
  readonly code: KubeErrorCode;
  readonly status: number | undefined;
  constructor(code: KubeErrorCode, message: string, options?: ErrorOptions & { status?: number }) {
    super(message, options);
    this.code = code;
    this.status = options?.status;
  }
}

/** The API group a path belongs to, named for humans: 'custom metrics API (custom.metrics.k8s.io)'. */
export function apiOfPath(path: string): { group: string; label: string; apiService?: string } {
  const m = /^\/apis\/([^/]+)\/([^/?]+)/.exec(path);
  if (!m) return { group: '', label: 'core API (v1)' };
  const group = m[1] ?? '';
  const version = m[2] ?? '';
  const labels: Record<string, string> = {
    'metrics.k8s.io': 'resource metrics API (metrics.k8s.io, served by metrics-server)',
    'custom.metrics.k8s.io': 'custom metrics API (custom.metrics.k8s.io, served by an adapter such as prometheus-adapter)',
    'external.metrics.k8s.io': 'external metrics API (external.metrics.k8s.io, served by an adapter such as prometheus-adapter or KEDA)',
  };
  const label = labels[group] ?? `${group}/${version} API`;
  return labels[group] ? { group, label, apiService: `${version}.${group}` } : { group, label };
}

/** Turns an HTTP status and a Kubernetes `Status` body into the one-line error of `what`. */
export function errorFromResponse(input: { context: string; user: string; what: string; path: string; status: number; body: string }): KubeError {
  const { context, what, path, status } = input;
  let detail = '';
  try {
    const s = JSON.parse(input.body) as { message?: string };
    if (typeof s.message === 'string') detail = s.message.split('\n')[0] ?? '';
  } catch {
    detail = input.body.split('\n')[0]?.slice(0, 200) ?? '';
  }
  const api = apiOfPath(path);
  const head = `context '${context}': cannot read ${what}`;
  const tail = detail ? ` (server said: ${detail})` : '';
  if (status === 401) {
    return new KubeError('unauthorized', `${head}: the server rejected the credentials of user '${input.user}' (401 Unauthorized): they are missing or expired; refresh them (e.g. your cloud's get-credentials) or pick another --context${tail}`, { status });
  }
  if (status === 403) {
    return new KubeError('forbidden', `${head}: RBAC denies it (403 Forbidden): user '${input.user}' needs 'get'/'list' on ${resourceOfPath(path)}${tail}`, { status });
  }
  if (api.apiService && (status === 404 || status === 503)) {
    const missing = status === 404 ? 'is not served' : 'is registered but unavailable (503)';
    // The aggregator answers a generic 404 when no APIService serves the group version; an
    // adapter that serves it answers 404 naming the metric it lacks.
    const generic = detail === '' || /could not find the requested resource|404 page not found/i.test(detail);
    const code = status === 404 ? (generic ? 'apiMissing' : 'notFound') : 'unavailable';
    if (code === 'notFound') return new KubeError('notFound', `${head}: the ${api.label} has no such metric (404)${tail}`, { status });
    return new KubeError(code, `${head}: the ${api.label} ${missing}; check 'kubectl get apiservice ${api.apiService}'${tail}`, { status });
  }
  if (status === 404) return new KubeError('notFound', `${head}: not found (404)${tail}`, { status });
  if (status === 503) return new KubeError('unavailable', `${head}: the ${api.label} is unavailable (503)${tail}`, { status });
  return new KubeError('server', `${head}: the server answered ${status}${tail}`, { status });
}

/** 'pods in namespace smallest' from '/api/v1/namespaces/smallest/pods?...'. */
function resourceOfPath(path: string): string {
  const p = path.split('?')[0] ?? '';
  const m = /^\/(?:api\/v1|apis\/([^/]+)\/[^/]+)(?:\/namespaces\/([^/]+))?\/([^/]+)/.exec(p);
  if (!m) return p;
  const group = m[1] ? `.${m[1]}` : '';
  return `${m[3] ?? ''}${group}${m[2] ? ` in namespace ${m[2]}` : ' (cluster-wide)'}`;
}
