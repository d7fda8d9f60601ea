/**
 * Runs `k8s-hpa-conformance/v1` vectors (transcribed from Kubernetes' own HPA unit tests)
 * through the engine. Inputs are Kubernetes-shaped JSON; this file maps them onto the engine's
 * observation types and compares only what upstream asserts. See test/conformance/k8s-hpa/FORMAT.md.
 */
import {
  calculatePodRequestsFromContainers,
  calculateRequests,
  calculateScaleDownLimitWithBehaviors,
  calculateScaleUpLimitWithScalingRules,
  convertDesiredReplicasWithBehaviorRate,
  convertDesiredReplicasWithRules,
  createInitialState,
  formatInt64,
  getPerPodMetricReplicas,
  getPlainMetricReplicas,
  getReplicasChangePerPeriod,
  getResourceReplicas,
  getValueMetricReplicas,
  groupPods,
  parseQuantityMilli,
  reconcile,
  resourceSamples,
  stabilize,
  stabilizeWithBehaviors,
  storeScaleEvent,
  sumExternalPerPod,
  sumSaturating,
  LATEST_KUBERNETES_VERSION,
  checkGate,
  minorOf,
  parseKubernetesVersion,
  resolveFeatureGates,
  versionRuleApplies,
  type AutoscalerState,
  type FeatureGates,
  type CalcResult,
  type ContainerInfo,
  type HorizontalPodAutoscaler,
  type HorizontalPodAutoscalerStatus,
  type HPAScalingRules,
  type MetricReading,
  type MetricSpec,
  type Observation,
  type PodInfo,
  type PodMetricsItem,
  type PodSamples,
  type ReconcileInput,
  type ScaleEvent,
  type Tolerances,
} from '../engine/index.js';

export const K8S_HPA_FORMAT = 'k8s-hpa-conformance/v1';

export interface CaseResult {
  readonly id: string;
  readonly ok: boolean;
  readonly message?: string;
}

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const ms = (s: number | undefined): number | undefined => (s === undefined || s === null ? undefined : s * 1000);
const milli = (q: string | number | undefined): number | undefined => (q === undefined || q === null ? undefined : parseQuantityMilli(q));

function requestsOf(c: Json | undefined): Record<string, number> | undefined {
  const r = c?.['resources']?.['requests'] as Record<string, string> | undefined;
  if (!r) return undefined;
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(r)) out[k] = parseQuantityMilli(v);
  return out;
}

function container(c: Json): ContainerInfo {
  const req = requestsOf(c);
  return { name: String(c['name'] ?? ''), ...(req ? { requestsMilli: req } : {}), ...(c['restartPolicy'] ? { restartPolicy: String(c['restartPolicy']) } : {}) };
}

/** A core/v1 Pod (vector JSON) → the engine's PodInfo. */
export function toPodInfo(pod: Json): PodInfo {
  const meta = pod['metadata'] ?? {};
  const status = pod['status'] ?? {};
  const spec = pod['spec'] ?? {};
  const readyCond = (status['conditions'] as Json[] | undefined)?.find((c) => c['type'] === 'Ready');
  const podReq = requestsOf(spec);
  const start = ms(status['startTime']);
  return {
    name: String(meta['name']),
    ...(meta['labels'] ? { labels: meta['labels'] } : {}),
    phase: String(status['phase'] ?? 'Running'),
    ...(meta['deletionTimestamp'] !== undefined ? { deleting: true } : {}),
    ...(start !== undefined ? { startTimeMs: start } : {}),
    ...(readyCond ? { ready: { status: String(readyCond['status']), lastTransitionTimeMs: ms(readyCond['lastTransitionTime']) ?? -1e13 } } : {}),
    containers: ((spec['containers'] as Json[] | undefined) ?? []).map(container),
    ...(spec['initContainers'] ? { initContainers: (spec['initContainers'] as Json[]).map(container) } : {}),
    ...(podReq ? { podRequestsMilli: podReq } : {}),
  };
}

