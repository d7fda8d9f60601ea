/**
 * The simulation's event loop: virtual time in steps of `stepSeconds`; traffic arrives each step;
 * metrics-server and Prometheus scrape on their intervals; every `syncPeriodSeconds` each HPA
 * reads its metrics through the pipeline, the engine decides, and the deployment is scaled.
 * Pure and deterministic: the same scenario and seed give a deep-equal result.
 *
 * Speed: the seconds between two events (scrape, sync, progress) run in one tight loop, in
 * `ServiceSim.advanceReady` while the service is in its usual state; what a sync builds (pod
 * list, metric readings, observation) is reused while unchanged; timeline rows are staged in a
 * block. None of this changes a result: the arithmetic and the random stream are those of the
 * plain step-by-step loop.
 */
import {
  applyHpaDefaults,
  reconcile,
  resolveControllerConfig,
  createInitialState,
  type AutoscalerState,
  type Decision,
  type HorizontalPodAutoscaler,
  type HpaEvent,
  type MetricReading,
  type Observation,
  type PodInfo,
  type ScaleSubresource,
} from '../engine/index.js';
import { ColumnBuffer } from './column-buffer.js';
import { DEFAULT_SERVICE_MODEL } from './defaults.js';
import { FindingsCollector } from './findings.js';
import { MetricsPipeline } from './pipeline.js';
import { toPodInfo, type PodInfoOptions } from './pods.js';
import { PoissonSampler } from './poisson.js';
import { createSeededRng } from '../core/index.js';
import { HpaStats, metricShortName, summarizeService } from './summary.js';
import { createTraffic, sampleArrivals } from './traffic.js';
import type { HpaSeries, ServiceModel, Scenario, SimEvent, SimOptions, SimResult, Timeline, WatchLine } from './types.js';
import type { LatencyPercentiles } from './latency.js';
import { ServiceSim } from './workload-model.js';
import { warmedUpState } from './warm-up.js';

/** Identical events closer than this merge (the event correlator's 10-minute window). */
const EVENT_MERGE_SECONDS = 600;

interface HpaRun {
  readonly hpa: HorizontalPodAutoscaler;
  readonly name: string;
  readonly service: ServiceSim;
  readonly stats: HpaStats;
  readonly series: HpaSeries;
  readonly selector: string;
  readonly podOptions: PodInfoOptions;
  state: AutoscalerState;
  /** The pods of the last observation (reused while no pod changed). */
  podInfos: PodInfo[];
  /** The last observation (reused when nothing in it changed). */
  observation: Observation | undefined;
  /** `podInfos` holds while the service's `podsVersion` is this and t < `podInfosUntil`. */
  podInfosVersion: number;
  podInfosUntil: number;
  readonly marks: ServiceMarks;
  lastDecision: Decision | undefined;
  lastWatch: WatchLine | undefined;
}

interface ServiceMarks {
  arrivalsAtPoint: number;
  droppedAtPoint: number;
  tAtPoint: number;
  arrivalsAtSync: number;
  /** Offered load over the last sync period. */
  syncLoad: number;
  latency: LatencyPercentiles | undefined;
}

/**
 * Runs a scenario in virtual time.
 *
 * @throws {RangeError} when the scenario's timing is inconsistent (non-positive duration or
 *   step, a step longer than the sync period or a scrape interval, an HPA without scale target)
 * @example
 * const result = runSimulation(scenario, { seed: 1 });
 * result.summary.hpas[0].peakReplicas; // -> 8
 */
