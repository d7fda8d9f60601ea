/**
 * The small Kubernetes API server as a hono app (Request in, Response out, no port): discovery,
 * `/version`, `/openapi/v3`, the served kinds (get, list, watch, create, replace, patch, delete,
 * `status` and `scale` subresources), Tables for kubectl's printers, and the metrics APIs handed
 * to a delegate. Failures are Kubernetes `Status` objects.
 *
 * @see https://github.com/kubernetes/apiserver/tree/master/pkg/endpoints/handlers
 */
import { Hono, type Context } from 'hono';
import { parse as parseYaml } from 'yaml';
import type { Clock } from '../core/index.js';
import {
  aggregatedDiscovery,
  AGGREGATED_DISCOVERY_TYPE,
  apiGroupDocument,
  apiGroupListDocument,
  apiResourceList,
  apiVersionsDocument,
  versionDocument,
  wantsAggregated,
  type DelegatedGroup,
} from './discovery.js';
import { badRequest, KubeError, methodNotAllowed, notFound, pathNotFound, unauthorized, unsupportedMediaType } from './kube-error.js';
import { openApiV3Document, openApiV3Root } from './openapi.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { apiVersionOf, findResource, type ResourceDef } from './resources.js';
import type { KubeObject, ObjectStore } from './store.js';
import { toTable, type IncludeObject } from './tables.js';
import { watchResponse } from './watch-stream.js';
import { scaleOf, withScaleReplicas } from './scale-subresource.js';

/** The Kubernetes version `/version` reports unless told. */
export const DEFAULT_KUBE_VERSION = 'v1.34.0';

/** A fetch-style handler (the metrics APIs' delegate). */
export type FetchHandler = (request: Request) => Promise<Response> | Response;

export interface KubeAppOptions {
  readonly store: ObjectStore;
  readonly clock: Clock;
  /**
   * The bearer token: a request carrying another `Authorization` is refused (401). kubectl sends
   * no credentials over plain HTTP (kubernetes/kubectl#744), so requests without any are let in
   * unless `requireToken` is set.
   */
  readonly token?: string;
  /** Refuse requests without `Authorization: Bearer <token>` too (clients other than kubectl over HTTP). */
  readonly requireToken?: boolean;
  /** `/version`'s gitVersion; {@link DEFAULT_KUBE_VERSION} unless told. */
  readonly kubeVersion?: string;
  /** Answers `/apis/custom.metrics.k8s.io/...`, `/apis/external.metrics.k8s.io/...`, `/apis/metrics.k8s.io/...`. */
  readonly metrics?: FetchHandler;
  /** The metrics groups listed in `/apis` (only those the delegate serves). */
  readonly metricsGroups?: readonly DelegatedGroup[];
  /** `serverAddressByClientCIDRs` of `/api`. */
  readonly serverAddress?: string;
}

/** Metrics API groups the delegate may serve. */
export const METRICS_GROUPS = ['custom.metrics.k8s.io', 'external.metrics.k8s.io', 'metrics.k8s.io'] as const;

const JSON_TYPE = 'application/json';

const send = (body: unknown, status = 200, contentType = JSON_TYPE): Response =>
  new Response(`${JSON.stringify(body)}\n`, { status, headers: { 'content-type': contentType } });

const sendError = (error: KubeError): Response => send(error.status, error.code);

const wantsTable = (accept: string | undefined): boolean => accept !== undefined && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);

/** Where a resource path points. */
interface Target {
  readonly resource: ResourceDef;
  readonly namespace: string | undefined;
  readonly name: string | undefined;
  readonly subresource: string | undefined;
}

function parseTarget(group: string, version: string, rest: readonly string[]): Target | undefined {
  let namespace: string | undefined;
  let parts = rest;
  if (parts[0] === 'namespaces' && parts.length >= 3) {
    namespace = parts[1];
    parts = parts.slice(2);
  }
  const [plural = '', name, subresource, extra] = parts;
  if (extra !== undefined) return undefined;
  const resource = findResource(group, version, plural);
  if (!resource) return undefined;
  if (namespace !== undefined && !resource.namespaced) return undefined;
  if (subresource !== undefined && !resource.subresources.includes(subresource)) return undefined;
  return { resource, namespace, name, subresource };
}

