import type { ContainerInfo, ResourceListMilli } from '../engine/index.js';
import { describeValue, InputError, joinPath } from '../core/index.js';
import { parseQuantityMilli } from './manifest-quantity.js';
import type { FieldPath } from './yaml-source.js';

/** Kinds with a pod template that an HPA can scale and whose requests we read. */
export const WORKLOAD_KINDS = ['Deployment', 'StatefulSet', 'ReplicaSet'] as const;

/** One container's resources in milli-units (`cpu: 500` = 500m; memory in milli-bytes). */
export interface ContainerResources extends ContainerInfo {
  readonly limitsMilli?: ResourceListMilli;
}

/**
 * The resource requests of a workload's pod template, what `explain` needs to turn usage into
 * Utilization (the blog's 500m CPU / 1350Mi memory example).
 */
export interface WorkloadResources {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** `spec.replicas`, when set. */
  readonly replicas?: number;
  /** `spec.selector.matchLabels`, when set. */
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly containers: readonly ContainerResources[];
  readonly initContainers?: readonly ContainerResources[];
  /** Pod-level `spec.template.spec.resources.requests` (PodLevelResources). */
  readonly podRequestsMilli?: ResourceListMilli;
}

/** Where `extractWorkloadResources()` reports: the file, the document's path prefix, a line lookup. */
export interface ExtractOptions {
  readonly file: string;
  readonly pathPrefix?: FieldPath;
  readonly lineOf?: (path: FieldPath) => number | undefined;
}

/**
 * Reads the per-container requests and limits of a Deployment, StatefulSet or ReplicaSet
 * document. Structure it does not need is not checked; quantities it reads must be valid.
 * Returns undefined for other kinds or a workload without a name.
 *
 * @throws {InputError} code `schema` for a request or limit that is not a quantity.
 * @example extractWorkloadResources(deployment, { file: 'hpa.yaml' })?.containers[0]?.requestsMilli
 * // -> { cpu: 500, memory: 1415577600000 }
 */
export function extractWorkloadResources(doc: unknown, options: ExtractOptions): WorkloadResources | undefined {
  const root = asObject(doc);
  const kind = root?.['kind'];
  if (!root || typeof kind !== 'string' || !(WORKLOAD_KINDS as readonly string[]).includes(kind)) return undefined;
  const metadata = asObject(root['metadata']);
  const name = metadata?.['name'];
  if (typeof name !== 'string' || name === '') return undefined;
  const namespace = metadata?.['namespace'];
  const spec = asObject(root['spec']);
  const replicas = spec?.['replicas'];
  const matchLabels = asStringRecord(asObject(spec?.['selector'])?.['matchLabels']);
  const podSpec = asObject(asObject(spec?.['template'])?.['spec']);
  const base = ['spec', 'template', 'spec'];
  const containers = readContainers(podSpec?.['containers'], [...base, 'containers'], options);
  const initContainers = readContainers(podSpec?.['initContainers'], [...base, 'initContainers'], options);
  const podRequests = readResourceList(
    asObject(podSpec?.['resources'])?.['requests'],
    [...base, 'resources', 'requests'],
    options,
  );
  return {
    kind,
    name,
    ...(typeof namespace === 'string' ? { namespace } : {}),
    ...(typeof replicas === 'number' ? { replicas } : {}),
    ...(matchLabels ? { matchLabels } : {}),
    containers,
    ...(initContainers.length > 0 ? { initContainers } : {}),
    ...(podRequests ? { podRequestsMilli: podRequests } : {}),
  };
}

function readContainers(value: unknown, path: FieldPath, options: ExtractOptions): ContainerResources[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown, i): ContainerResources[] => {
    const container = asObject(item);
    if (!container) return [];
    const name = typeof container['name'] === 'string' ? container['name'] : `container-${i}`;
    const resources = asObject(container['resources']);
    const requests = readResourceList(resources?.['requests'], [...path, i, 'resources', 'requests'], options);
    const limits = readResourceList(resources?.['limits'], [...path, i, 'resources', 'limits'], options);
    const restartPolicy = container['restartPolicy'];
    return [
      {
        name,
        ...(requests ? { requestsMilli: requests } : {}),
        ...(limits ? { limitsMilli: limits } : {}),
        ...(typeof restartPolicy === 'string' ? { restartPolicy } : {}),
      },
    ];
  });
}

function readResourceList(value: unknown, path: FieldPath, options: ExtractOptions): ResourceListMilli | undefined {
  if (value === undefined || value === null) return undefined;
  const list = asObject(value);
  const prefix = options.pathPrefix ?? [];
  if (!list) {
    const line = options.lineOf?.(path);
    throw new InputError('schema', options.file, joinPath([...prefix, ...path]), `expected a mapping of resource names to quantities, got ${describeValue(value)}`, {
      ...(line === undefined ? {} : { line }),
    });
  }
  const out: Record<string, number> = {};
  for (const [resource, quantity] of Object.entries(list)) {
    const at = [...path, resource];
    try {
      out[resource] = parseQuantityMilli(quantity as string | number, options.file, joinPath([...prefix, ...at]));
    } catch (error) {
      const line = options.lineOf?.(at);
      if (error instanceof InputError && line !== undefined) {
        throw new InputError(error.code, error.file, error.path, error.detail, { line, cause: error });
      }
      throw error;
    }
  }
  return out;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function asStringRecord(value: unknown): Record<string, string> | undefined {
  const o = asObject(value);
  if (!o) return undefined;
  const entries = Object.entries(o).filter((e): e is [string, string] => typeof e[1] === 'string');
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}