function toPodMetrics(items: Json[]): PodMetricsItem[] {
  return items.map((m) => ({
    podName: String(m['metadata']?.['name']),
    timestampMs: ms(m['timestamp']) ?? 0,
    windowSeconds: Number(m['window'] ?? 60),
    containers: ((m['containers'] as Json[] | undefined) ?? []).map((c) => {
      const usage: Record<string, number> = {};
      for (const [k, v] of Object.entries((c['usage'] ?? {}) as Record<string, string>)) usage[k] = parseQuantityMilli(v);
      return { name: String(c['name'] ?? ''), usageMilli: usage };
    }),
  }));
}

function podValues(items: Json[]) {
  return items.map((v) => ({
    podName: String(v['describedObject']?.['name']),
    valueMilli: parseQuantityMilli(v['value']),
    timestampMs: ms(v['timestamp']) ?? 0,
    ...(v['windowSeconds'] !== undefined ? { windowSeconds: Number(v['windowSeconds']) } : {}),
  }));
}

function toleranceOf(input: Json): Tolerances {
  const t = input['tolerances'] ?? {};
  const tol = { scaleUp: Number(t['scaleUp'] ?? 0.1), scaleDown: Number(t['scaleDown'] ?? 0.1) };
  // Before 1.33 upstream tested |1 - ratio| <= tolerance.
  return minorOf(env.kubernetesVersion) < 33 ? { ...tol, absolute: true } : tol;
}

function events(list: Json[] | undefined): ScaleEvent[] {
  return (list ?? []).map((e) => ({ replicaChange: Number(e['replicaChange']), timestampMs: ms(e['timestamp']) ?? 0, outdated: Boolean(e['outdated']) }));
}

function recs(list: Json[]) {
  return list.map((r) => ({ recommendation: Number(r['recommendation']), timestampMs: ms(r['timestamp']) ?? 0 }));
}

function rules(r: Json | null | undefined): HPAScalingRules {
  return (r ?? {});
}

// ---------------------------------------------------------------------------------------------

class Mismatch extends Error {}

function expectEq(field: string, got: unknown, want: unknown): void {
  if (JSON.stringify(got) !== JSON.stringify(want)) {
    throw new Mismatch(`${field}: got ${JSON.stringify(got)}, want ${JSON.stringify(want)}`);
  }
}

function expectError(got: string | undefined, want: Json | null | undefined): boolean {
  if (want === null || want === undefined) {
    if (got !== undefined) throw new Mismatch(`unexpected error: ${got}`);
    return false;
  }
  if (got === undefined) throw new Mismatch(`expected an error (${JSON.stringify(want)}), got success`);
  if (want['contains'] !== undefined && !got.includes(String(want['contains']))) {
    throw new Mismatch(`error ${JSON.stringify(got)} does not contain ${JSON.stringify(want['contains'])}`);
  }
  if (want['equals'] !== undefined && got !== want['equals']) {
    throw new Mismatch(`error ${JSON.stringify(got)} is not ${JSON.stringify(want['equals'])}`);
  }
  return true;
}

/** The version of vectors that name none: the release the first transcription followed. */
const UNPINNED_VECTOR_VERSION = '1.35';

/** The Kubernetes version and gates a case runs under (see FORMAT.md, `kubernetesVersion`). */
interface CaseEnv {
  readonly kubernetesVersion: string;
  readonly featureGates: FeatureGates;
}

let env: CaseEnv = { kubernetesVersion: LATEST_KUBERNETES_VERSION, featureGates: resolveFeatureGates(LATEST_KUBERNETES_VERSION) };

/**
 * Version: the case's `kubernetesVersion`, else its input's, else the file's, else 1.35: the version the
 * unpinned upstream vectors were transcribed from (so a copy without the field still runs as written).
 * Gates: that version's defaults, overridden by the file's, the case's, `input.controller`'s and
 * `input`'s `featureGates` (later wins).
 */
function caseEnv(doc: Json, c: Json): CaseEnv {
  const input = (c['input'] ?? {}) as Json;
  const raw = c['kubernetesVersion'] ?? input['kubernetesVersion'] ?? doc['kubernetesVersion'] ?? UNPINNED_VECTOR_VERSION;
  const v = parseKubernetesVersion(String(raw));
  if (!v.ok) throw new Mismatch(`kubernetesVersion: ${v.error}`);
  const overrides: Record<string, boolean> = {};
  for (const src of [doc['featureGates'], c['featureGates'], input['controller']?.['featureGates'], input['featureGates']] as (Json | undefined)[]) {
    for (const [k, val] of Object.entries(src ?? {})) {
      const g = checkGate(k, Boolean(val), v.version);
      if (!g.ok) throw new Mismatch(`featureGates: ${g.error}`);
      overrides[g.name] = g.value;
    }
  }
  return { kubernetesVersion: v.version, featureGates: resolveFeatureGates(v.version, overrides) };
}

