/**
 * `kubectl get hpa` and `kubectl describe hpa` views of an HPA and its status, as kubectl
 * prints them (columns, TARGETS syntax, Conditions and Events tables).
 */
import { formatDuration } from '../report/index.js';
import { formatMilliQuantity, parseQuantityMilli, type HorizontalPodAutoscaler, type HorizontalPodAutoscalerStatus, type HpaEvent, type MetricSpec, type MetricStatus } from '../engine/index.js';

const q = (v: string | number | undefined): string => (v === undefined ? '<unknown>' : formatMilliQuantity(parseQuantityMilli(v)));

/** One metric's `current/target` as kubectl's TARGETS column shows it. */
export function formatTarget(spec: MetricSpec, status: MetricStatus | null | undefined): string {
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.resource ?? spec.containerResource;
      const cur = status?.resource?.current ?? status?.containerResource?.current;
      const prefix = `${src?.name ?? '?'}: `;
      if (src?.target?.averageUtilization !== undefined) {
        return `${prefix}${cur?.averageUtilization === undefined ? '<unknown>' : `${cur.averageUtilization}%`}/${src.target.averageUtilization}%`;
      }
      return `${prefix}${cur?.averageValue ?? '<unknown>'}/${q(src?.target?.averageValue)}`;
    }
    case 'Pods':
      return `${status?.pods?.current.averageValue ?? '<unknown>'}/${q(spec.pods?.target.averageValue)}`;
    case 'Object': {
      const t = spec.object?.target;
      if (t?.type === 'AverageValue') return `${status?.object?.current.averageValue ?? '<unknown>'}/${q(t.averageValue)} (avg)`;
      return `${status?.object?.current.value ?? '<unknown>'}/${q(t?.value)}`;
    }
    case 'External': {
      const t = spec.external?.target;
      if (t?.averageValue !== undefined) return `${status?.external?.current.averageValue ?? '<unknown>'}/${q(t.averageValue)} (avg)`;
      return `${status?.external?.current.value ?? '<unknown>'}/${q(t?.value)}`;
    }
    default:
      return '<unknown>';
  }
}

/** kubectl's AGE format (45s, 5m, 90m, 3h30m, 2d3h). */
export const formatAge = formatDuration;

/** Pads columns like kubectl's tabwriter (3 spaces between columns). */
export function formatColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3))).join('').trimEnd()).join('\n');
}

export interface GetHpaRow {
  readonly hpa: HorizontalPodAutoscaler;
  readonly status: HorizontalPodAutoscalerStatus | undefined;
  readonly ageSeconds: number;
}

/** The TARGETS cell: every metric, comma-separated. */
export function formatTargets(hpa: HorizontalPodAutoscaler, status: HorizontalPodAutoscalerStatus | undefined): string {
  const specs = hpa.spec.metrics ?? [];
  return specs.map((m, i) => formatTarget(m, status?.currentMetrics?.[i])).join(', ') || '<none>';
}

/** `kubectl get hpa` (with header); `watchLine` rows omit it. */
export function formatGetHpa(rows: readonly GetHpaRow[], options: { header?: boolean } = {}): string {
  const out: string[][] = [];
  if (options.header !== false) out.push(['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE']);
  for (const r of rows) {
    out.push([
      r.hpa.metadata.name,
      `${r.hpa.spec.scaleTargetRef.kind}/${r.hpa.spec.scaleTargetRef.name}`,
      formatTargets(r.hpa, r.status),
      String(r.hpa.spec.minReplicas ?? 1),
      String(r.hpa.spec.maxReplicas),
      String(r.status?.currentReplicas ?? 0),
      formatAge(r.ageSeconds),
    ]);
  }
  return formatColumns(out);
}

