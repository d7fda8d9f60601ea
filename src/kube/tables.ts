/**
 * Server-side printing: the `meta.k8s.io/v1` Table kubectl asks for (`Accept: ...;as=Table`), with
 * the columns the Kubernetes printers give each kind.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/printers/internalversion/printers.go
 */
import { formatMilliQuantity, parseQuantityMilli } from '../engine/index.js';
import type { KubeObject } from './store.js';

/** One column of a Table. */
export interface TableColumn {
  readonly name: string;
  readonly type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  readonly format: string;
  readonly description: string;
  readonly priority: number;
}

export interface TableRow {
  readonly cells: readonly (string | number | boolean)[];
  readonly object?: unknown;
}

/** A `meta.k8s.io/v1` Table. */
export interface Table {
  readonly kind: 'Table';
  readonly apiVersion: 'meta.k8s.io/v1';
  readonly metadata: { readonly resourceVersion?: string };
  readonly columnDefinitions: readonly TableColumn[];
  readonly rows: readonly TableRow[];
}

const col = (name: string, type: TableColumn['type'], description: string, priority = 0, format = ''): TableColumn => ({ name, type, format, description, priority });
const NAME = col('Name', 'string', 'Name must be unique within a namespace.', 0, 'name');
const AGE = col('Age', 'string', 'CreationTimestamp is a timestamp representing the server time when this object was created.');

/**
 * Go's `duration.HumanDuration`, as kubectl's AGE column prints it (45s, 5m10s, 90m, 3h30m, 2d3h).
 *
 * @see https://github.com/kubernetes/apimachinery/blob/master/pkg/util/duration/duration.go
 */
export function humanDuration(seconds: number): string {
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  const s = Math.floor(seconds);
  if (s < 120) return `${s}s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 10) return s % 60 === 0 ? `${minutes}m` : `${minutes}m${s % 60}s`;
  if (minutes < 180) return `${minutes}m`;
  const hours = Math.floor(s / 3600);
  if (hours < 8) return minutes % 60 === 0 ? `${hours}h` : `${hours}h${minutes % 60}m`;
  if (hours < 48) return `${hours}h`;
  if (hours < 192) return hours % 24 === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${hours % 24}h`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  const years = Math.floor(hours / 24 / 365);
  if (years < 8) return `${years}y${Math.floor(hours / 24) % 365}d`;
  return `${years}y`;
}

type Obj = Record<string, unknown>;
const at = (o: unknown, ...path: (string | number)[]): unknown => {
  let cur = o;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[p];
  }
  return cur;
};
const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
const num = (v: unknown, fallback = 0): number => (typeof v === 'number' ? v : fallback);

/** A quantity as `resource.Quantity.String()` prints it. */
const quantity = (v: unknown): string | undefined => {
  const s = str(v);
  if (s === undefined) return undefined;
  try {
    return formatMilliQuantity(parseQuantityMilli(s));
  } catch {
    return s;
  }
};

/** One metric's `current/target`, as `formatHPAMetrics` prints it. */
function hpaMetric(spec: Obj, status: Obj | undefined): string {
  const unknown = '<unknown>';
  const type = str(spec.type);
  if (type === 'Resource' || type === 'ContainerResource') {
    const src = (type === 'Resource' ? spec.resource : spec.containerResource) as Obj | undefined;
    const cur = at(status, type === 'Resource' ? 'resource' : 'containerResource', 'current') as Obj | undefined;
    const prefix = `${str(src?.name) ?? ''}: `;
    const target = at(src, 'target') as Obj | undefined;
    if (target?.averageValue !== undefined) return `${prefix}${quantity(cur?.averageValue) ?? unknown}/${quantity(target.averageValue)}`;
    const current = cur?.averageUtilization === undefined ? unknown : `${num(cur.averageUtilization)}%`;
    const wanted = target?.averageUtilization === undefined ? '<auto>' : `${num(target.averageUtilization)}%`;
    return `${prefix}${current}/${wanted}`;
  }
  if (type === 'Pods') return `${quantity(at(status, 'pods', 'current', 'averageValue')) ?? unknown}/${quantity(at(spec, 'pods', 'target', 'averageValue'))}`;
  if (type === 'Object' || type === 'External') {
    const member = type === 'Object' ? 'object' : 'external';
    const target = at(spec, member, 'target') as Obj | undefined;
    if (target?.averageValue !== undefined) return `${quantity(at(status, member, 'current', 'averageValue')) ?? unknown}/${quantity(target.averageValue)} (avg)`;
    return `${quantity(at(status, member, 'current', 'value')) ?? unknown}/${quantity(target?.value)}`;
  }
  return '<unknown type>';
}

