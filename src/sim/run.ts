/**
 * The simulation: virtual time in steps of `stepSeconds`, made of named parts:
 * - the traffic feed (`TrafficFeed`): arrivals per step, from the scenario's traffic and the seed;
 * - the workload (`Workload`): the deployments (`ServiceSim`), stepped with their share;
 * - the metrics pipeline (`MetricsPipeline`): metrics-server and Prometheus scrape on their
 *   intervals (`Periodic`), the adapter serves what the HPAs read;
 * - the HPA syncs (`SimulatedHpa`, around the sync step `HpaSync` the live controller uses too):
 *   every `syncPeriodSeconds` each HPA observes, decides and scales its deployment;
 * - the recording: timeline and watch lines (`TimelineRecorder`), events (`EventLog`), running
 *   summaries (`HpaStats`) and findings (`FindingsCollector`).
 * Pure and deterministic: the same scenario and seed give a deep-equal result.
 *
 * Speed: the steps between two events (scrape, sync, progress) run in one tight loop of
 * `Workload.step`; what a sync builds (pod list, metric readings, observation) is reused while
 * unchanged; timeline rows are staged in a block.
 */
import { reconcileFast, resolveControllerConfig } from '../engine/index.js';
import { EventLog } from './event-log.js';
import { warmedUpState } from './warm-up.js';
import { FindingsCollector } from './findings.js';
import { Periodic } from './periodic.js';
import { MetricsPipeline } from './pipeline.js';
import type { ServiceSim } from './service-sim.js';
import { SimulatedHpa } from './simulated-hpa.js';
import { HpaStats, summarizeService } from './summary.js';
import { TimelineRecorder } from './timeline-recorder.js';
import { TrafficFeed } from './traffic-feed.js';
import type { Scenario, SimOptions, SimResult } from './types.js';
import { Workload } from './workload.js';
import { createNodeWorld } from './node-world.js';

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
  checkTiming(scenario);
  const seed = options.seed;
  const dt = scenario.stepSeconds;
  const pipelineConfig = scenario.pipeline;
  const syncPeriod = pipelineConfig.syncPeriodSeconds;
  const controllerConfig = resolveControllerConfig(scenario.controller);

  // Nodes, only when the scenario has a pool: without one, pods never wait for room.
  const nodeWorld = scenario.nodePool === undefined ? undefined : createNodeWorld(scenario.nodePool, seed, scenario.services);
  const workload = new Workload(scenario, scenario.hpas, nodeWorld?.pool);
  // The engine's fast path by default: the same decisions and states; no part of a run reads the explanation.
  const reconcile = options.reconcile ?? reconcileFast;
  const hpas = scenario.hpas.map((hpa) => new SimulatedHpa(hpa, workload.target(hpa), { config: scenario.controller, reconcile }));
  // A stated history for HPAs that have been running before t = 0 (scenario `warmUp`).
  if (scenario.warmUpSeconds) {
    for (const h of hpas) h.sync.restore(warmedUpState({ replicas: h.service.model.initialReplicas ?? h.hpa.spec.minReplicas ?? 1, warmUpSeconds: scenario.warmUpSeconds, syncPeriodSeconds: syncPeriod }));
  }
  const feed = new TrafficFeed(scenario, seed);
  const meanRps = feed.meanRps;
  const pipeline = new MetricsPipeline(new Map(workload.services.map((s) => [s.name, s])), { config: pipelineConfig, externalMetrics: scenario.externalMetrics });
  const stats = hpas.map((h) => new HpaStats(h.hpa, h.service, { downscaleWindowSeconds: controllerConfig.downscaleStabilizationWindowSeconds, syncPeriodSeconds: syncPeriod }));
  const findings = new FindingsCollector({ config: controllerConfig, syncPeriodSeconds: syncPeriod, pipeline });
  const events = new EventLog();
  // Rows expected: one per kept sync (sized up front, trimmed at the end).
  const expectedRows = Math.ceil((Math.floor(scenario.durationSeconds / syncPeriod + 1e-9) + 1) / scenario.timelineEverySyncs);
  const recorder = new TimelineRecorder({ workload, hpas, meanRps, expectedRows });

  // The HPA syncs at t, in the order of the scenario; every `timelineEverySyncs`th is recorded.
  let syncIndex = 0;
  const syncHpas = (t: number): void => {
    workload.markSync(t, meanRps);
    for (let r = 0; r < hpas.length; r++) {
      const h = hpas[r]!;
      const hs = stats[r]!;
      hs.holdUntil(t);
      const { decision, observation, before } = h.syncAt(t, pipeline);
      if (decision.events.length > 0) {
        // Read only with events (rescales, failures): on the fast path the explanation is computed on demand.
        const result = decision.explanation.find((s) => s.kind === 'result');
        const rescale = result?.kind === 'result' ? { from: before, to: result.desiredReplicas, rescaleReason: result.reasonText } : undefined;
        for (const e of decision.events) events.add(h.name, t, e, rescale);
      }
      recorder.watchSync(r, t, decision);
      hs.observeSync(t, decision, { before, periodSeconds: syncPeriod });
      findings.observeSync({ tSeconds: t, stats: hs, decision, observation, before, loadRps: workload.syncLoad(h.service) });
    }
    const kept = syncIndex % scenario.timelineEverySyncs === 0;
    syncIndex++;
    if (kept) recorder.record(t);
  };

  // The loop. Integer step counters keep times exact; events due at t run before the step from t,
  // in the order scrape resources, scrape custom, sync. A warm-up before t = 0 (no HPA syncs,
  // traffic held at its t = 0 rate, fluid) fills the initial pods' slots, queues and scrape
  // history, so the run starts in steady state.
  const totalSteps = Math.ceil(scenario.durationSeconds / dt - 1e-9);
  const warmSteps = Math.ceil(warmUpSeconds(scenario, workload.services) / dt - 1e-9);
  let i = -warmSteps;
  const firstDue = (every: number): number => Math.ceil((-warmSteps * dt - dt * 1e-6) / every) * every;
  // metrics-server's samples are read only for Resource metrics (and by findings about them):
  // without any, its scrapes would have no effect and are not scheduled.
  const readsResources = hpas.some((h) => (h.hpa.spec.metrics ?? []).some((m) => m.type === 'Resource' || m.type === 'ContainerResource'));
  const resourceEvery = pipelineConfig.resourceMetricsResolutionSeconds;
  const scrapeEvery = pipelineConfig.scrapeIntervalSeconds;
  const resourceScrape = new Periodic(resourceEvery, { dtSeconds: dt, firstS: firstDue(resourceEvery), fromStep: i, enabled: readsResources });
  const customScrape = new Periodic(scrapeEvery, { dtSeconds: dt, firstS: firstDue(scrapeEvery), fromStep: i });
  const sync = new Periodic(syncPeriod, { dtSeconds: dt, firstS: 0, fromStep: 0 });
  const nodeTick = new Periodic(nodeWorld?.tickSeconds ?? syncPeriod, { dtSeconds: dt, firstS: 0, fromStep: 0, enabled: nodeWorld !== undefined });
  // onProgress follows the step i when i % progressEvery === 0 (i ≥ 0).
  const onProgress = options.onProgress;
  const progressEvery = Math.max(1, Math.floor(totalSteps / 100));
  let progressStep = onProgress === undefined ? Number.POSITIVE_INFINITY : 0;
  const initialRps = meanRps(0);
  for (;;) {
    const t = i * dt;
    if (i === 0) {
      workload.resetCounters();
      nodeWorld?.pool.resetServiceBaseline();
    }
    if (i === resourceScrape.step) {
      pipeline.scrapeResources(t);
      resourceScrape.ran(i);
    }
    if (i === customScrape.step) {
      pipeline.scrapeCustom(t);
      customScrape.ran(i);
    }
    if (i < 0) {
      // Warm-up: steps up to the next scrape or t = 0, at the initial rate, fluid.
      const stop = Math.min(resourceScrape.step, customScrape.step, 0);
      for (; i < stop; i++) workload.warmStep(i * dt, initialRps);
      continue;
    }
    if (i === nodeTick.step) {
      nodeWorld!.tick(t, workload.services);
      nodeTick.ran(i);
    }
    if (i === sync.step) {
      syncHpas(t);
      sync.ran(i);
    }
    if (i === totalSteps) break;
    // Steps i .. stop - 1 have no event (the progress call follows step stop - 1).
    const stop = Math.min(resourceScrape.step, customScrape.step, sync.step, nodeTick.step, totalSteps, progressStep + 1);
    workload.advance(i, stop, feed);
    i = stop;
    if (i - 1 === progressStep) {
      onProgress!(progressStep / totalSteps);
      progressStep += progressEvery;
    }
  }
  const timeline = recorder.finish();
  for (const hs of stats) hs.holdUntil(totalSteps * dt);
  workload.finish();
  onProgress?.(1);

  const hpaSummaries = stats.map((hs) => hs.toSummary(scenario.durationSeconds));
  const nodeSummary = nodeWorld?.finish(totalSteps * dt, workload.services, scenario.sloLatencySeconds !== null);
  const serviceSummaries = workload.services.map(summarizeService);
  return {
    scenario: scenario.name,
    seed,
    durationSeconds: scenario.durationSeconds,
    stepSeconds: dt,
    syncPeriodSeconds: syncPeriod,
    hpas: hpas.map((h) => h.hpa),
    timeline,
    events: events.events,
    watch: recorder.watch,
    summary: {
      durationSeconds: scenario.durationSeconds,
      podHours: workload.podHours(),
      hpas: hpaSummaries,
      services: serviceSummaries,
      ...(nodeSummary === undefined ? {} : { nodes: nodeSummary }),
    },
    findings: [...findings.finish({ hpaSummaries, serviceSummaries }), ...(nodeWorld === undefined ? [] : nodeWorld.findings({ scenario, serviceSummaries, summary: nodeSummary! }))],
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