async function readBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  const type = (c.req.header('content-type') ?? JSON_TYPE).split(';')[0]?.trim() ?? '';
  try {
    if (type.endsWith('yaml')) return parseYaml(text);
    return JSON.parse(text);
  } catch (error) {
    throw badRequest(`the request body does not parse as ${type.endsWith('yaml') ? 'YAML' : 'JSON'}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function asObject(body: unknown): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('the request body must be a Kubernetes object');
  const o = body as KubeObject;
  o.metadata ??= {};
  return o;
}


/**
 * Creates the app. Every route answers JSON; `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`
 * gets Tables on get, list and watch; `?watch=1` streams one JSON event per line.
 *
 * @example
 * const app = createKubeApp({ store, clock: systemClock });
 * await (await app.request('/apis/autoscaling/v2/namespaces/smallest/horizontalpodautoscalers')).json();
 */
export function createKubeApp(options: KubeAppOptions): Hono {
  const { store, clock } = options;
  const app = new Hono();
  const delegated = options.metrics ? (options.metricsGroups ?? []) : [];
  const kubeVersion = options.kubeVersion ?? DEFAULT_KUBE_VERSION;

  app.onError((error) => (error instanceof KubeError ? sendError(error) : send({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: error.message, reason: 'InternalError', code: 500 }, 500)));

  app.use('*', async (c, next) => {
    const auth = c.req.header('authorization');
    if (options.token !== undefined && (auth !== undefined || options.requireToken === true) && auth !== `Bearer ${options.token}`) return sendError(unauthorized());
    await next();
    return undefined;
  });

  app.get('/version', () => send(versionDocument(kubeVersion)));
  app.get('/healthz', (c) => c.text('ok'));
  app.get('/livez', (c) => c.text('ok'));
  app.get('/readyz', (c) => c.text('ok'));
  app.get('/openapi/v3', () => send(openApiV3Root()));
  app.get('/openapi/v3/*', (c) => {
    const gv = c.req.path.slice('/openapi/v3/'.length);
    const doc = openApiV3Document(gv);
    return doc ? send(doc) : sendError(pathNotFound());
  });
  app.get('/api', (c) => {
    if (wantsAggregated(c.req.header('accept'))) return send(aggregatedDiscovery(true, delegated), 200, AGGREGATED_DISCOVERY_TYPE);
    return send(apiVersionsDocument(options.serverAddress ?? new URL(c.req.url).host));
  });
  app.get('/apis', (c) => {
    if (wantsAggregated(c.req.header('accept'))) return send(aggregatedDiscovery(false, delegated), 200, AGGREGATED_DISCOVERY_TYPE);
    return send(apiGroupListDocument(delegated));
  });

  const isMetricsGroup = (group: string): boolean => (METRICS_GROUPS as readonly string[]).includes(group);

  const handle = async (c: Context, group: string, version: string | undefined, rest: string[]): Promise<Response> => {
    if (isMetricsGroup(group)) {
      if (!options.metrics) return sendError(pathNotFound());
      return options.metrics(c.req.raw);
    }
    if (version === undefined) {
      const doc = apiGroupDocument(group, delegated);
      return doc && c.req.method === 'GET' ? send(doc) : sendError(pathNotFound());
    }
    if (rest.length === 0) {
      const doc = apiResourceList(group, version);
      return doc && c.req.method === 'GET' ? send(doc) : sendError(pathNotFound());
    }
    const target = parseTarget(group, version, rest);
    if (!target) return sendError(pathNotFound());
    return resourceRequest(c, target);
  };

  const nowMs = (): number => clock.now();

  const render = (c: Context, resource: ResourceDef, objects: KubeObject[], list: { resourceVersion: string } | undefined): Response => {
    if (wantsTable(c.req.header('accept'))) {
      const includeObject = (c.req.query('includeObject') as IncludeObject | undefined) ?? 'Metadata';
      return send(toTable(resource.kind, objects, { nowMs: nowMs(), includeObject, ...(list ? { resourceVersion: list.resourceVersion } : {}) }));
    }
    if (list) return send({ kind: `${resource.kind}List`, apiVersion: apiVersionOf(resource), metadata: { resourceVersion: list.resourceVersion }, items: objects });
    return send(objects[0]);
  };

  const watch = (c: Context, resource: ResourceDef, target: Target): Response => {
    const fieldSelector = [c.req.query('fieldSelector'), target.name === undefined ? undefined : `metadata.name=${target.name}`].filter((x) => x !== undefined && x !== '').join(',');
    return watchResponse({
      store,
      resource,
      options: {
        ...(target.namespace === undefined ? {} : { namespace: target.namespace }),
        ...(c.req.query('labelSelector') ? { labelSelector: c.req.query('labelSelector') as string } : {}),
        ...(fieldSelector === '' ? {} : { fieldSelector }),
        ...(c.req.query('resourceVersion') === undefined ? {} : { resourceVersion: c.req.query('resourceVersion') as string }),
      },
      table: wantsTable(c.req.header('accept')),
      includeObject: (c.req.query('includeObject') as IncludeObject | undefined) ?? 'Metadata',
      timeoutSeconds: Number(c.req.query('timeoutSeconds') ?? 1800) || 1800,
      nowMs,
      signal: c.req.raw.signal,
    });
  };

  const applyPatch = (current: KubeObject, patch: unknown, contentType: string): KubeObject => {
    const type = contentType.split(';')[0]?.trim() ?? '';
    switch (type) {
      case 'application/merge-patch+json':
        return asObject(mergePatch(current, patch));
      case 'application/strategic-merge-patch+json':
        return asObject(strategicMergePatch(current, patch));
      case 'application/json-patch+json':
        return asObject(jsonPatch(current, patch));
      case 'application/apply-patch+yaml':
        // Server-side apply, approximated: the applied fields merge into the object (no field managers).
        return asObject(strategicMergePatch(current, patch));
      default:
        throw unsupportedMediaType(contentType);
    }
  };

  const resourceRequest = async (c: Context, target: Target): Promise<Response> => {
    const { resource, namespace, name, subresource } = target;
    const method = c.req.method;
    const dryRun = c.req.query('dryRun') === 'All';
    if (name === undefined) {
      if (method === 'GET') {
        if (c.req.query('watch') === '1' || c.req.query('watch') === 'true') return watch(c, resource, target);
        const list = store.list(resource, {
          ...(namespace === undefined ? {} : { namespace }),
          ...(c.req.query('labelSelector') ? { labelSelector: c.req.query('labelSelector') as string } : {}),
          ...(c.req.query('fieldSelector') ? { fieldSelector: c.req.query('fieldSelector') as string } : {}),
        });
        return render(c, resource, list.items, list);
      }
      if (method === 'POST') {
        const o = asObject(await readBody(c));
        if (resource.namespaced) {
          const ns = namespace ?? o.metadata.namespace ?? 'default';
          if (o.metadata.namespace !== undefined && o.metadata.namespace !== ns) {
            throw badRequest(`the namespace of the provided object does not match the namespace sent on the request`);
          }
          o.metadata.namespace = ns;
        }
        if (dryRun) return send(o, 201);
        return send(store.create(resource, o), 201);
      }
      throw methodNotAllowed(`${method} is not supported on a collection of ${resource.plural}`);
    }
    if (subresource === 'scale') return scaleRequest(c, resource, namespace, name);
    if (method === 'GET') {
      if (c.req.query('watch') === '1' || c.req.query('watch') === 'true') return watch(c, resource, target);
      return render(c, resource, [store.get(resource, namespace, name)], undefined);
    }
    const sub = subresource === 'status' ? { subresource: 'status' as const } : {};
    if (method === 'PUT') {
      const o = asObject(await readBody(c));
      if ((o.metadata.name ?? name) !== name) throw badRequest(`the name of the object (${o.metadata.name ?? ''}) does not match the name on the URL (${name})`);
      o.metadata.name = name;
      if (resource.namespaced) o.metadata.namespace = namespace ?? 'default';
      if (dryRun) return send(o);
      if (subresource === undefined && !store.find(resource, namespace, name)) return send(store.create(resource, o), 201);
      return send(store.update(resource, o, sub));
    }
    if (method === 'PATCH') {
      const patch = await readBody(c);
      const contentType = c.req.header('content-type') ?? '';
      const current = store.find(resource, namespace, name);
      if (!current) {
        if (contentType.startsWith('application/apply-patch+yaml')) {
          const o = asObject(patch);
          o.metadata.name = name;
          if (resource.namespaced) o.metadata.namespace = namespace ?? 'default';
          return send(store.create(resource, o), 201);
        }
        throw notFound({ group: resource.group, plural: resource.plural, kind: resource.kind, name });
      }
      const next = applyPatch(current, patch, contentType);
      if (dryRun) return send(next);
      return send(store.update(resource, next, sub));
    }
    if (method === 'DELETE') {
      const gone = store.delete(resource, namespace, name);
      return send(gone);
    }
    throw methodNotAllowed(`${method} is not supported on ${resource.plural}`);
  };

  const scaleRequest = async (c: Context, resource: ResourceDef, namespace: string | undefined, name: string): Promise<Response> => {
    const method = c.req.method;
    if (method === 'GET') return send(scaleOf(store.get(resource, namespace, name)));
    let scale: KubeObject;
    if (method === 'PUT') scale = asObject(await readBody(c));
    else if (method === 'PATCH') scale = applyPatch(scaleOf(store.get(resource, namespace, name)), await readBody(c), c.req.header('content-type') ?? '');
    else throw methodNotAllowed(`${method} is not supported on ${resource.plural}/scale`);
    const next = withScaleReplicas(store.get(resource, namespace, name), scale);
    return send(scaleOf(store.update(resource, next)));
  };

  app.all('/api/:version/*', (c) => handle(c, '', c.req.param('version'), c.req.path.split('/').slice(3).filter((s) => s !== '')));
  app.all('/api/:version', (c) => handle(c, '', c.req.param('version'), []));
  app.all('/apis/:group/:version/*', (c) => handle(c, c.req.param('group'), c.req.param('version'), c.req.path.split('/').slice(4).filter((s) => s !== '')));
  app.all('/apis/:group/:version', (c) => handle(c, c.req.param('group'), c.req.param('version'), []));
  app.all('/apis/:group', (c) => handle(c, c.req.param('group'), undefined, []));
  app.notFound(() => sendError(pathNotFound()));
  return app;
}
