/**
 * The simulated deployments of a scenario: every HPA's target and every modelled service, each a
 * `ServiceSim`, each taking its share of the traffic; and the offered load each saw between two
 * HPA syncs (what the findings compare decisions with).
 */
import type { HorizontalPodAutoscaler } from '../engine/index.js';
import { DEFAULT_SERVICE_MODEL } from './defaults.js';
import { ServiceSim } from './service-sim.js';
import type { TrafficFeed } from './traffic-feed.js';
import type { Scenario, ServiceModel } from './types.js';

/** The deployments of a run, stepped together. */
export class Workload {
  /** In creation order: HPA targets first, then the other modelled services. */
  readonly services: readonly ServiceSim[];
  readonly #byName: ReadonlyMap<string, ServiceSim>;
  /** Traffic share of each service (by index in `services`). */
  readonly #shares: Float64Array;
  readonly #dtSeconds: number;
  /** Per service: arrivals at the last sync and the offered load (requests/s) since the one before. */
  readonly #arrivalsAtSync: Float64Array;
  readonly #syncLoad: Float64Array;
  #lastSyncS = 0;

  /** Creates the deployments and their pods at t = 0 (`initialReplicas`, or the HPA's minimum). */
  constructor(scenario: Scenario, hpas: readonly HorizontalPodAutoscaler[]) {
    const services = new Map<string, ServiceSim>();
    const add = (name: string): void => {
      if (services.has(name)) return;
      const model: ServiceModel = scenario.services[name] ?? DEFAULT_SERVICE_MODEL;
      services.set(name, new ServiceSim(name, model, { dtSeconds: scenario.stepSeconds, sloLatencySeconds: scenario.sloLatencySeconds }));
    };
    for (const hpa of hpas) add(hpa.spec.scaleTargetRef.name);
    for (const name of Object.keys(scenario.services)) add(name);
    for (const svc of services.values()) {
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === svc.name);
      svc.start(svc.model.initialReplicas ?? hpa?.spec.minReplicas ?? 1);
    }
    this.#byName = services;
    this.services = [...services.values()];
    this.#shares = Float64Array.from(this.services, (s) => s.model.trafficShare);
    this.#dtSeconds = scenario.stepSeconds;
    this.#arrivalsAtSync = new Float64Array(this.services.length);
    this.#syncLoad = new Float64Array(this.services.length);
  }

  /** The deployment an HPA scales. */
  target(hpa: HorizontalPodAutoscaler): ServiceSim {
    return this.#byName.get(hpa.spec.scaleTargetRef.name)!;
  }

  /**
   * One step from `tSeconds` with `arrivals` requests offered to the whole workload and
   * `offeredRps` its noise-free rate; each service takes its share.
   */
  step(tSeconds: number, arrivals: number, offeredRps: number): void {
    const services = this.services;
    const shares = this.#shares;
    for (let j = 0; j < services.length; j++) {
      const share = shares[j]!;
      services[j]!.step(tSeconds, arrivals * share, offeredRps * share);
    }
  }

  /**
   * Steps `fromStep` .. `toStep` − 1 (t = step × dt), with no event between them: the tight loop
   * of a run. The noise-free rate at a step's middle gives both the offered load and the
   * expected count of its arrivals.
   */
  advance(fromStep: number, toStep: number, feed: TrafficFeed): void {
    const dt = this.#dtSeconds;
    const half = dt / 2;
    for (let i = fromStep; i < toStep; i++) {
      const t = i * dt;
      const offered = feed.meanRps(t + half);
      this.step(t, feed.arrivals(t, offered), offered);
    }
  }

  /** A warm-up step: the noise-free rate `rps`, fluid. */
  warmStep(tSeconds: number, rps: number): void {
    const services = this.services;
    const shares = this.#shares;
    const dt = this.#dtSeconds;
    for (let j = 0; j < services.length; j++) {
      const r = rps * shares[j]!;
      services[j]!.step(tSeconds, r * dt, r);
    }
  }

  /** Starts every service's books (t = 0, after the warm-up). */
  resetCounters(): void {
    for (const svc of this.services) svc.resetCounters();
  }

  /**
   * Marks a sync at `tSeconds`: each service's offered load since the last one (at the first,
   * `meanRps(t)` × its share).
   */
  markSync(tSeconds: number, meanRps: (tSeconds: number) => number): void {
    const span = tSeconds - this.#lastSyncS;
    const services = this.services;
    for (let j = 0; j < services.length; j++) {
      const svc = services[j]!;
      this.#syncLoad[j] = span > 0 ? (svc.arrivals - this.#arrivalsAtSync[j]!) / span : meanRps(tSeconds) * svc.model.trafficShare;
      this.#arrivalsAtSync[j] = svc.arrivals;
    }
    this.#lastSyncS = tSeconds;
  }

  /** The offered load (requests/s) of `svc` over the last sync period. */
  syncLoad(svc: ServiceSim): number {
    return this.#syncLoad[this.services.indexOf(svc)]!;
  }

  /** Closes the books at the end of the run. */
  finish(): void {
    for (const svc of this.services) {
      svc.finish();
      svc.latency.flushWindow();
    }
  }

  /** Pod-hours of every deployment. */
  podHours(): number {
    return this.services.reduce((a, s) => a + s.podSeconds, 0) / 3600;
  }
}