function settingsOf(input: Json) {
  const c = input['controller'] ?? {};
  return {
    cpuInitializationPeriodSeconds: Number(c['cpuInitializationPeriodSeconds'] ?? 300),
    delayOfInitialReadinessStatusSeconds: Number(c['delayOfInitialReadinessStatusSeconds'] ?? 30),
    podLevelResources: env.featureGates.PodLevelResources,
    ignoreSucceededPods: versionRuleApplies('IgnoreSucceededPods', env.kubernetesVersion),
    nowMs: 0,
  };
}

function runReplicaCalc(input: Json, expect: Json): void {
  const fn = String(input['function']);
  const spec = input['metric'] as MetricSpec;
  const pods = ((input['pods'] as Json[] | undefined) ?? []).map(toPodInfo);
  const metrics = (input['metrics'] ?? {}) as Json;
  const tolerances = toleranceOf(input);
  const current = Number(input['currentReplicas']);
  const settings = settingsOf(input);
  let r: CalcResult;
  const target = (spec.resource ?? spec.containerResource ?? spec.pods ?? spec.object ?? spec.external)?.target ?? { type: '' };
  switch (fn) {
    case 'GetResourceReplicas':
    case 'GetRawResourceReplicas': {
      const src = spec.containerResource ?? spec.resource;
      const resource = src?.name ?? 'cpu';
      const cont = spec.containerResource?.container ?? '';
      const items = toPodMetrics((metrics['resource'] as Json[] | undefined) ?? []);
      if (items.length === 0) {
        r = { ok: false, error: `unable to get metrics for resource ${resource}: no metrics returned from resource metrics API` };
        break;
      }
      const samples = resourceSamples(items, resource, cont);
      const base = { currentReplicas: current, samples, pods, resource, container: cont, tolerances, settings };
      r =
        fn === 'GetResourceReplicas'
          ? getResourceReplicas({ ...base, targetUtilization: Number(target.averageUtilization) })
          : getPlainMetricReplicas({ ...base, targetUsage: milli(target.averageValue) ?? 0 });
      break;
    }
    case 'GetMetricReplicas': {
      const vals = podValues((metrics['pods'] as Json[] | undefined) ?? []);
      if (vals.length === 0) {
        r = { ok: false, error: `unable to get metric ${spec.pods?.metric.name}: no metrics returned from custom metrics API` };
        break;
      }
      const samples: PodSamples = new Map(vals.map((v) => [v.podName, { value: v.valueMilli, timestampMs: v.timestampMs, windowSeconds: v.windowSeconds ?? 60 }]));
      r = getPlainMetricReplicas({ currentReplicas: current, samples, pods, resource: '', targetUsage: milli(target.averageValue) ?? 0, tolerances, settings });
      break;
    }
    case 'GetObjectMetricReplicas':
    case 'GetObjectPerPodMetricReplicas': {
      const obj = (metrics['object'] as Json[] | undefined)?.[0];
      if (!obj) {
        r = { ok: false, error: `unable to get metric ${spec.object?.metric.name}: no object metric` };
        break;
      }
      const usage = parseQuantityMilli(obj['value']);
      r =
        fn === 'GetObjectMetricReplicas'
          ? getValueMetricReplicas({ currentReplicas: current, usage, targetUsage: milli(target.value) ?? 0, tolerances, pods })
          : getPerPodMetricReplicas({ statusReplicas: current, usage, targetAverageUsage: milli(target.averageValue) ?? 0, tolerances });
      break;
    }
    case 'GetExternalMetricReplicas':
    case 'GetExternalPerPodMetricReplicas': {
      const vals = ((metrics['external'] as Json[] | undefined) ?? []).map((v) => parseQuantityMilli(v['value']));
      if (vals.length === 0) {
        r = { ok: false, error: `unable to get external metric ${spec.external?.metric.name}: no metrics returned from external metrics API` };
        break;
      }
      if (fn === 'GetExternalMetricReplicas') {
        r = getValueMetricReplicas({ currentReplicas: current, usage: sumSaturating(vals), targetUsage: milli(target.value) ?? 0, tolerances, pods });
      } else {
        const sum = sumExternalPerPod(vals);
        r = getPerPodMetricReplicas({ statusReplicas: current, usage: sum.usage, targetAverageUsage: milli(target.averageValue) ?? 0, tolerances, saturated: sum.saturated });
      }
      break;
    }
    default:
      throw new Mismatch(`unknown replicaCalc function '${fn}'`);
  }
  if (expectError(r.ok ? undefined : r.error, expect['error'])) return;
  if (!r.ok) return;
  if ('replicas' in expect) expectEq('replicas', r.replicas, expect['replicas']);
  if ('utilization' in expect) expectEq('utilization', r.utilization, expect['utilization']);
  if ('rawValue' in expect) expectEq('rawValue', formatInt64(r.usage), expect['rawValue']);
  if ('usage' in expect) expectEq('usage', formatInt64(r.usage), expect['usage']);
}

