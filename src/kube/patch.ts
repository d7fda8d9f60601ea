/**
 * The patch types the API server takes: JSON merge patch (RFC 7386), an approximation of
 * strategic merge patch, and JSON patch (RFC 6902).
 *
 * Strategic merge patch here is JSON merge patch with these strategic rules: lists of objects
 * with a known merge key (`containers`, `initContainers`, `env`, `ports`, `volumes`,
 * `volumeMounts` by `name`/`containerPort`/`mountPath`, `conditions` by `type`) merge element by
 * element, `$patch: delete` removes an element or a map, `$patch: replace` replaces a map, and
 * every other `$` directive (`$setElementOrder/...`, `$retainKeys`, `$deleteFromPrimitiveList/...`)
 * is dropped. Other lists are replaced, as upstream does for lists without a merge key (HPA
 * `spec.metrics` is one).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/strategicpatch/patch.go
 */
import { badRequest } from './kube-error.js';

type Json = unknown;
type JsonMap = Record<string, Json>;

/** A patch field as text: strings as they are, anything else as JSON ('' when absent). */
const text = (v: Json): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));
const isMap = (v: Json): v is JsonMap => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Applies an RFC 7386 merge patch: null deletes, maps merge, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return structuredClone(patch);
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** Merge keys of the lists strategic merge patch merges element by element. */
export const MERGE_KEYS: Readonly<Record<string, string>> = {
  containers: 'name',
  initContainers: 'name',
  ephemeralContainers: 'name',
  env: 'name',
  volumes: 'name',
  volumeMounts: 'mountPath',
  ports: 'containerPort',
  conditions: 'type',
  imagePullSecrets: 'name',
};

/** Applies a strategic merge patch, approximated as described in the module comment. */
export function strategicMergePatch(target: Json, patch: Json): Json {
  if (!isMap(patch)) return structuredClone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _p, ...rest } = patch;
    return stripDirectives(rest);
  }
  const out: JsonMap = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k.startsWith('$')) continue;
    if (v === null) {
      delete out[k];
      continue;
    }
    if (isMap(v) && v.$patch === 'delete') {
      delete out[k];
      continue;
    }
    const key = MERGE_KEYS[k];
    if (key !== undefined && Array.isArray(v) && Array.isArray(out[k])) {
      out[k] = mergeList(out[k] as Json[], v, key);
    } else {
      out[k] = strategicMergePatch(out[k], v);
    }
  }
  return out;
}

function mergeList(current: readonly Json[], patch: readonly Json[], key: string): Json[] {
  const out = current.map((x) => structuredClone(x));
  for (const p of patch) {
    if (!isMap(p) || p[key] === undefined) {
      out.push(stripDirectives(p));
      continue;
    }
    const i = out.findIndex((x) => isMap(x) && x[key] === p[key]);
    if (p.$patch === 'delete') {
      if (i >= 0) out.splice(i, 1);
    } else if (i >= 0) out[i] = strategicMergePatch(out[i], p);
    else out.push(stripDirectives(p));
  }
  return out;
}

function stripDirectives(v: Json): Json {
  if (Array.isArray(v)) return v.map(stripDirectives);
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) if (!k.startsWith('$')) out[k] = stripDirectives(x);
  return out;
}

const unescape = (s: string): string => s.replace(/~1/g, '/').replace(/~0/g, '~');

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw badRequest(`the JSON patch path '${path}' must start with '/'`);
  return path.slice(1).split('/').map(unescape);
}

function parentOf(doc: Json, parts: readonly string[], path: string): { parent: JsonMap | Json[]; last: string } {
  let cur: Json = doc;
  for (const p of parts.slice(0, -1)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isMap(cur) ? cur[p] : undefined;
    if (cur === undefined || cur === null || typeof cur !== 'object') throw badRequest(`the JSON patch path '${path}' does not exist`);
  }
  return { parent: cur as JsonMap | Json[], last: parts[parts.length - 1] ?? '' };
}

function readAt(doc: Json, path: string): Json {
  let cur: Json = doc;
  for (const p of pointer(path)) {
    cur = Array.isArray(cur) ? cur[Number(p)] : isMap(cur) ? cur[p] : undefined;
    if (cur === undefined) throw badRequest(`the JSON patch path '${path}' does not exist`);
  }
  return cur;
}

/**
 * Applies an RFC 6902 JSON patch (add, remove, replace, move, copy, test).
 *
 * @throws {KubeError} 400 naming the operation that failed
 */
export function jsonPatch(target: Json, operations: Json): Json {
  if (!Array.isArray(operations)) throw badRequest('a JSON patch must be a list of operations');
  let doc = structuredClone(target);
  for (const raw of operations) {
    if (!isMap(raw)) throw badRequest('every JSON patch operation must be an object');
    const op = String(raw.op);
    const path = text(raw.path);
    const put = (at: string, value: Json, insert: boolean): void => {
      const parts = pointer(at);
      if (parts.length === 0) {
        doc = structuredClone(value);
        return;
      }
      const { parent, last } = parentOf(doc, parts, at);
      if (Array.isArray(parent)) {
        const i = last === '-' ? parent.length : Number(last);
        if (!Number.isInteger(i) || i < 0 || i > parent.length) throw badRequest(`the JSON patch index in '${at}' is out of range`);
        if (insert) parent.splice(i, 0, structuredClone(value));
        else parent[i] = structuredClone(value);
      } else {
        if (!insert && !(last in parent)) throw badRequest(`the JSON patch path '${at}' does not exist`);
        parent[last] = structuredClone(value);
      }
    };
    const remove = (at: string): Json => {
      const value = readAt(doc, at);
      const { parent, last } = parentOf(doc, pointer(at), at);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
      return value;
    };
    switch (op) {
      case 'add':
        put(path, raw.value, true);
        break;
      case 'replace':
        readAt(doc, path);
        put(path, raw.value, false);
        break;
      case 'remove':
        remove(path);
        break;
      case 'move':
        put(path, remove(text(raw.from)), true);
        break;
      case 'copy':
        put(path, readAt(doc, text(raw.from)), true);
        break;
      case 'test':
        if (JSON.stringify(readAt(doc, path)) !== JSON.stringify(raw.value)) throw badRequest(`the JSON patch test at '${path}' failed`);
        break;
      default:
        throw badRequest(`unknown JSON patch operation '${op}'`);
    }
  }
  return doc;
}
