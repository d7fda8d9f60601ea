/**
 * The run's summary, accumulated as it goes (constant memory): per HPA the cost and the scaling
 * activity, per service what users felt.
 */
import type { Decision, HorizontalPodAutoscaler } from '../engine/index.js';
import type { HpaSummary, MetricSummary, ServiceSummary } from './types.js';
import type { ServiceSim } from './service-sim.js';

/** Running totals of one HPA. */
export class HpaStats {
  readonly hpa: HorizontalPodAutoscaler;
  readonly service: ServiceSim;
  /** 2 × the effective scale-down stabilization window: reversals within it are flaps. */
  readonly flapWindowSeconds: number;
  scaleUps = 0;
  scaleDowns = 0;
  flaps = 0;
  /** Times of the flaps (first 20). */
  readonly flapTimes: number[] = [];
  peakReplicas = 0;
  replicaSeconds = 0;
  secondsAtMax = 0;
  secondsAboveTarget = 0;
  #lastScaleT = Number.NaN;
  #heldSince = 0;
  #lastDirection = 0;
  readonly #metrics: { name: string; type: string; above: number; failed: number; sum: number; n: number; target: number | null }[];

  constructor(hpa: HorizontalPodAutoscaler, service: ServiceSim, options: { downscaleWindowSeconds: number; syncPeriodSeconds: number }) {
    this.hpa = hpa;
    this.service = service;
    const window = hpa.spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? options.downscaleWindowSeconds;
    this.flapWindowSeconds = 2 * Math.max(window, options.syncPeriodSeconds);
    this.#metrics = (hpa.spec.metrics ?? []).map((m) => ({ name: metricShortName(m), type: String(m.type), above: 0, failed: 0, sum: 0, n: 0, target: null }));
  }

  /**
   * Replicas held since the last call: `spec.replicas` only changes at syncs, so calling this at
   * each sync (before the rescale) and at the end covers every step.
   */
  holdUntil(tSeconds: number): void {
    const r = this.service.specReplicas;
    const dt = tSeconds - this.#heldSince;
    this.#heldSince = tSeconds;
    if (!(dt > 0)) return;
    this.replicaSeconds += r * dt;
    if (r >= this.hpa.spec.maxReplicas) this.secondsAtMax += dt;
  }

  /** Per sync: the decision, which counts for `periodSeconds`. */
  observeSync(tSeconds: number, decision: Decision, options: { before: number; periodSeconds: number }): void {
    if (options.before > this.peakReplicas) this.peakReplicas = options.before;
    if (decision.scaleTo !== null && decision.scaleTo > this.peakReplicas) this.peakReplicas = decision.scaleTo;
    let anyAbove = false;
    const metrics = decision.metrics;
    for (let i = 0; i < metrics.length; i++) {
      const m = metrics[i]!;
      const s = this.#metrics[i];
      if (s === undefined) continue;
      if (m.target !== undefined) s.target = m.target;
      if (m.error !== undefined || m.current === undefined) {
        s.failed++;
        continue;
      }
      s.sum += m.current;
      s.n++;
      if (m.target !== undefined && m.current > m.target) {
        s.above += options.periodSeconds;
        anyAbove = true;
      }
    }
    if (anyAbove) this.secondsAboveTarget += options.periodSeconds;
    const to = decision.scaleTo;
    if (to === null || to === options.before) return;
    const direction = to > options.before ? 1 : -1;
    if (direction > 0) this.scaleUps++;
    else this.scaleDowns++;
    if (this.#lastDirection !== 0 && direction !== this.#lastDirection && tSeconds - this.#lastScaleT <= this.flapWindowSeconds) {
      this.flaps++;
      if (this.flapTimes.length < 20) this.flapTimes.push(tSeconds);
    }
    this.#lastDirection = direction;
    this.#lastScaleT = tSeconds;
  }

  /** The summary at the end of a run of `durationSeconds`. */
  toSummary(durationSeconds: number): HpaSummary {
    const metrics: MetricSummary[] = this.#metrics.map((m) => ({
      name: m.name,
      type: m.type,
      secondsAboveTarget: m.above,
      failedSyncs: m.failed,
      meanCurrent: m.n > 0 ? m.sum / m.n : null,
      target: m.target,
    }));
    return {
      hpa: this.hpa.metadata.name,
      service: this.service.name,
      minReplicas: this.hpa.spec.minReplicas ?? 1,
      maxReplicas: this.hpa.spec.maxReplicas,
      podHours: this.service.podSeconds / 3600,
      peakReplicas: this.peakReplicas,
      meanReplicas: durationSeconds > 0 ? this.replicaSeconds / durationSeconds : this.service.specReplicas,
      finalReplicas: this.service.specReplicas,
      scaleUps: this.scaleUps,
      scaleDowns: this.scaleDowns,
      flaps: this.flaps,
      secondsAtMaxReplicas: this.secondsAtMax,
      secondsAboveTarget: this.secondsAboveTarget,
      metrics,
    };
  }
}

/** What users of a service felt over the run. */
export function summarizeService(svc: ServiceSim): ServiceSummary {
  const totals = svc.latency.totals();
  const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);
  return {
    service: svc.name,
    requests: svc.arrivals,
    dropped: svc.dropped,
    sloMisses: svc.latency.sloMisses,
    latencyP50: orNull(totals.p50),
    latencyP95: orNull(totals.p95),
    latencyP99: orNull(totals.p99),
    capacityEpisodes: svc.episodes.list.slice(),
    capacityEpisodeCount: svc.episodes.count,
    maxTimeToCapacitySeconds: svc.episodes.closed === 0 ? null : svc.episodes.maxSeconds,
    meanTimeToCapacitySeconds: svc.episodes.closed === 0 ? null : svc.episodes.closedSeconds / svc.episodes.closed,
  };
}

/** The short name of a metric spec: `cpu`, `asr_active_requests`, `lightning_asr_replica_count`. */
export function metricShortName(m: { readonly type: string; readonly resource?: { readonly name: string }; readonly containerResource?: { readonly name: string; readonly container: string }; readonly pods?: { readonly metric: { readonly name: string } }; readonly object?: { readonly metric: { readonly name: string } }; readonly external?: { readonly metric: { readonly name: string } } }): string {
  switch (m.type) {
    case 'Resource':
      return m.resource?.name ?? '?';
    case 'ContainerResource':
      return `${m.containerResource?.container ?? '?'}/${m.containerResource?.name ?? '?'}`;
    case 'Pods':
      return m.pods?.metric.name ?? '?';
    case 'Object':
      return m.object?.metric.name ?? '?';
    case 'External':
      return m.external?.metric.name ?? '?';
    default:
      return String(m.type);
  }
}