function runGroupPods(input: Json, expect: Json): void {
  const pods = ((input['pods'] as Json[] | undefined) ?? []).map(toPodInfo);
  const samples: PodSamples = new Map();
  for (const [name, m] of Object.entries((input['podMetrics'] ?? {}) as Record<string, Json>)) {
    samples.set(name, { value: Number(m['value'] ?? 0), timestampMs: ms(m['timestamp']) ?? 0, windowSeconds: Number(m['window'] ?? 60) });
  }
  const g = groupPods(pods, samples, { resource: String(input['resource'] ?? ''), ...settingsOf(input) });
  expectEq('readyPodCount', g.readyPodCount, expect['readyPodCount']);
  expectEq('unreadyPods', [...g.unreadyPods].sort(), [...(expect['unreadyPods'] ?? [])].sort());
  expectEq('missingPods', [...g.missingPods].sort(), [...(expect['missingPods'] ?? [])].sort());
  expectEq('ignoredPods', [...g.ignoredPods].sort(), [...(expect['ignoredPods'] ?? [])].sort());
}

function runPodRequests(input: Json, expect: Json): void {
  const pods = ((input['pods'] as Json[] | undefined) ?? []).map(toPodInfo);
  const resource = String(input['resource'] ?? 'cpu');
  if (input['helper'] === 'calculatePodRequestsFromContainers') {
    const pod = pods[0];
    if (!pod) throw new Mismatch('helper case needs one pod');
    const r = calculatePodRequestsFromContainers(pod, resource);
    if (expectError(r.ok ? undefined : r.error, expect['error'])) return;
    if (r.ok && expect['requests']) expectEq('requests', { [pod.name]: r.request }, expect['requests']);
    return;
  }
  const r = calculateRequests(pods, {
    resource,
    container: String(input['container'] ?? ''),
    podLevelResources: env.featureGates.PodLevelResources,
  });
  if (expectError(r.ok ? undefined : r.error, expect['error'])) return;
  if (r.ok && expect['requests'] !== undefined) expectEq('requests', Object.fromEntries(r.requests), expect['requests']);
}

