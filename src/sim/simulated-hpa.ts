/**
 * One HPA of a run, synced against its simulated deployment: what the controller reads (the
 * scale, the pods as `PodInfo`, the metrics through the pipeline) and the shared sync step
 * (`HpaSync`) that decides, applied to the deployment at once.
 *
 * What a sync builds is reused while unchanged: the pod list until a pod changes, the
 * observation while its parts are the same (the engine and the findings never mutate one).
 */
import type { ControllerConfigInput, Decision, HorizontalPodAutoscaler, MetricReading, Observation, PodInfo, ReconcileInput, ReconcileResult, ScaleSubresource } from '../engine/index.js';
import { HpaSync } from './hpa-sync.js';
import type { MetricsPipeline } from './pipeline.js';
import { toPodInfo, type PodInfoOptions } from './pods.js';
import type { ServiceSim } from './service-sim.js';

/** What one sync of a simulated HPA did. */
export interface SimulatedSync {
  readonly decision: Decision;
  readonly observation: Observation;
  /** `spec.replicas` before the sync. */
  readonly before: number;
}

/** An HPA and the deployment it scales. */
export class SimulatedHpa {
  readonly sync: HpaSync;
  readonly service: ServiceSim;
  readonly #selector: string;
  readonly #podOptions: PodInfoOptions;
  /** The pods of the last observation; they hold while `podsVersion` is `#podsVersion` and t < `#podsUntil`. */
  #pods: PodInfo[] = [];
  #podsVersion = -1;
  #podsUntil = Number.NEGATIVE_INFINITY;
  #observation: Observation | undefined = undefined;

  constructor(hpa: HorizontalPodAutoscaler, service: ServiceSim, options: { config: ControllerConfigInput; reconcile?: ((input: ReconcileInput) => ReconcileResult) | undefined }) {
    this.sync = new HpaSync(hpa, { config: options.config, reconcile: options.reconcile });
    this.service = service;
    this.#selector = `app=${service.name}`;
    const requests = service.model.requests;
    const requestsMilli: Record<string, number> = {};
    if (requests.cpuMillicores !== undefined) requestsMilli['cpu'] = requests.cpuMillicores;
    if (requests.memoryBytes !== undefined) requestsMilli['memory'] = requests.memoryBytes * 1000;
    this.#podOptions = {
      labels: { app: service.name },
      containers: [Object.keys(requestsMilli).length > 0 ? { name: service.model.containerName, requestsMilli } : { name: service.model.containerName }],
    };
  }

  get name(): string {
    return this.sync.name;
  }

  /** The HPA with API defaults applied. */
  get hpa(): HorizontalPodAutoscaler {
    return this.sync.hpa;
  }

  /** Syncs at `tSeconds`: observes, decides, scales the deployment. */
  syncAt(tSeconds: number, pipeline: MetricsPipeline): SimulatedSync {
    const svc = this.service;
    const before = svc.specReplicas;
    const observation = this.#observe(before, svc.liveCount(), this.#podsAt(tSeconds), pipeline.readings(this.hpa, svc, tSeconds));
    const plan = this.sync.plan(observation, tSeconds * 1000);
    if (plan.scaleTo !== null) svc.scaleTo(plan.scaleTo, tSeconds);
    return { decision: this.sync.commit(plan), observation, before };
  }

  /** The observation of a sync: the previous one when its parts are the same. */
  #observe(specReplicas: number, statusReplicas: number, pods: readonly PodInfo[], metrics: readonly MetricReading[]): Observation {
    const prev = this.#observation;
    if (prev !== undefined && prev.pods === pods && prev.metrics === metrics) {
      const scale = prev.scale as ScaleSubresource;
      if (scale.specReplicas === specReplicas && scale.statusReplicas === statusReplicas) return prev;
    }
    const observation: Observation = { scale: { specReplicas, statusReplicas, selector: this.#selector }, pods, metrics };
    this.#observation = observation;
    return observation;
  }

  /**
   * The observation's pods: the previous array when no pod changed (PodInfos are cached per pod).
   * A pod's info changes only when the pod list does (`podsVersion`) or at its start and ready
   * times, so the array is reused without a look until the next of those.
   */
  #podsAt(t: number): PodInfo[] {
    const svc = this.service;
    if (svc.podsVersion === this.#podsVersion && t < this.#podsUntil) return this.#pods;
    const pods = svc.pods;
    let until = Number.POSITIVE_INFINITY;
    for (let i = 0; i < pods.length; i++) {
      const pod = pods[i]!;
      const next = t < pod.startS ? pod.startS : t < pod.readyS ? pod.readyS : Number.POSITIVE_INFINITY;
      if (next < until) until = next;
    }
    this.#podsVersion = svc.podsVersion;
    this.#podsUntil = until;
    const prev = this.#pods;
    let same = pods.length === prev.length;
    for (let i = 0; i < pods.length && same; i++) same = toPodInfo(pods[i]!, t, this.#podOptions) === prev[i];
    if (same) return prev;
    const next = pods.map((p) => toPodInfo(p, t, this.#podOptions));
    this.#pods = next;
    return next;
  }
}