/** The TARGETS cell: the first two metrics, then `+ N more...`. */
export function formatHpaTargets(hpa: unknown): string {
  const specs = (at(hpa, 'spec', 'metrics') as Obj[] | undefined) ?? [];
  if (specs.length === 0) return '<none>';
  const statuses = (at(hpa, 'status', 'currentMetrics') as Obj[] | undefined) ?? [];
  const list = specs.map((s, i) => hpaMetric(s, statuses[i]));
  const shown = list.slice(0, 2).join(', ');
  return list.length > 2 ? `${shown} + ${list.length - 2} more...` : shown;
}

interface Printer {
  readonly columns: readonly TableColumn[];
  cells(o: KubeObject, ageSeconds: number): (string | number | boolean)[];
}

const age = (s: number): string => humanDuration(s);

/** Printers per kind. */
const PRINTERS: Readonly<Record<string, Printer>> = {
  HorizontalPodAutoscaler: {
    columns: [
      NAME,
      col('Reference', 'string', 'Reference to scaled resource'),
      col('Targets', 'string', 'Targets of the metrics'),
      col('MinPods', 'string', 'Minimum number of pods'),
      col('MaxPods', 'integer', 'Maximum number of pods'),
      col('Replicas', 'integer', 'Current replicas'),
      AGE,
    ],
    cells: (o, s) => [
      o.metadata.name ?? '',
      `${str(at(o, 'spec', 'scaleTargetRef', 'kind')) ?? ''}/${str(at(o, 'spec', 'scaleTargetRef', 'name')) ?? ''}`,
      formatHpaTargets(o),
      at(o, 'spec', 'minReplicas') === undefined ? '<unset>' : String(num(at(o, 'spec', 'minReplicas'))),
      num(at(o, 'spec', 'maxReplicas')),
      num(at(o, 'status', 'currentReplicas')),
      age(s),
    ],
  },
  Pod: {
    columns: [
      NAME,
      col('Ready', 'string', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', 'The aggregate status of the containers in this pod.'),
      col('Restarts', 'string', 'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.'),
      AGE,
      col('IP', 'string', 'The IP address assigned to the pod', 1),
      col('Node', 'string', 'The node the pod is scheduled to', 1),
      col('Nominated Node', 'string', 'The node the pod is nominated to', 1),
      col('Readiness Gates', 'string', 'The readiness gates of the pod', 1),
    ],
    cells: (o, s) => {
      const statuses = (at(o, 'status', 'containerStatuses') as Obj[] | undefined) ?? [];
      const total = ((at(o, 'spec', 'containers') as unknown[] | undefined) ?? []).length;
      const ready = statuses.filter((c) => c.ready === true).length;
      const restarts = statuses.reduce((n, c) => n + num(c.restartCount), 0);
      const phase = o.metadata.deletionTimestamp ? 'Terminating' : (str(at(o, 'status', 'phase')) ?? 'Unknown');
      return [o.metadata.name ?? '', `${ready}/${total}`, phase, String(restarts), age(s), str(at(o, 'status', 'podIP')) ?? '<none>', str(at(o, 'spec', 'nodeName')) ?? '<none>', '<none>', '<none>'];
    },
  },
  Deployment: {
    columns: [
      NAME,
      col('Ready', 'string', 'Number of the pod with ready state'),
      col('Up-to-date', 'integer', 'Total number of non-terminated pods targeted by this deployment that have the desired template spec.'),
      col('Available', 'integer', 'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.'),
      AGE,
      col('Containers', 'string', 'Names of each container in the template.', 1),
      col('Images', 'string', 'Images referenced by each container in the template.', 1),
      col('Selector', 'string', 'Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.', 1),
    ],
    cells: (o, s) => {
      const containers = (at(o, 'spec', 'template', 'spec', 'containers') as Obj[] | undefined) ?? [];
      const match = (at(o, 'spec', 'selector', 'matchLabels') as Record<string, string> | undefined) ?? {};
      return [
        o.metadata.name ?? '',
        `${num(at(o, 'status', 'readyReplicas'))}/${num(at(o, 'spec', 'replicas'), 1)}`,
        num(at(o, 'status', 'updatedReplicas')),
        num(at(o, 'status', 'availableReplicas')),
        age(s),
        containers.map((c) => str(c.name) ?? '').join(','),
        containers.map((c) => str(c.image) ?? '').join(','),
        Object.entries(match).map(([k, v]) => `${k}=${v}`).join(','),
      ];
    },
  },
  Event: {
    columns: [
      col('Last Seen', 'string', 'Time when last event from this object was seen'),
      col('Type', 'string', 'Type of the event'),
      col('Reason', 'string', 'Reason why the event was generated'),
      col('Object', 'string', 'Object that triggered the event'),
      col('Message', 'string', 'Human-readable message of the event'),
    ],
    cells: (o) => [
      str(o.lastTimestamp) ?? '<unknown>',
      str(o.type) ?? '',
      str(o.reason) ?? '',
      `${(str(at(o, 'involvedObject', 'kind')) ?? '').toLowerCase()}/${str(at(o, 'involvedObject', 'name')) ?? ''}`,
      str(o.message) ?? '',
    ],
  },
  APIService: {
    columns: [NAME, col('Service', 'string', 'The reference to the service that hosts this API endpoint.'), col('Available', 'string', 'Whether this service is available.'), AGE],
    cells: (o, s) => {
      const svc = at(o, 'spec', 'service') as Obj | undefined;
      const available = ((at(o, 'status', 'conditions') as Obj[] | undefined) ?? []).find((c) => c.type === 'Available');
      const state = available === undefined ? 'Unknown' : available.status === 'True' ? 'True' : `${str(available.status) ?? 'Unknown'} (${str(available.reason) ?? ''})`;
      return [o.metadata.name ?? '', svc ? `${str(svc.namespace) ?? ''}/${str(svc.name) ?? ''}` : 'Local', state, age(s)];
    },
  },
  Namespace: {
    columns: [NAME, col('Status', 'string', 'The status of the namespace'), AGE],
    cells: (o, s) => [o.metadata.name ?? '', str(at(o, 'status', 'phase')) ?? 'Active', age(s)],
  },
};

const GENERIC: Printer = { columns: [NAME, AGE], cells: (o, s) => [o.metadata.name ?? '', age(s)] };

/** What each row carries as `object`: `includeObject=None|Metadata|Object` (Metadata unless told). */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/**
 * A Table of objects of one kind. Event rows' LAST SEEN is their age from `lastTimestamp`.
 *
 * @example toTable('HorizontalPodAutoscaler', [hpa], { nowMs }).rows[0].cells[2] // -> '12/5'
 */
export function toTable(
  kind: string,
  objects: readonly KubeObject[],
  options: { readonly nowMs: number; readonly resourceVersion?: string; readonly includeObject?: IncludeObject; readonly noHeaders?: boolean },
): Table {
  const printer = PRINTERS[kind] ?? GENERIC;
  const ageOf = (t: unknown): number => (typeof t === 'string' ? (options.nowMs - Date.parse(t)) / 1000 : 0);
  const rows = objects.map((o): TableRow => {
    const cells = printer.cells(o, ageOf(o.metadata.creationTimestamp));
    if (kind === 'Event') cells[0] = o.lastTimestamp ? humanDuration(ageOf(o.lastTimestamp)) : '<unknown>';
    const include = options.includeObject ?? 'Metadata';
    if (include === 'None') return { cells };
    const object = include === 'Object' ? o : { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
    return { cells, object };
  });
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: options.resourceVersion === undefined ? {} : { resourceVersion: options.resourceVersion },
    columnDefinitions: options.noHeaders ? [] : printer.columns,
    rows,
  };
}