function runBehavior(input: Json, expect: Json): void {
  const op = String(input['op']);
  const c = input['controller'] ?? {};
  switch (op) {
    case 'convertDesiredReplicasWithRules': {
      const r = convertDesiredReplicasWithRules({
        currentReplicas: Number(input['currentReplicas']),
        desiredReplicas: Number(input['desiredReplicas']),
        minReplicas: Number(input['minReplicas']),
        maxReplicas: Number(input['maxReplicas']),
        scaleUpLimitFactor: Number(c['scaleUpLimitFactor'] ?? 2),
        scaleUpLimitMinimum: Number(c['scaleUpLimitMinimum'] ?? 4),
      });
      if ('replicas' in expect) expectEq('replicas', r.replicas, expect['replicas']);
      if ('reason' in expect) expectEq('reason', r.reason, expect['reason']);
      return;
    }
    case 'calculateScaleUpLimitWithScalingRules':
    case 'calculateScaleDownLimitWithBehaviors': {
      const args = {
        currentReplicas: Number(input['currentReplicas']),
        scaleUpEvents: events(input['scaleUpEvents']),
        scaleDownEvents: events(input['scaleDownEvents']),
        rules: rules(input['rules']),
        nowMs: 0,
      };
      const limit = op === 'calculateScaleUpLimitWithScalingRules' ? calculateScaleUpLimitWithScalingRules(args) : calculateScaleDownLimitWithBehaviors(args);
      expectEq('limit', limit, expect['limit']);
      return;
    }
    case 'stabilizeRecommendation': {
      const r = stabilize({
        recommendations: recs(input['recommendations'] ?? []),
        desiredReplicas: Number(input['desiredReplicas']),
        nowMs: 0,
        windowSeconds: Number(c['downscaleStabilizationWindowSeconds'] ?? 300),
      });
      expectEq('replicas', r.replicas, expect['replicas']);
      if ('recommendationsLength' in expect) expectEq('recommendationsLength', r.recommendations.length, expect['recommendationsLength']);
      return;
    }
    case 'stabilizeRecommendationWithBehaviors': {
      const r = stabilizeWithBehaviors({
        recommendations: recs(input['recommendations'] ?? []),
        currentReplicas: Number(input['currentReplicas']),
        desiredReplicas: Number(input['desiredReplicas']),
        nowMs: 0,
        scaleUpWindowSeconds: Number(input['scaleUp']?.['stabilizationWindowSeconds'] ?? 0),
        scaleDownWindowSeconds: Number(input['scaleDown']?.['stabilizationWindowSeconds'] ?? c['downscaleStabilizationWindowSeconds'] ?? 300),
      });
      expectEq('replicas', r.replicas, expect['replicas']);
      if ('storedRecommendations' in expect) {
        expectEq('storedRecommendations', r.recommendations.map((x) => x.recommendation), expect['storedRecommendations']);
      }
      return;
    }
    case 'convertDesiredReplicasWithBehaviorRate': {
      const r = convertDesiredReplicasWithBehaviorRate({
        currentReplicas: Number(input['currentReplicas']),
        desiredReplicas: Number(input['desiredReplicas']),
        minReplicas: Number(input['minReplicas']),
        maxReplicas: Number(input['maxReplicas']),
        scaleUp: rules(input['scaleUp']),
        scaleDown: rules(input['scaleDown']),
        scaleUpEvents: events(input['scaleUpEvents']),
        scaleDownEvents: events(input['scaleDownEvents']),
        nowMs: 0,
      });
      if ('replicas' in expect) expectEq('replicas', r.replicas, expect['replicas']);
      if ('reason' in expect) expectEq('reason', r.reason, expect['reason']);
      return;
    }
    case 'storeScaleEvent': {
      const up = input['direction'] === 'up';
      const history = events(input['events']);
      const before = getReplicasChangePerPeriod(Number(input['changePerPeriodSeconds'] ?? 0), history, 0);
      if ('replicasChangePerPeriodBefore' in expect) expectEq('replicasChangePerPeriodBefore', before, expect['replicasChangePerPeriodBefore']);
      const stored = storeScaleEvent({
        behavior: (input['behavior'] ?? null) as HorizontalPodAutoscaler['spec']['behavior'],
        scaleUpEvents: up ? history : [],
        scaleDownEvents: up ? [] : history,
        prevReplicas: Number(input['prevReplicas']),
        newReplicas: Number(input['newReplicas']),
        nowMs: 0,
      });
      const after = up ? stored.scaleUpEvents : stored.scaleDownEvents;
      if ('events' in expect) {
        expectEq('events', after.map((e) => ({ replicaChange: e.replicaChange, outdated: e.outdated })), expect['events']);
      }
      return;
    }
    default:
      throw new Mismatch(`unknown behavior op '${op}'`);
  }
}