function describeMetric(spec: MetricSpec, status: MetricStatus | null | undefined): [string, string] {
  switch (spec.type) {
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.resource ?? spec.containerResource;
      const on = spec.type === 'ContainerResource' ? `on pods (container ${spec.containerResource?.container ?? '?'})` : 'on pods';
      const cur = status?.resource?.current ?? status?.containerResource?.current;
      if (src?.target?.averageUtilization !== undefined) {
        const c = cur?.averageUtilization === undefined ? '<unknown>' : `${cur.averageUtilization}% (${cur.averageValue ?? '?'})`;
        return [`resource ${src.name} ${on}  (as a percentage of request):`, `${c} / ${src.target.averageUtilization}%`];
      }
      return [`resource ${src?.name ?? '?'} ${on}:`, `${cur?.averageValue ?? '<unknown>'} / ${q(src?.target?.averageValue)}`];
    }
    case 'Pods':
      return [`"${spec.pods?.metric.name ?? '?'}" on pods:`, `${status?.pods?.current.averageValue ?? '<unknown>'} / ${q(spec.pods?.target.averageValue)}`];
    case 'Object': {
      const o = spec.object;
      const t = o?.target;
      const on = `"${o?.metric.name ?? '?'}" on ${o?.describedObject.kind ?? '?'}/${o?.describedObject.name ?? '?'}`;
      if (t?.type === 'AverageValue') return [`${on} (target average value):`, `${status?.object?.current.averageValue ?? '<unknown>'} / ${q(t.averageValue)}`];
      return [`${on} (target value):`, `${status?.object?.current.value ?? '<unknown>'} / ${q(t?.value)}`];
    }
    case 'External': {
      const t = spec.external?.target;
      const name = `"${spec.external?.metric.name ?? '?'}"`;
      if (t?.averageValue !== undefined) return [`${name} (target average value):`, `${status?.external?.current.averageValue ?? '<unknown>'} / ${q(t.averageValue)}`];
      return [`${name} (target value):`, `${status?.external?.current.value ?? '<unknown>'} / ${q(t?.value)}`];
    }
    default:
      return [`${String(spec.type)}:`, '<unknown>'];
  }
}

/** `kubectl describe hpa NAME`. Events carry their age in seconds. */
export function formatDescribeHpa(input: {
  readonly hpa: HorizontalPodAutoscaler;
  readonly status: HorizontalPodAutoscalerStatus | undefined;
  readonly events: readonly (HpaEvent & { readonly ageSeconds?: number })[];
}): string {
  const { hpa, status } = input;
  const lines: string[] = [];
  const field = (k: string, v: string) => lines.push(`${`${k}:`.padEnd(53)}${v}`);
  field('Name', hpa.metadata.name);
  field('Namespace', hpa.metadata.namespace ?? 'default');
  field('Reference', `${hpa.spec.scaleTargetRef.kind}/${hpa.spec.scaleTargetRef.name}`);
  lines.push(`${'Metrics:'.padEnd(53)}( current / target )`);
  (hpa.spec.metrics ?? []).forEach((m, i) => {
    const [k, v] = describeMetric(m, status?.currentMetrics?.[i]);
    lines.push(`  ${k.padEnd(49)}  ${v}`);
  });
  field('Min replicas', String(hpa.spec.minReplicas ?? 1));
  field('Max replicas', String(hpa.spec.maxReplicas));
  if (hpa.spec.behavior) {
    lines.push('Behavior:');
    for (const [dir, r] of [['Scale Up', hpa.spec.behavior.scaleUp], ['Scale Down', hpa.spec.behavior.scaleDown]] as const) {
      if (!r) continue;
      lines.push(`  ${dir}:`);
      lines.push(`    Stabilization Window: ${r.stabilizationWindowSeconds ?? '(controller default)'} seconds`);
      lines.push(`    Select Policy: ${r.selectPolicy ?? 'Max'}`);
      lines.push('    Policies:');
      for (const p of r.policies ?? []) lines.push(`      - Type: ${p.type}  Value: ${p.value}  Period: ${p.periodSeconds} seconds`);
    }
  }
  field(`${hpa.spec.scaleTargetRef.kind} pods`, `${status?.currentReplicas ?? 0} current / ${status?.desiredReplicas ?? 0} desired`);
  lines.push('Conditions:');
  const conds = status?.conditions ?? [];
  if (conds.length === 0) lines.push('  <none>');
  else {
    const table = formatColumns([['Type', 'Status', 'Reason', 'Message'], ['----', '------', '------', '-------'], ...conds.map((c) => [c.type, c.status, c.reason, c.message])]);
    lines.push(...table.split('\n').map((l) => `  ${l}`));
  }
  if (input.events.length === 0) lines.push(`${'Events:'.padEnd(53)}<none>`);
  else {
    lines.push('Events:');
    const table = formatColumns([
      ['Type', 'Reason', 'Age', 'From', 'Message'],
      ['----', '------', '----', '----', '-------'],
      ...input.events.map((e) => [e.type, e.reason, formatAge(e.ageSeconds ?? 0), 'horizontal-pod-autoscaler', e.message]),
    ]);
    lines.push(...table.split('\n').map((l) => `  ${l}`));
  }
  return lines.join('\n');
}
