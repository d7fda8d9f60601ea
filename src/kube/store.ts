/**
 * The API server's in-memory object store: objects per resource and namespace, one
 * resourceVersion counter for every write, `metadata.generation` bumped when anything but
 * metadata and status changes, uids and creation timestamps, list and watch with label and field
 * selectors, and Kubernetes' failures (404, 409 AlreadyExists / Conflict on a stale
 * resourceVersion, 410 on a watch from a forgotten one, 422 from the kind's validator).
 *
 * @see https://github.com/kubernetes/apiserver/blob/master/pkg/storage/etcd3/store.go
 */
import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/index.js';
import { matchesSelector, parseSelector } from '../engine/index.js';
import { alreadyExists, badRequest, conflict, expired, invalid, notFound, type StatusCause } from './kube-error.js';
import { apiVersionOf, type ResourceDef } from './resources.js';

/** A Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMetadata;
  [field: string]: unknown;
}

/** The `metadata` fields the store keeps. */
export interface ObjectMetadata {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  [field: string]: unknown;
}

/** A change, as a watch stream sends it. */
export interface WatchEvent {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED';
  readonly resource: ResourceDef;
  readonly object: KubeObject;
}

/** Filters of list and watch. */
export interface ListOptions {
  /** All namespaces when absent. */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface WatchOptions extends ListOptions {
  /** Events after this version; absent or "0": every matching object as ADDED first. */
  readonly resourceVersion?: string;
}

/** Checks a written object; the causes make a 422. */
export type ObjectValidator = (resource: ResourceDef, object: KubeObject) => readonly StatusCause[];

/** Fills in what the API server defaults on write (after validation). */
export type ObjectDefaulter = (resource: ResourceDef, object: KubeObject) => KubeObject;

export interface ObjectStoreOptions {
  readonly clock: Clock;
  readonly validate?: ObjectValidator;
  readonly defaults?: ObjectDefaulter;
  /** Events kept for watches from a past version; 1,000 unless told. */
  readonly historySize?: number;
}

export interface WriteOptions {
  /** `status` writes only `.status`; anything else is the main resource (status kept). */
  readonly subresource?: 'status';
}

export interface ObjectStore {
  /** The newest resourceVersion, as a string. */
  resourceVersion(): string;
  get(resource: ResourceDef, namespace: string | undefined, name: string): KubeObject;
  /** The object, or undefined when there is none. */
  find(resource: ResourceDef, namespace: string | undefined, name: string): KubeObject | undefined;
  list(resource: ResourceDef, options?: ListOptions): { readonly items: KubeObject[]; readonly resourceVersion: string };
  /** Adds an object: uid, resourceVersion, generation 1, creationTimestamp set; a `generateName` gets a suffix. */
  create(resource: ResourceDef, object: KubeObject): KubeObject;
  /** Replaces an object; a `metadata.resourceVersion` that is not the current one is a 409. */
  update(resource: ResourceDef, object: KubeObject, options?: WriteOptions): KubeObject;
  delete(resource: ResourceDef, namespace: string | undefined, name: string): KubeObject;
  /** Calls `listener` for every matching change from `options.resourceVersion` on; returns the unsubscribe. */
  watch(resource: ResourceDef, options: WatchOptions, listener: (event: WatchEvent) => void): () => void;
  /** Every change of every resource (the world's hook). */
  subscribe(listener: (event: WatchEvent) => void): () => void;
}

const clone = <T>(v: T): T => structuredClone(v);
const keyOf = (r: ResourceDef): string => `${r.group}/${r.plural}`;
const objectKey = (namespace: string | undefined, name: string): string => `${namespace ?? ''}/${name}`;
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** RFC 3339 at second precision, as Kubernetes writes metav1.Time. */
export const kubeTime = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

/** Everything but `metadata`, `status` and the type fields: what bumps `metadata.generation`. */
function specPart(o: KubeObject): string {
  const { metadata: _m, status: _s, apiVersion: _a, kind: _k, ...rest } = o;
  return JSON.stringify(rest);
}

/** A field value at a dotted path (`involvedObject.name`), as a string. */
function fieldAt(o: KubeObject, path: string): string {
  let cur: unknown = o;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[part];
  }
  if (cur === undefined || cur === null) return '';
  return typeof cur === 'string' ? cur : JSON.stringify(cur);
}

type FieldTest = (o: KubeObject) => boolean;