function toStatus(s: Json | undefined): HorizontalPodAutoscalerStatus {
  const st = s ?? {};
  const lst = ms(st['lastScaleTime']);
  return {
    currentReplicas: Number(st['currentReplicas'] ?? 0),
    desiredReplicas: Number(st['desiredReplicas'] ?? 0),
    ...(lst !== undefined ? { lastScaleTime: lst } : {}),
    ...(st['currentMetrics'] ? { currentMetrics: st['currentMetrics'] } : {}),
    ...(st['conditions']
      ? {
          conditions: (st['conditions'] as Json[]).map((c) => ({
            type: c['type'],
            status: c['status'],
            reason: String(c['reason'] ?? ''),
            message: String(c['message'] ?? ''),
            lastTransitionTime: ms(c['lastTransitionTime']) ?? -1e13,
          })),
        }
      : {}),
  };
}

/** Builds the engine's observation for a `reconcile` vector (fakes serve every level to every API). */
export function reconcileObservation(input: Json): Observation {
  const faults = (input['faults'] ?? {}) as Json;
  const metrics = (input['metrics'] ?? {}) as Json;
  const hpa = input['hpa'] as Json;
  const specs = (hpa['spec']?.['metrics'] ?? []) as MetricSpec[];
  const failed = (which: string) => (faults[which] === 'error' ? { error: 'something went wrong' } : undefined);
  const readings: MetricReading[] = specs.map((m) => {
    switch (m.type) {
      case 'Resource':
      case 'ContainerResource':
        return failed('resourceMetrics') ?? { podMetrics: toPodMetrics((metrics['resource'] as Json[] | undefined) ?? []) };
      case 'Pods':
        return failed('customMetrics') ?? { podValues: podValues((metrics['pods'] as Json[] | undefined) ?? []) };
      case 'Object': {
        const obj = (metrics['object'] as Json[] | undefined)?.[0];
        return failed('customMetrics') ?? (obj ? { valueMilli: parseQuantityMilli(obj['value']), timestampMs: ms(obj['timestamp']) ?? 0 } : { error: 'no object metric served' });
      }
      case 'External':
        return failed('externalMetrics') ?? { valuesMilli: ((metrics['external'] as Json[] | undefined) ?? []).map((v) => parseQuantityMilli(v['value'])) };
      default:
        return { error: `no metrics API for type ${String(m.type)}` };
    }
  });
  const scale = input['scale'] as Json;
  return {
    scale:
      faults['getScale'] === 'error'
        ? { error: 'something went wrong' }
        : {
            specReplicas: Number(scale['spec']?.['replicas'] ?? 0),
            statusReplicas: Number(scale['status']?.['replicas'] ?? 0),
            selector: String(scale['status']?.['selector'] ?? ''),
          },
    pods: ((input['pods'] as Json[] | undefined) ?? []).map(toPodInfo),
    metrics: readings,
    ...(input['otherHpas'] ? { otherHpas: (input['otherHpas'] as Json[]).map((h) => ({ name: String(h['name']), selector: String(h['selector'] ?? '') })) } : {}),
  };
}

function reconcileInputFrom(input: Json): ReconcileInput {
  const c = input['controller'] ?? {};
  const hpaJson = input['hpa'] as Json;
  const hpa: HorizontalPodAutoscaler = { metadata: hpaJson['metadata'], spec: hpaJson['spec'], status: toStatus(hpaJson['status']) };
  const st = input['state'] ?? {};
  const state: AutoscalerState = {
    ...createInitialState(),
    recommendations: st['recommendations'] === null || st['recommendations'] === undefined ? null : recs(st['recommendations']),
    scaleUpEvents: events(st['scaleUpEvents']),
    scaleDownEvents: events(st['scaleDownEvents']),
  };
  const config = {
    tolerance: Number(c['tolerance'] ?? 0.1),
    downscaleStabilizationWindowSeconds: Number(c['downscaleStabilizationWindowSeconds'] ?? 300),
    cpuInitializationPeriodSeconds: Number(c['cpuInitializationPeriodSeconds'] ?? 300),
    delayOfInitialReadinessStatusSeconds: Number(c['delayOfInitialReadinessStatusSeconds'] ?? 30),
    scaleUpLimitFactor: Number(c['scaleUpLimitFactor'] ?? 2),
    scaleUpLimitMinimum: Number(c['scaleUpLimitMinimum'] ?? 4),
    kubernetesVersion: env.kubernetesVersion,
    featureGates: env.featureGates,
  };
  return { hpa, observation: reconcileObservation(input), state, nowMs: 0, config };
}