export function runSimulation(scenario: Scenario, options: SimOptions): SimResult {
  const seed = options.seed;
  const dt = scenario.stepSeconds;
  const pipelineConfig = scenario.pipeline;
  const syncPeriod = pipelineConfig.syncPeriodSeconds;
  checkTiming(scenario);
  const controller = scenario.controller;
  const controllerConfig = resolveControllerConfig(controller);
  const engine = options.reconcile ?? reconcile;

  // Deployments: every HPA target and every modelled service.
  const services = new Map<string, ServiceSim>();
  const addService = (name: string): ServiceSim => {
    let svc = services.get(name);
    if (svc === undefined) {
      const model: ServiceModel = scenario.services[name] ?? DEFAULT_SERVICE_MODEL;
      svc = new ServiceSim(name, model, { dtSeconds: dt, sloLatencySeconds: scenario.sloLatencySeconds });
      services.set(name, svc);
    }
    return svc;
  };
  const hpas = scenario.hpas.map(applyHpaDefaults);
  for (const hpa of hpas) addService(hpa.spec.scaleTargetRef.name);
  for (const name of Object.keys(scenario.services)) addService(name);
  for (const svc of services.values()) {
    const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === svc.name);
    const min = hpa?.spec.minReplicas ?? 1;
    svc.start(svc.model.initialReplicas ?? min);
  }
  const serviceList = [...services.values()];
  const shares = serviceList.map((s) => s.model.trafficShare);
  // Marks of each service, by index in serviceList.
  const markList: ServiceMarks[] = serviceList.map(() => ({ arrivalsAtPoint: 0, droppedAtPoint: 0, tAtPoint: 0, arrivalsAtSync: 0, syncLoad: 0, latency: undefined }));

  const rng = createSeededRng(seed);
  const traffic = createTraffic(scenario.traffic, {
    rng: createSeededRng((seed ^ 0x9e3779b9) >>> 0),
    ...(scenario.trafficPoints === undefined ? {} : { points: scenario.trafficPoints }),
  });
  const meanRate = traffic.meanRpsAt ?? traffic.rpsAt;
  const pipeline = new MetricsPipeline(services, { config: pipelineConfig, externalMetrics: scenario.externalMetrics });
  // metrics-server's samples are read only for Resource metrics (and by findings about them):
  // without any, its scrapes would have no effect and are not scheduled.
  const readsResources = hpas.some((h) => (h.spec.metrics ?? []).some((m) => m.type === 'Resource' || m.type === 'ContainerResource'));
  const findings = new FindingsCollector({ config: controllerConfig, syncPeriodSeconds: syncPeriod, pipeline });

  const timeline: Timeline = { t: [], rps: [], hpas: [] };
  const events: SimEvent[] = [];
  const watch: WatchLine[] = [];
  const runs: HpaRun[] = hpas.map((hpa) => {
    const svc = services.get(hpa.spec.scaleTargetRef.name)!;
    const name = hpa.metadata.name;
    const ref = hpa.spec.scaleTargetRef;
    const series: HpaSeries = {
      hpa: name,
      reference: `${ref.kind}/${ref.name}`,
      service: svc.name,
      replicas: [],
      readyReplicas: [],
      desiredReplicas: [],
      pods: [],
      metrics: (hpa.spec.metrics ?? []).map((m) => ({ name: metricShortName(m), type: String(m.type), targetType: targetTypeOf(m), current: [], target: [], proposal: [] })),
      load: [],
      activePerPod: [],
      queue: [],
      latencyP50: [],
      latencyP95: [],
      latencyP99: [],
      dropped: [],
    };
    timeline.hpas.push(series);
    const requests = svc.model.requests;
    const requestsMilli: Record<string, number> = {};
    if (requests.cpuMillicores !== undefined) requestsMilli['cpu'] = requests.cpuMillicores;
    if (requests.memoryBytes !== undefined) requestsMilli['memory'] = requests.memoryBytes * 1000;
    return {
      hpa,
      name,
      service: svc,
      stats: new HpaStats(hpa, svc, { downscaleWindowSeconds: controllerConfig.downscaleStabilizationWindowSeconds, syncPeriodSeconds: syncPeriod }),
      series,
      selector: `app=${svc.name}`,
      podOptions: {
        labels: { app: svc.name },
        containers: [Object.keys(requestsMilli).length > 0 ? { name: svc.model.containerName, requestsMilli } : { name: svc.model.containerName }],
      },
      state: scenario.warmUpSeconds ? warmedUpState({ replicas: svc.model.initialReplicas ?? hpa.spec.minReplicas ?? 1, warmUpSeconds: scenario.warmUpSeconds, syncPeriodSeconds: syncPeriod }) : createInitialState(),
      podInfos: [],
      observation: undefined,
      podInfosVersion: -1,
      podInfosUntil: Number.NEGATIVE_INFINITY,
      marks: markList[serviceList.indexOf(svc)]!,
      lastDecision: undefined,
      lastWatch: undefined,
    };
  });

  // Identical events within 10 minutes are one event with a count, as Kubernetes' event
  // correlator does; rescales are kept one per occurrence so logs and plots show each.
  const recent = new Map<string, SimEvent>();
  const addEvent = (run: HpaRun, t: number, e: HpaEvent, rescale?: { from: number; to: number; rescaleReason: string }): void => {
    const key = `${run.name}\u0000${e.type}\u0000${e.reason}\u0000${e.message}`;
    const last = e.reason === 'SuccessfulRescale' ? undefined : recent.get(key);
    if (last !== undefined && t - last.lastT <= EVENT_MERGE_SECONDS) {
      last.count++;
      last.lastT = t;
      return;
    }
    const data = rescale && (e.reason === 'SuccessfulRescale' || e.reason === 'FailedRescale') ? rescale : {};
    const ev: SimEvent = { t, hpa: run.name, type: e.type, reason: e.reason, message: e.message, ...data, count: 1, lastT: t };
    events.push(ev);
    if (e.reason !== 'SuccessfulRescale') recent.set(key, ev);
  };

  let lastSyncT = 0;
  let syncIndex = 0;
  const sync = (t: number): void => {
    const span = t - lastSyncT;
    for (let j = 0; j < serviceList.length; j++) {
      const svc = serviceList[j]!;
      const mk = markList[j]!;
      mk.syncLoad = span > 0 ? (svc.arrivals - mk.arrivalsAtSync) / span : meanRate(t) * svc.model.trafficShare;
      mk.arrivalsAtSync = svc.arrivals;
    }
    lastSyncT = t;
    for (let r = 0; r < runs.length; r++) {
      const run = runs[r]!;
      const svc = run.service;
      const before = svc.specReplicas;
      run.stats.holdUntil(t);
      const observation = observe(run, { specReplicas: before, statusReplicas: svc.liveCount(), pods: podInfosOf(run, t), metrics: pipeline.readings(run.hpa, svc, t) });
      const { decision, state } = engine({ hpa: run.hpa, observation, state: run.state, nowMs: t * 1000, config: controller });
      run.state = state;
      run.lastDecision = decision;
      const result = decision.explanation.find((s) => s.kind === 'result');
      const rescale = result?.kind === 'result' ? { from: before, to: result.desiredReplicas, rescaleReason: result.reasonText } : undefined;
      for (const e of decision.events) addEvent(run, t, e, rescale);
      if (decision.scaleTo !== null && decision.scaleTo !== before) svc.scaleTo(decision.scaleTo, t);
      const lw = run.lastWatch;
      if (lw === undefined || lw.replicas !== svc.specReplicas || lw.desiredReplicas !== decision.desiredReplicas) {
        const line: WatchLine = { t, hpa: run.name, replicas: svc.specReplicas, desiredReplicas: decision.desiredReplicas, status: decision.status };
        watch.push(line);
        run.lastWatch = line;
      }
      run.stats.observeSync(t, decision, { before, periodSeconds: syncPeriod });
      findings.observeSync({ tSeconds: t, stats: run.stats, decision, observation, before, loadRps: run.marks.syncLoad });
    }
    const kept = syncIndex % scenario.timelineEverySyncs === 0;
    syncIndex++;
    if (kept) record(t);
  };

  // Timeline rows are staged in one block and appended to the columns a block at a time.
  const columns: number[][] = [timeline.t, timeline.rps];
  for (const run of runs) {
    const s = run.series;
    columns.push(s.replicas, s.readyReplicas, s.desiredReplicas, s.pods);
    for (const m of s.metrics) columns.push(m.current, m.target, m.proposal);
    columns.push(s.load, s.activePerPod, s.queue, s.latencyP50, s.latencyP95, s.latencyP99, s.dropped);
  }
  // Rows expected: one per kept sync (sized up front, trimmed at the end).
  const expectedRows = Math.ceil((Math.floor(scenario.durationSeconds / syncPeriod + 1e-9) + 1) / scenario.timelineEverySyncs);
  const rows = new ColumnBuffer(columns, { expectedRows });
  const record = (t: number): void => {
    const row = rows.data;
    let c = rows.next();
    row[c++] = t;
    row[c++] = meanRate(t);
    for (let j = 0; j < serviceList.length; j++) markList[j]!.latency = serviceList[j]!.latency.flushWindow();
    for (const run of runs) {
      const svc = run.service;
      const mk = run.marks;
      const s = run.series;
      const d = run.lastDecision;
      const ready = svc.readyCount(t);
      row[c++] = svc.specReplicas;
      row[c++] = ready;
      row[c++] = d?.desiredReplicas ?? svc.specReplicas;
      row[c++] = svc.pods.length;
      for (let i = 0; i < s.metrics.length; i++) {
        const p = d?.metrics[i];
        row[c++] = p?.current ?? Number.NaN;
        row[c++] = p?.target ?? Number.NaN;
        row[c++] = p?.proposal ?? Number.NaN;
      }
      const span = t - mk.tAtPoint;
      row[c++] = span > 0 ? (svc.arrivals - mk.arrivalsAtPoint) / span : meanRate(t) * svc.model.trafficShare;
      row[c++] = ready > 0 ? svc.totalActive() / ready : Number.NaN;
      row[c++] = svc.totalQueued();
      row[c++] = mk.latency?.p50 ?? Number.NaN;
      row[c++] = mk.latency?.p95 ?? Number.NaN;
      row[c++] = mk.latency?.p99 ?? Number.NaN;
      row[c++] = svc.dropped - mk.droppedAtPoint;
    }
    rows.commit();
    for (let j = 0; j < serviceList.length; j++) {
      const svc = serviceList[j]!;
      const mk = markList[j]!;
      mk.arrivalsAtPoint = svc.arrivals;
      mk.droppedAtPoint = svc.dropped;
      mk.tAtPoint = t;
    }
  };

  // The loop. Integer step counters keep times exact; events due at t run before the step from t.
  // A warm-up before t = 0 (no HPA syncs, traffic held at its t = 0 rate, fluid) fills the
  // initial pods' slots, queues and scrape history, so the run starts in steady state.
  const totalSteps = Math.ceil(scenario.durationSeconds / dt - 1e-9);
  const warmSteps = Math.ceil(warmUpSeconds(scenario, serviceList) / dt - 1e-9);
  const eps = dt * 1e-6;
  const resourceEvery = pipelineConfig.resourceMetricsResolutionSeconds;
  const scrapeEvery = pipelineConfig.scrapeIntervalSeconds;
  const firstDue = (every: number): number => Math.ceil((-warmSteps * dt - eps) / every) * every;
  let nextResource = firstDue(resourceEvery);
  let nextScrape = firstDue(scrapeEvery);
  let nextSync = 0;
  const progressEvery = Math.max(1, Math.floor(totalSteps / 100));
  const onProgress = options.onProgress;
  const fluid = scenario.arrivals === 'fluid';
  const half = dt / 2;
  const noisy = traffic.noise !== undefined;
  // For steps ≤ 1 s without gaussian noise, arrivals are Poisson(rate(t + dt/2) × dt) as in
  // sampleArrivals, drawn with an O(1) exact sampler.
  const poissonOnly = dt <= 1 && (traffic.noise === undefined || traffic.noise.type === 'poisson');
  const nServices = serviceList.length;
  const initialRps = meanRate(0);
  const sampler = poissonOnly && !fluid ? new PoissonSampler(seed) : undefined;
  const single = nServices === 1 ? serviceList[0]! : undefined;
  const share0 = shares[0]!;
  // One service with Poisson or noise-free fluid arrivals: runs of steps go to `advanceReady`.
  const fastArrivals = single !== undefined && (sampler !== undefined || (fluid && !noisy)) ? { rate: meanRate, sampler: sampler ?? null, share: share0 } : undefined;
  // Steps between events (scrapes, syncs, progress, the start and the end) run in tight loops;
  // the events at step i run first, in the order scrape resources, scrape custom, sync, as the
  // step-by-step loop had them. `due(x)` is the first step i with i × dt + eps ≥ x.
  const due = (x: number, from: number): number => {
    let j = Math.ceil((x - eps) / dt);
    if (j < from) j = from;
    while (j > from && (j - 1) * dt + eps >= x) j--;
    while (j * dt + eps < x) j++;
    return j;
  };
  let i = -warmSteps;
  let resourceStep = readsResources ? due(nextResource, i) : Number.POSITIVE_INFINITY;
  let scrapeStep = due(nextScrape, i);
  let syncStep = due(nextSync, 0);
  // onProgress follows the step i when i % progressEvery === 0 (i ≥ 0).
  let progressStep = onProgress === undefined ? Number.POSITIVE_INFINITY : 0;
  for (;;) {
    const t = i * dt;
    if (i === 0) for (const svc of serviceList) svc.resetCounters();
    if (i === resourceStep) {
      pipeline.scrapeResources(t);
      while (nextResource <= t + eps) nextResource += resourceEvery;
      resourceStep = due(nextResource, i + 1);
    }
    if (i === scrapeStep) {
      pipeline.scrapeCustom(t);
      while (nextScrape <= t + eps) nextScrape += scrapeEvery;
      scrapeStep = due(nextScrape, i + 1);
    }
    if (i < 0) {
      // Warm-up: steps up to the next scrape or t = 0, at the initial rate, fluid.
      const stop = Math.min(resourceStep, scrapeStep, 0);
      for (; i < stop; i++) {
        const tj = i * dt;
        for (let j = 0; j < nServices; j++) {
          const rps = initialRps * shares[j]!;
          serviceList[j]!.step(tj, rps * dt, rps);
        }
      }
      continue;
    }
    if (i === syncStep) {
      sync(t);
      while (nextSync <= t + eps) nextSync += syncPeriod;
      syncStep = due(nextSync, i + 1);
    }
    if (i === totalSteps) break;
    // Steps i .. stop - 1 have no event (the progress call follows step stop - 1). The noise-free
    // rate at a step's middle gives both the offered load and the expected count.
    const stop = Math.min(resourceStep, scrapeStep, syncStep, totalSteps, progressStep + 1);
    if (fastArrivals !== undefined) {
      // Runs of steps in the usual state go in one call; the others step by step.
      while (i < stop) {
        i = single!.advanceReady(i, stop, fastArrivals);
        if (i === stop) break;
        const tj = i * dt;
        const offered = meanRate(tj + half);
        single!.step(tj, (sampler === undefined ? offered * dt : sampler.draw(offered * dt)) * share0, offered * share0);
        i++;
      }
    } else {
      for (; i < stop; i++) {
        const tj = i * dt;
        const offered = meanRate(tj + half);
        const arrivals = fluid ? (noisy ? traffic.rpsAt(tj + half) : offered) * dt : sampler !== undefined ? sampler.draw(offered * dt) : sampleArrivals(traffic, tj, dt, rng);
        for (let j = 0; j < nServices; j++) {
          const share = shares[j]!;
          serviceList[j]!.step(tj, arrivals * share, offered * share);
        }
      }
    }
    if (i - 1 === progressStep) {
      onProgress!(progressStep / totalSteps);
      progressStep += progressEvery;
    }
  }
  rows.finish();
  for (const run of runs) run.stats.holdUntil(totalSteps * dt);
  for (const svc of serviceList) {
    svc.finish();
    svc.latency.flushWindow();
  }
  onProgress?.(1);

  const hpaSummaries = runs.map((r) => r.stats.toSummary(scenario.durationSeconds));
  const serviceSummaries = serviceList.map(summarizeService);
  const podHours = serviceList.reduce((a, s) => a + s.podSeconds, 0) / 3600;
  return {
    scenario: scenario.name,
    seed,
    durationSeconds: scenario.durationSeconds,
    stepSeconds: dt,
    syncPeriodSeconds: syncPeriod,
    hpas,
    timeline,
    events,
    watch,
    summary: { durationSeconds: scenario.durationSeconds, podHours, hpas: hpaSummaries, services: serviceSummaries },
    findings: findings.finish({ hpaSummaries, serviceSummaries }),
  };
}

