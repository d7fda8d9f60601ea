/**
 * Rules across HPAs, their targets and the scrape path: the ServiceMonitor against the Service
 * (selector, port name, the Prometheus' selector), Utilization targets without requests, the
 * load-independent metric whose curve is a fixed point (the blog's memory trap, computed with the
 * engine's `replicaCurve`), and maxReplicas against what the nodes can hold.
 */
import { replicaCurve, type HorizontalPodAutoscaler, type MetricSpec, type ResourceListMilli } from '../engine/index.js';
import { formatMilliQuantity, parseQuantityMilli } from '../input/index.js';
import type { Finding } from './finding.js';
import type { HpaEntry, LintModel } from './lint-model.js';

/** HPA301–HPA304, HPA401–HPA402, HPA501. */
export function workloadRules(model: LintModel): Finding[] {
  return [...monitorRules(model), ...model.hpas.flatMap((e) => [...requestRules(e, model), ...(model.readings ? readingsFixedPoint(e, model) : fixedPointRules(e)), ...capacityRules(e, model)])];
}

function matches(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}

function monitorRules(model: LintModel): Finding[] {
  const out: Finding[] = [];
  const podsMetricHpas = model.hpas.filter((e) => (e.hpa.spec.metrics ?? []).some((m) => m.type === 'Pods'));
  if (model.chart && !model.chart.serviceMonitor.enabled && model.serviceMonitors.length === 0 && podsMetricHpas.length > 0) {
    out.push({
      id: 'HPA304',
      severity: 'warning',
      location: { file: model.chart.file, path: model.chart.serviceMonitor.valuesPath.join('.') },
      message: `no ServiceMonitor: '${model.chart.serviceMonitor.valuesPath.join('.')}.enabled' is not true while HPA '${podsMetricHpas[0]?.hpa.metadata.name}' scales on a Pods metric`,
      why: "nothing tells the Prometheus Operator to scrape the ASR pods, so the metric has no series: the seeds' first answer to a target showing <unknown> is 'Ensure ServiceMonitor is created'",
      fix: `set ${model.chart.serviceMonitor.valuesPath.join('.')}.enabled: true (or apply a ServiceMonitor of your own)`,
    });
  }
  for (const sm of model.serviceMonitors) {
    const nil = model.chart?.serviceMonitorSelectorNilUsesHelmValues;
    if (model.chart && nil !== false && !('release' in sm.labels)) {
      out.push({
        id: 'HPA303',
        severity: 'error',
        location: sm.location,
        message: `ServiceMonitor '${sm.name}' has no 'release' label while serviceMonitorSelectorNilUsesHelmValues is ${nil === undefined ? 'unset (true by default)' : JSON.stringify(nil)}`,
        why: "kube-prometheus-stack's Prometheus then selects only ServiceMonitors labelled release: <its release>; this one is ignored, nothing is scraped and the HPA shows <unknown>",
        fix: 'set kube-prometheus-stack.prometheus.prometheusSpec.serviceMonitorSelectorNilUsesHelmValues: false (as the seeds do), or label the ServiceMonitor with the stack\'s release',
      });
    }
    if (model.services.length === 0) continue;
    const selected = model.services.filter((s) => (sm.namespace === undefined || s.namespace === undefined || s.namespace === sm.namespace) && matches(sm.matchLabels, s.labels));
    if (selected.length === 0) {
      out.push({
        id: 'HPA301',
        severity: 'error',
        location: sm.location,
        message: `ServiceMonitor '${sm.name}' selects ${JSON.stringify(sm.matchLabels)}, which no Service has (${model.services.map((s) => `${s.name}: ${JSON.stringify(s.labels)}`).join('; ')})`,
        why: 'the operator finds no endpoints to scrape: Prometheus has no series of the ASR metrics and every HPA metric built on them is <unknown>',
        fix: `make spec.selector.matchLabels equal labels of the Service (${JSON.stringify(model.services[0]?.labels ?? {})}), or label the Service`,
      });
      continue;
    }
    sm.endpoints.forEach((ep) => {
      if (ep.port === undefined) return;
      const bad = selected.filter((s) => !s.portNames.includes(ep.port as string));
      if (bad.length === 0) return;
      out.push({
        id: 'HPA302',
        severity: 'error',
        location: ep.location ?? sm.location,
        message: `ServiceMonitor '${sm.name}' scrapes port '${ep.port}', but Service '${bad[0]?.name}' names its ports ${JSON.stringify(bad[0]?.portNames ?? [])}`,
        why: "a ServiceMonitor endpoint's port is the Service port's name, not its number: no target is created and the metrics never reach Prometheus (the seeds check `ports: - name: metrics`)",
        fix: `name the Service port '${ep.port}' (seeds: name: metrics, port: 2269), or set the endpoint's port to ${JSON.stringify(bad[0]?.portNames[0] ?? 'metrics')}`,
      });
    });
  }
  return out;
}