/**
 * The engine input of a `reconcile` case (with its file's version and gates), or `undefined`
 * for other kinds: lets tests run the vectors through other entry points (the fast path).
 */
export function reconcileInputOfCase(c: Json, doc: Json = {}): ReconcileInput | undefined {
  if (c['kind'] !== 'reconcile' || !c['input']) return undefined;
  env = caseEnv(doc, c);
  return reconcileInputFrom(c['input'] as Json);
}

function runReconcile(input: Json, expect: Json): void {
  const { hpa, observation, state, config } = reconcileInputFrom(input);
  let result = reconcile({ hpa, observation, state, nowMs: 0, config });
  let scaleUpdated = result.decision.scaleTo !== null;
  if (scaleUpdated && input['faults']?.['updateScale'] === 'error') {
    result = reconcile({ hpa, observation: { ...observation, rescaleError: 'something went wrong' }, state, nowMs: 0, config });
    scaleUpdated = false;
  }
  const d = result.decision;
  if ('desiredReplicas' in expect) expectEq('desiredReplicas', d.status.desiredReplicas, expect['desiredReplicas']);
  if ('scaleUpdated' in expect) expectEq('scaleUpdated', scaleUpdated, expect['scaleUpdated']);
  if ('scaleReplicas' in expect && scaleUpdated) expectEq('scaleReplicas', d.scaleTo, expect['scaleReplicas']);
  if ('conditions' in expect) {
    expectEq(
      'conditions',
      (d.status.conditions ?? []).map((x) => ({ type: x.type, status: x.status, reason: x.reason })),
      (expect['conditions'] as Json[]).map((x) => ({ type: x['type'], status: x['status'], reason: x['reason'] })),
    );
  }
  if ('cpuAverageUtilization' in expect) {
    const cpu = d.status.currentMetrics?.find((m) => m?.type === 'Resource' && m.resource?.name === 'cpu');
    expectEq('cpuAverageUtilization', cpu?.resource?.current.averageUtilization, expect['cpuAverageUtilization']);
  }
  if ('event' in expect) {
    if (expect['event'] === null) expectEq('events', d.events, []);
    else {
      const e = expect['event'] as Json;
      const found = d.events.find((x) => x.reason === e['reason']);
      expectEq('event', found ? { type: found.type, reason: found.reason, message: found.message } : null, { type: e['type'], reason: e['reason'], message: e['message'] });
    }
  }
  if ('statusUpdated' in expect) expectEq('statusUpdated', d.statusChanged, expect['statusUpdated']);
}

/** Runs one case (file-level `kubernetesVersion`/`featureGates` from `doc`); never throws. */
export function runK8sHpaCase(c: Json, doc: Json = {}): CaseResult {
  const id = String(c['id'] ?? '(no id)');
  try {
    env = caseEnv(doc, c);
    const input = c['input'] as Json;
    const expect = c['expect'] as Json;
    if (!input || !expect) throw new Mismatch("case needs 'input' and 'expect'");
    switch (c['kind']) {
      case 'replicaCalc':
        runReplicaCalc(input, expect);
        break;
      case 'groupPods':
        runGroupPods(input, expect);
        break;
      case 'podRequests':
        runPodRequests(input, expect);
        break;
      case 'behavior':
        runBehavior(input, expect);
        break;
      case 'reconcile':
        runReconcile(input, expect);
        break;
      default:
        throw new Mismatch(`unknown kind '${String(c['kind'])}' (expected replicaCalc, groupPods, podRequests, behavior or reconcile)`);
    }
    return { id, ok: true };
  } catch (e) {
    return { id, ok: false, message: e instanceof Mismatch ? e.message : `crashed: ${(e as Error).message}` };
  }
}

export function isK8sHpaVectorFile(doc: unknown): boolean {
  return typeof doc === 'object' && doc !== null && (doc as Json)['format'] === K8S_HPA_FORMAT;
}

/** Runs every case of a parsed vector file. */
export function runK8sHpaVectorFile(doc: unknown): CaseResult[] {
  const cases = ((doc as Json)['cases'] as Json[] | undefined) ?? [];
  return cases.map((c) => runK8sHpaCase(c, doc as Json));
}