/**
 * Parses a field selector (`metadata.name=web,involvedObject.kind!=Pod`).
 *
 * @throws {KubeError} 400 on a term with no operator
 */
export function parseFieldSelector(selector: string | undefined): FieldTest {
  if (selector === undefined || selector.trim() === '') return () => true;
  const tests: FieldTest[] = [];
  for (const term of selector.split(',')) {
    const m = /^\s*([^=!\s]+)\s*(==|=|!=)\s*(.*?)\s*$/.exec(term);
    if (!m) throw badRequest(`unable to parse requirement: invalid field selector term '${term}'`);
    const [, path = '', op, value = ''] = m;
    tests.push(op === '!=' ? (o) => fieldAt(o, path) !== value : (o) => fieldAt(o, path) === value);
  }
  return (o) => tests.every((t) => t(o));
}

function labelTest(selector: string | undefined): FieldTest {
  if (selector === undefined || selector.trim() === '') return () => true;
  let parsed;
  try {
    parsed = parseSelector(selector);
  } catch (error) {
    throw badRequest(`unable to parse requirement: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (o) => matchesSelector(parsed, o.metadata.labels ?? {});
}

function filterOf(resource: ResourceDef, options: ListOptions): FieldTest {
  const labels = labelTest(options.labelSelector);
  const fields = parseFieldSelector(options.fieldSelector);
  const ns = resource.namespaced ? options.namespace : undefined;
  return (o) => (ns === undefined || o.metadata.namespace === ns) && labels(o) && fields(o);
}

/**
 * Creates an empty store. Objects handed in and out are copies: changing one changes nothing
 * stored.
 *
 * @example
 * const store = createObjectStore({ clock: systemClock });
 * store.create(HPA, { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web', namespace: 'smallest' }, spec });
 * store.get(HPA, 'smallest', 'web').metadata.generation; // -> 1
 */
export function createObjectStore(options: ObjectStoreOptions): ObjectStore {
  const { clock } = options;
  const historySize = options.historySize ?? 1_000;
  const tables = new Map<string, Map<string, KubeObject>>();
  const history: { rv: number; event: WatchEvent }[] = [];
  const watchers = new Set<{ resource: ResourceDef; test: FieldTest; listener: (e: WatchEvent) => void }>();
  const subscribers = new Set<(e: WatchEvent) => void>();
  let rv = 1;

  const table = (r: ResourceDef): Map<string, KubeObject> => {
    let t = tables.get(keyOf(r));
    if (!t) tables.set(keyOf(r), (t = new Map<string, KubeObject>()));
    return t;
  };
  const target = (r: ResourceDef, name: string) => ({ group: r.group, plural: r.plural, kind: r.kind, name });
  const nsOf = (r: ResourceDef, o: { metadata: ObjectMetadata }): string | undefined => (r.namespaced ? (o.metadata.namespace ?? 'default') : undefined);

  const emit = (event: WatchEvent): void => {
    history.push({ rv, event });
    if (history.length > historySize) history.splice(0, history.length - historySize);
    // A listener's failure is its own: the write that emitted the event has succeeded.
    const call = (listener: (e: WatchEvent) => void): void => {
      try {
        listener({ ...event, object: clone(event.object) });
      } catch {
        // ignored
      }
    };
    for (const w of watchers) if (keyOf(w.resource) === keyOf(event.resource) && w.test(event.object)) call(w.listener);
    for (const s of subscribers) call(s);
  };

  const check = (r: ResourceDef, o: KubeObject): void => {
    const causes = options.validate?.(r, o) ?? [];
    if (causes.length > 0) throw invalid(target(r, o.metadata.name ?? ''), causes);
  };

  const get = (r: ResourceDef, namespace: string | undefined, name: string): KubeObject => {
    const o = table(r).get(objectKey(r.namespaced ? (namespace ?? 'default') : undefined, name));
    if (!o) throw notFound(target(r, name));
    return o;
  };

  return {
    resourceVersion: () => String(rv),
    get: (r, namespace, name) => clone(get(r, namespace, name)),
    find: (r, namespace, name) => {
      const o = table(r).get(objectKey(r.namespaced ? (namespace ?? 'default') : undefined, name));
      return o ? clone(o) : undefined;
    },
    list(r, listOptions = {}) {
      const test = filterOf(r, listOptions);
      const items = [...table(r).values()].filter(test).map(clone);
      items.sort((a, b) => objectKey(a.metadata.namespace, a.metadata.name ?? '').localeCompare(objectKey(b.metadata.namespace, b.metadata.name ?? '')));
      return { items, resourceVersion: String(rv) };
    },
    create(r, input) {
      const o = clone(input);
      o.apiVersion = apiVersionOf(r);
      o.kind = r.kind;
      const meta = (o.metadata ??= {});
      if ((meta.name === undefined || meta.name === '') && meta.generateName) {
        let suffix = '';
        for (let i = 0; i < 5; i++) suffix += GENERATE_ALPHABET[Math.floor(Math.random() * GENERATE_ALPHABET.length)];
        meta.name = `${meta.generateName}${suffix}`;
      }
      if (meta.name === undefined || meta.name === '') {
        throw invalid(target(r, ''), [{ reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' }]);
      }
      if (r.namespaced) meta.namespace = meta.namespace ?? 'default';
      else delete meta.namespace;
      const key = objectKey(nsOf(r, o), meta.name);
      if (table(r).has(key)) throw alreadyExists(target(r, meta.name));
      check(r, o);
      if (options.defaults) {
        const d = options.defaults(r, o);
        Object.assign(o, d);
      }
      rv++;
      meta.uid = randomUUID();
      meta.resourceVersion = String(rv);
      meta.generation = 1;
      meta.creationTimestamp = kubeTime(clock.now());
      table(r).set(key, o);
      emit({ type: 'ADDED', resource: r, object: clone(o) });
      return clone(o);
    },
    update(r, input, writeOptions = {}) {
      const name = input.metadata?.name ?? '';
      const old = get(r, input.metadata?.namespace, name);
      const given = input.metadata?.resourceVersion;
      if (given !== undefined && given !== '' && given !== old.metadata.resourceVersion) throw conflict(target(r, name));
      let o: KubeObject;
      if (writeOptions.subresource === 'status') {
        o = clone(old);
        if (input.status === undefined) delete o.status;
        else o.status = clone(input.status);
      } else {
        o = clone(input);
        o.apiVersion = apiVersionOf(r);
        o.kind = r.kind;
        if ('status' in old) o.status = clone(old.status);
        else delete o.status;
        // Immutable metadata stays as stored.
        o.metadata = { ...o.metadata };
        for (const k of ['uid', 'creationTimestamp', 'generation', 'namespace'] as const) {
          const v = old.metadata[k];
          if (v === undefined) delete o.metadata[k];
          else (o.metadata as Record<string, unknown>)[k] = v;
        }
        check(r, o);
        if (options.defaults) Object.assign(o, options.defaults(r, o));
        if (specPart(o) !== specPart(old)) o.metadata.generation = (old.metadata.generation ?? 1) + 1;
      }
      if (writeOptions.subresource === 'status') check(r, o);
      o.metadata.resourceVersion = old.metadata.resourceVersion ?? '';
      if (JSON.stringify(o) === JSON.stringify(old)) {
        return clone(old); // a no-op write keeps the version, as upstream
      }
      rv++;
      o.metadata.resourceVersion = String(rv);
      table(r).set(objectKey(nsOf(r, o), name), o);
      emit({ type: 'MODIFIED', resource: r, object: clone(o) });
      return clone(o);
    },
    delete(r, namespace, name) {
      const old = get(r, namespace, name);
      table(r).delete(objectKey(nsOf(r, old), name));
      rv++;
      const gone = clone(old);
      gone.metadata.resourceVersion = String(rv);
      emit({ type: 'DELETED', resource: r, object: clone(gone) });
      return gone;
    },
    watch(r, watchOptions, listener) {
      const test = filterOf(r, watchOptions);
      const from = watchOptions.resourceVersion;
      if (from === undefined || from === '' || from === '0') {
        for (const o of [...table(r).values()].filter(test)) listener({ type: 'ADDED', resource: r, object: clone(o) });
      } else {
        const since = Number(from);
        if (!Number.isInteger(since) || since < 0) throw badRequest(`invalid resourceVersion '${from}'`);
        const oldest = history[0]?.rv ?? rv + 1;
        if (since < oldest - 1 && since < rv) throw expired(from);
        for (const h of history) if (h.rv > since && keyOf(h.event.resource) === keyOf(r) && test(h.event.object)) listener({ ...h.event, object: clone(h.event.object) });
      }
      const w = { resource: r, test, listener };
      watchers.add(w);
      return () => void watchers.delete(w);
    },
    subscribe(listener) {
      subscribers.add(listener);
      return () => void subscribers.delete(listener);
    },
  };
}