/** The target's per-pod requests: the workload manifest's containers summed, else the values'. */
function targetRequests(entry: HpaEntry, model: LintModel): { requests?: ResourceListMilli; known: boolean } {
  const ref = entry.hpa.spec.scaleTargetRef;
  const w = model.workloads.find((x) => x.kind === ref.kind && x.name === ref.name);
  if (w) {
    const sum: Record<string, number> = { ...(w.podRequestsMilli ?? {}) };
    if (!w.podRequestsMilli) for (const c of w.containers) for (const [k, v] of Object.entries(c.requestsMilli ?? {})) sum[k] = (sum[k] ?? 0) + v;
    return { requests: sum, known: true };
  }
  return entry.valuesRequestsMilli ? { requests: entry.valuesRequestsMilli, known: true } : { known: false };
}

function requestRules(entry: HpaEntry, model: LintModel): Finding[] {
  const { requests, known } = targetRequests(entry, model);
  if (!known) return [];
  const out: Finding[] = [];
  (entry.hpa.spec.metrics ?? []).forEach((m, i) => {
    const src = m.type === 'Resource' ? m.resource : m.type === 'ContainerResource' ? m.containerResource : undefined;
    if (!src || src.target?.type !== 'Utilization') return;
    if ((requests?.[src.name] ?? 0) > 0) return;
    const ref = entry.hpa.spec.scaleTargetRef;
    out.push({
      id: 'HPA401',
      severity: 'error',
      location: entry.locate(`spec.metrics[${i}]`),
      message: `HPA '${entry.hpa.metadata.name}': ${src.name} Utilization target on ${ref.kind}/${ref.name}, whose pods request no ${src.name}`,
      why: `Utilization is usage / request: with no request the controller cannot compute it ("missing request for ${src.name}"), the metric is <unknown> and ScalingActive turns False`,
      fix: `set resources.requests.${src.name} on every container of ${ref.kind}/${ref.name}, or use an AverageValue target`,
    });
  });
  return out;
}

/** Whether a metric does not follow the load (memory, or a bytes/memory-named custom metric). */
function isLoadIndependent(m: MetricSpec): boolean {
  if (m.type === 'Resource' || m.type === 'ContainerResource') return (m.resource ?? m.containerResource)?.name === 'memory';
  const name = (m.pods ?? m.object ?? m.external)?.metric.name ?? '';
  return /memory|_bytes$/.test(name);
}

const REFERENCE_REQUEST_MILLI = 1_000_000;

function fixedPointRules(entry: HpaEntry): Finding[] {
  const out: Finding[] = [];
  const metrics = entry.hpa.spec.metrics ?? [];
  metrics.forEach((m, i) => {
    if (!isLoadIndependent(m)) return;
    const target = (m.resource ?? m.containerResource ?? m.pods ?? m.object ?? m.external)?.target;
    if (!target) return;
    // One metric alone, every pod reading the same value whatever the replica count (it does not follow load).
    const hpa: HorizontalPodAutoscaler = { ...entry.hpa, spec: { ...entry.hpa.spec, minReplicas: 1, maxReplicas: Math.min(entry.hpa.spec.maxReplicas, 50), metrics: [m] } };
    const targetMilli = target.type === 'Utilization' ? ((target.averageUtilization ?? 0) * REFERENCE_REQUEST_MILLI) / 100 : undefined;
    let perPodTargetMilli = targetMilli;
    if (perPodTargetMilli === undefined) {
      const q = target.averageValue ?? target.value;
      if (q === undefined) return;
      try {
        perPodTargetMilli = parseQuantityMilli(q);
      } catch {
        return;
      }
    }
    const fixed: number[] = [];
    for (let pct = 50; pct <= 150; pct++) {
      const value = Math.round((perPodTargetMilli * pct) / 100);
      const curve = replicaCurve({ hpa, values: [value], requestsMilli: { [(m.resource ?? m.containerResource)?.name ?? 'memory']: REFERENCE_REQUEST_MILLI } });
      if (curve.pattern === 'fixed-point') fixed.push(pct);
    }
    if (fixed.length === 0) return;
    const lo = fixed[0] as number;
    const hi = fixed[fixed.length - 1] as number;
    const others = metrics.filter((x, k) => k !== i && !isLoadIndependent(x)).length;
    const label = m.type === 'Resource' || m.type === 'ContainerResource' ? `${(m.resource ?? m.containerResource)?.name} ${target.type}` : `'${(m.pods ?? m.object ?? m.external)?.metric.name}'`;
    out.push({
      id: 'HPA402',
      severity: 'warning',
      location: entry.locate(`spec.metrics[${i}]`),
      message: `HPA '${entry.hpa.metadata.name}': ${label} does not follow load; with each pod at ${lo}–${hi} % of its target the engine's curve is a fixed point (f(x) = x at every size), above ${hi} % a staircase to maxReplicas`,
      why: `memory stays allocated when requests stop, so the per-pod value does not fall as pods are added or traffic ends: the HPA (taking the largest proposal${others > 0 ? ` over this and ${others} load metric(s)` : ''}) never scales down once pods sit in that band, and runs to maxReplicas above it — the blog's trap`,
      fix: others > 0 ? 'remove the memory metric and scale on the load metric alone (keep memory as a request/limit and an alert)' : 'scale on a metric that follows load (active requests, CPU, queue length) instead of memory',
    });
  });
  return out;
}