/**
 * Seconds of warm-up: long enough for in-service requests to settle (10 mean service times) and
 * for the adapter to have the scrapes it averages, at least a minute, at most an hour.
 */
function warmUpSeconds(scenario: Scenario, services: readonly ServiceSim[]): number {
  const p = scenario.pipeline;
  let longest = 60;
  for (const svc of services) {
    longest = Math.max(longest, 10 * svc.serviceTime.meanSeconds);
    for (const m of Object.values(svc.model.metrics)) longest = Math.max(longest, m.averageOverSeconds + p.adapterDelaySeconds + 2 * p.scrapeIntervalSeconds);
  }
  return Math.min(3600, Math.max(longest, p.adapterDelaySeconds + 2 * p.scrapeIntervalSeconds, 2 * p.resourceMetricsResolutionSeconds));
}

/**
 * The observation of a sync: the previous one when its parts are the same (the engine and the
 * findings never mutate an observation).
 */
function observe(run: HpaRun, parts: { specReplicas: number; statusReplicas: number; pods: readonly PodInfo[]; metrics: readonly MetricReading[] }): Observation {
  const prev = run.observation;
  if (prev !== undefined && prev.pods === parts.pods && prev.metrics === parts.metrics) {
    const scale = prev.scale as ScaleSubresource;
    if (scale.specReplicas === parts.specReplicas && scale.statusReplicas === parts.statusReplicas) return prev;
  }
  const observation: Observation = {
    scale: { specReplicas: parts.specReplicas, statusReplicas: parts.statusReplicas, selector: run.selector },
    pods: parts.pods,
    metrics: parts.metrics,
  };
  run.observation = observation;
  return observation;
}

/**
 * The observation's pods: the previous array when no pod changed (PodInfos are cached per pod).
 * A pod's info changes only when the pod list does (`podsVersion`) or at its start and ready
 * times, so the array is reused without a look until the next of those.
 */
function podInfosOf(run: HpaRun, t: number): PodInfo[] {
  const svc = run.service;
  if (svc.podsVersion === run.podInfosVersion && t < run.podInfosUntil) return run.podInfos;
  const pods = svc.pods;
  let until = Number.POSITIVE_INFINITY;
  for (let i = 0; i < pods.length; i++) {
    const pod = pods[i]!;
    const next = t < pod.startS ? pod.startS : t < pod.readyS ? pod.readyS : Number.POSITIVE_INFINITY;
    if (next < until) until = next;
  }
  run.podInfosVersion = svc.podsVersion;
  run.podInfosUntil = until;
  const prev = run.podInfos;
  let same = pods.length === prev.length;
  for (let i = 0; i < pods.length && same; i++) same = toPodInfo(pods[i]!, t, run.podOptions) === prev[i];
  if (same) return prev;
  const next = pods.map((p) => toPodInfo(p, t, run.podOptions));
  run.podInfos = next;
  return next;
}

function targetTypeOf(m: { readonly type: string; readonly resource?: { readonly target?: { readonly type: string } }; readonly containerResource?: { readonly target?: { readonly type: string } }; readonly pods?: { readonly target: { readonly type: string } }; readonly object?: { readonly target: { readonly type: string } }; readonly external?: { readonly target: { readonly type: string } } }): string {
  return m.resource?.target?.type ?? m.containerResource?.target?.type ?? m.pods?.target.type ?? m.object?.target.type ?? m.external?.target.type ?? '';
}

function checkTiming(s: Scenario): void {
  const p = s.pipeline;
  const positive: [string, number][] = [
    ['durationSeconds', s.durationSeconds],
    ['stepSeconds', s.stepSeconds],
    ['pipeline.syncPeriodSeconds', p.syncPeriodSeconds],
    ['pipeline.scrapeIntervalSeconds', p.scrapeIntervalSeconds],
    ['pipeline.resourceMetricsResolutionSeconds', p.resourceMetricsResolutionSeconds],
    ['timelineEverySyncs', s.timelineEverySyncs],
  ];
  for (const [field, value] of positive) {
    if (!(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`Cannot run the simulation as '${field}' must be a finite number > 0: got ${value}`);
    }
  }
  const shortest = Math.min(p.syncPeriodSeconds, p.scrapeIntervalSeconds, p.resourceMetricsResolutionSeconds);
  if (s.stepSeconds > shortest) {
    throw new RangeError(`Cannot run the simulation as 'stepSeconds' must be ≤ the shortest sync or scrape interval (${shortest} s): got ${s.stepSeconds}`);
  }
  if (s.hpas.length === 0) throw new RangeError(`Cannot run the simulation as 'hpas' must list at least one HPA: got none`);
}