/** The key of a metric in a readings file (`cpu`, `memory`, a metric name), as `explain` names it. */
function readingKey(m: MetricSpec): string {
  return (m.resource ?? m.containerResource)?.name ?? (m.pods ?? m.object ?? m.external)?.metric.name ?? '';
}

/**
 * With readings: the whole HPA's curve at those per-pod values, against the curve without its
 * load-independent metrics. A fixed point or staircase that only the memory-like metric causes is
 * the blog's trap, at the user's own numbers.
 */
function readingsFixedPoint(entry: HpaEntry, model: LintModel): Finding[] {
  const readings = model.readings;
  const metrics = entry.hpa.spec.metrics ?? [];
  if (!readings || !metrics.some(isLoadIndependent)) return [];
  const { requests } = targetRequests(entry, model);
  const requestsMilli: Record<string, number> = { ...(requests ?? {}) };
  for (const [k, v] of Object.entries(readings.requests)) {
    try {
      requestsMilli[k] = parseQuantityMilli(v);
    } catch {
      /* a bad request is left out: Utilization then fails as in the cluster */
    }
  }
  const values = metrics.map((m) => {
    const raw = readings.metrics[readingKey(m)];
    if (raw === undefined) return undefined;
    const text = String(raw).trim();
    const request = requestsMilli[(m.resource ?? m.containerResource)?.name ?? ''];
    try {
      if (text.endsWith('%')) return request === undefined ? undefined : Math.round((request * Number(text.slice(0, -1))) / 100);
      return parseQuantityMilli(raw);
    } catch {
      return undefined;
    }
  });
  if (values.some((v) => v === undefined)) return [];
  const curve = (keep: (m: MetricSpec) => boolean) => {
    const kept = metrics.map((m, i) => [m, values[i] as number] as const).filter(([m]) => keep(m));
    return replicaCurve({ hpa: { ...entry.hpa, spec: { ...entry.hpa.spec, metrics: kept.map(([m]) => m) } }, values: kept.map(([, v]) => v), requestsMilli });
  };
  const all = curve(() => true);
  if (all.pattern !== 'fixed-point' && all.pattern !== 'staircase') return [];
  const loadOnly = metrics.some((m) => !isLoadIndependent(m)) ? curve((m) => !isLoadIndependent(m)) : undefined;
  if (loadOnly && loadOnly.pattern === all.pattern) return [];
  const i = metrics.findIndex(isLoadIndependent);
  const at = Object.entries(readings.metrics).map(([k, v]) => `${k} ${v}`).join(', ');
  return [
    {
      id: 'HPA402',
      severity: 'error',
      location: entry.locate(`spec.metrics[${i}]`),
      message: `HPA '${entry.hpa.metadata.name}': at the readings of ${readings.file} (${at}) the engine's curve is ${all.summary}`,
      why: `the ${readingKey(metrics[i] as MetricSpec)} metric does not fall with load, and the HPA takes the largest proposal${loadOnly ? `: without it the same readings give '${loadOnly.pattern}'${loadOnly.settlesAt === undefined ? '' : ` (settling at ${loadOnly.settlesAt})`}` : ''} — the blog's trap, at your numbers`,
      fix: loadOnly ? 'remove the memory-like metric and scale on the load metric alone' : 'scale on a metric that follows load (active requests, CPU, queue length)',
    },
  ];
}

function capacityRules(entry: HpaEntry, model: LintModel): Finding[] {
  if (model.nodes.length === 0) return [];
  const { requests } = targetRequests(entry, model);
  const asked = Object.entries(requests ?? {}).filter(([, v]) => v > 0);
  if (asked.length === 0) return [];
  let capacity = 0;
  for (const node of model.nodes) capacity += Math.min(...asked.map(([r, v]) => Math.floor((node.allocatableMilli[r] ?? 0) / v)));
  const max = entry.hpa.spec.maxReplicas;
  if (max <= capacity) return [];
  const per = asked.map(([r, v]) => `${r}: ${formatMilliQuantity(v)}`).join(', ');
  return [
    {
      id: 'HPA501',
      severity: 'warning',
      location: entry.locate('spec.maxReplicas'),
      message: `HPA '${entry.hpa.metadata.name}': maxReplicas ${max} is more than the ${model.nodes.length} node(s) can hold: ${capacity} pod(s) requesting ${per} (before any other pod)`,
      why: "pods past the capacity stay Pending: the HPA counts them in the replica count while they serve nothing, and the seeds' troubleshooting lists 'Insufficient cluster resources' as why an HPA does not scale",
      fix: `lower maxReplicas to ${capacity}, or add nodes (cluster autoscaler max size) so that ${max} pods fit`,
    },
  ];
}
