/**
 * The metrics pipeline between the pods and the HPA, with its delays:
 * - CPU and memory (Resource metrics) come from metrics-server, which keeps the latest scrape of
 *   each pod every `resourceMetricsResolutionSeconds`: CPU is the mean over the window since the
 *   previous scrape (or since the container started), memory the working set at the scrape.
 * - Custom (Pods) and Object/External metrics come from Prometheus, which scrapes every
 *   `scrapeIntervalSeconds`, through the adapter, which sees samples `adapterDelaySeconds` late
 *   and treats samples older than `lookbackSeconds` as stale. Metrics the adapter averages
 *   (`avg_over_time`) are the mean of the samples in their window.
 * So the HPA acts on values up to scrape interval + adapter delay old, as in the seeds' stack.
 */
import type { HorizontalPodAutoscaler, MetricReading, MetricSpec, PodMetricValue, PodMetricsItem } from '../engine/types.js';
import type { Pod } from './pods.js';
import type { PipelineConfig, PodMetricSource, ServiceMetricSource } from './types.js';
import type { ServiceSim } from './workload-model.js';

/** Columns of the service-level samples (kube-state-metrics and aggregates). */
const SERVICE_COLUMNS = 5;
const COLUMN: Readonly<Record<ServiceMetricSource['source'], number>> = {
  replicas: 0,
  'ready-replicas': 1,
  'requests-per-second': 2,
  active: 3,
  queued: 4,
};

/** A fixed-size ring of timestamped rows. */
class SampleRing {
  readonly times: Float64Array;
  readonly values: Float64Array;
  readonly width: number;
  count = 0;
  head = 0; // next write position

  constructor(capacity: number, width: number) {
    this.times = new Float64Array(capacity);
    this.values = new Float64Array(capacity * width);
    this.width = width;
  }

  push(t: number): number {
    const i = this.head;
    this.times[i] = t;
    this.head = (i + 1) % this.times.length;
    if (this.count < this.times.length) this.count++;
    return i * this.width;
  }

  /**
   * Column `col` as the adapter returns it at `tq`: the latest sample at or before `tq` (not older
   * than `lookback`), or the mean of the samples in (tq − avg, tq] when `avg` > 0. NaN if none.
   * Returns the sample's time through `out[0]`.
   */
  read(tq: number, col: number, avg: number, lookback: number, out: Float64Array): number {
    const cap = this.times.length;
    let sum = 0;
    let n = 0;
    for (let j = 1; j <= this.count; j++) {
      const i = (this.head - j + cap) % cap;
      const t = this.times[i]!;
      if (t > tq + 1e-9) continue;
      if (n === 0) {
        if (t < tq - lookback) return Number.NaN;
        out[0] = t;
      }
      if (avg > 0 && n > 0 && t <= tq - avg + 1e-9) break;
      sum += this.values[i * this.width + col]!;
      n++;
      if (avg <= 0) break;
    }
    return n === 0 ? Number.NaN : sum / n;
  }
}

/** What the pipeline keeps per pod (on `pod.scrapes`). */
class PodScrapes {
  /** metrics-server: end of the last CPU window and the in-service integral then. */
  lastT: number;
  inServiceSecondsAtLast = 0;
  /** metrics-server's latest sample (ts NaN: none yet). */
  ts = Number.NaN;
  windowSeconds = 0;
  cpuMillicores = 0;
  memoryBytes = 0;
  /** Prometheus samples of the pod's exported gauges. */
  ring: SampleRing | undefined = undefined;
  /** Previous Prometheus scrape (for the request rate). */
  prevT = Number.NaN;
  prevArrivals = 0;

  constructor(startS: number) {
    this.lastT = startS;
  }
}

function scrapesOf(pod: Pod): PodScrapes {
  let s = pod.scrapes as PodScrapes | undefined;
  if (s === undefined) {
    s = new PodScrapes(pod.startS);
    pod.scrapes = s;
  }
  return s;
}

interface ServiceScrapes {
  readonly names: readonly string[];
  readonly sources: readonly PodMetricSource[];
  readonly averages: readonly number[];
  readonly ring: SampleRing;
  lastT: number;
  arrivalsAtLast: number;
}

/** The metrics pipeline of a simulation. */
export class MetricsPipeline {
  readonly #services: ReadonlyMap<string, ServiceSim>;
  readonly #config: PipelineConfig;
  readonly #external: Readonly<Record<string, ServiceMetricSource>>;
  readonly #capacity: number;
  readonly #serviceScrapes = new Map<string, ServiceScrapes>();
  readonly #out = new Float64Array(1);

  constructor(
    services: ReadonlyMap<string, ServiceSim>,
    options: { config: PipelineConfig; externalMetrics: Readonly<Record<string, ServiceMetricSource>> },
  ) {
    this.#services = services;
    this.#config = options.config;
    this.#external = options.externalMetrics;
    let maxAverage = 0;
    for (const svc of services.values()) {
      for (const m of Object.values(svc.model.metrics)) maxAverage = Math.max(maxAverage, m.averageOverSeconds);
    }
    const interval = options.config.scrapeIntervalSeconds;
    this.#capacity = Math.ceil((options.config.adapterDelaySeconds + maxAverage) / interval) + 2;
    for (const [name, svc] of services) {
      const names = Object.keys(svc.model.metrics);
      this.#serviceScrapes.set(name, {
        names,
        sources: names.map((n) => svc.model.metrics[n]!.source),
        averages: names.map((n) => svc.model.metrics[n]!.averageOverSeconds),
        ring: new SampleRing(this.#capacity, SERVICE_COLUMNS),
        lastT: Number.NaN,
        arrivalsAtLast: 0,
      });
    }
  }

  /** metrics-server scrapes every running pod. */
  scrapeResources(tSeconds: number): void {
    for (const svc of this.#services.values()) {
      for (const pod of svc.pods) {
        if (!pod.isRunning(tSeconds)) continue;
        const s = scrapesOf(pod);
        const from = Math.max(s.lastT, pod.startS);
        if (tSeconds - from < 1e-9) continue;
        s.cpuMillicores = svc.cpuMillicores(pod, from, tSeconds, s.inServiceSecondsAtLast);
        s.memoryBytes = svc.memoryBytes(pod);
        s.ts = tSeconds;
        s.windowSeconds = tSeconds - from;
        s.lastT = tSeconds;
        s.inServiceSecondsAtLast = pod.inServiceSeconds;
      }
    }
  }

  /** metrics-server's latest CPU sample of `pod` (time, window, millicores), if any. */
  resourceSample(pod: Pod): { readonly ts: number; readonly windowSeconds: number; readonly cpuMillicores: number } | undefined {
    const s = pod.scrapes as PodScrapes | undefined;
    return s === undefined || s.ts !== s.ts ? undefined : s;
  }

  /** Prometheus scrapes every running pod's exported gauges and the deployments' state. */
  scrapeCustom(tSeconds: number): void {
    for (const [name, svc] of this.#services) {
      const scrapes = this.#serviceScrapes.get(name)!;
      const c = svc.model.concurrency;
      const width = scrapes.names.length;
      let ready = 0;
      let live = 0;
      for (const pod of svc.pods) {
        if (!pod.deleting) live++;
        if (pod.isReady(tSeconds)) ready++;
        if (width === 0 || !pod.isRunning(tSeconds)) continue;
        const sc = scrapesOf(pod);
        let ring = sc.ring;
        if (ring === undefined) {
          ring = new SampleRing(this.#capacity, width);
          sc.ring = ring;
        }
        const offset = ring.push(tSeconds);
        for (let j = 0; j < width; j++) {
          let v: number;
          switch (scrapes.sources[j]) {
            case 'active':
              v = pod.inService + pod.queued;
              break;
            case 'in-service':
              v = pod.inService;
              break;
            case 'queued':
              v = pod.queued;
              break;
            case 'busy-percent':
              v = (pod.inService / c) * 100;
              break;
            default: {
              const since = sc.prevT !== sc.prevT ? pod.startS : sc.prevT;
              const span = tSeconds - since;
              v = span > 0 ? (pod.arrivals - sc.prevArrivals) / span : 0;
            }
          }
          ring.values[offset + j] = v;
        }
        sc.prevT = tSeconds;
        sc.prevArrivals = pod.arrivals;
      }
      const offset = scrapes.ring.push(tSeconds);
      const v = scrapes.ring.values;
      const span = tSeconds - scrapes.lastT;
      v[offset] = live;
      v[offset + 1] = ready;
      v[offset + 2] = span > 0 ? (svc.arrivals - scrapes.arrivalsAtLast) / span : 0;
      v[offset + 3] = svc.totalActive();
      v[offset + 4] = svc.totalQueued();
      scrapes.lastT = tSeconds;
      scrapes.arrivalsAtLast = svc.arrivals;
    }
  }

  /** One reading per `spec.metrics` entry of `hpa` (defaults applied), as the HPA gets them at `tSeconds`. */
  readings(hpa: HorizontalPodAutoscaler, service: ServiceSim, tSeconds: number): MetricReading[] {
    const metrics = hpa.spec.metrics ?? [];
    return metrics.map((m) => this.#reading(m, service, tSeconds));
  }

  #reading(metric: MetricSpec, svc: ServiceSim, tSeconds: number): MetricReading {
    const config = this.#config;
    const tq = Math.max(0, tSeconds - config.adapterDelaySeconds);
    switch (metric.type) {
      case 'Resource':
      case 'ContainerResource': {
        const items: PodMetricsItem[] = [];
        for (const pod of svc.pods) {
          const s = pod.scrapes as PodScrapes | undefined;
          if (s === undefined || s.ts !== s.ts) continue;
          items.push({
            podName: pod.name,
            timestampMs: s.ts * 1000,
            windowSeconds: s.windowSeconds,
            containers: [
              {
                name: svc.model.containerName,
                usageMilli: { cpu: Math.ceil(s.cpuMillicores - 1e-9), memory: Math.round(s.memoryBytes) * 1000 },
              },
            ],
          });
        }
        return { podMetrics: items };
      }
      case 'Pods': {
        const name = metric.pods?.metric.name ?? '';
        const scrapes = this.#serviceScrapes.get(svc.name)!;
        const col = scrapes.names.indexOf(name);
        if (col < 0) return { error: `the server could not find the metric ${name} for pods` };
        const avg = scrapes.averages[col]!;
        const values: PodMetricValue[] = [];
        const out = this.#out;
        for (const pod of svc.pods) {
          const ring = (pod.scrapes as PodScrapes | undefined)?.ring;
          if (ring === undefined) continue;
          const v = ring.read(tq, col, avg, config.lookbackSeconds, out);
          if (v !== v) continue;
          values.push({ podName: pod.name, valueMilli: Math.trunc(v * 1000 + 1e-6), timestampMs: out[0]! * 1000 });
        }
        return { podValues: values };
      }
      case 'Object':
      case 'External': {
        const name = (metric.type === 'Object' ? metric.object?.metric.name : metric.external?.metric.name) ?? '';
        const source = this.#sourceOf(name);
        const scrapes = source === undefined ? undefined : this.#serviceScrapes.get(source.service);
        if (source === undefined || scrapes === undefined) return { error: `the server could not find the metric ${name}` };
        const out = this.#out;
        const v = scrapes.ring.read(tq, COLUMN[source.source], 0, config.lookbackSeconds, out);
        if (v !== v) return { error: `no metrics returned from ${metric.type === 'Object' ? 'custom' : 'external'} metrics API` };
        const milli = Math.trunc(v * 1000 + 1e-6);
        return metric.type === 'Object' ? { valueMilli: milli, timestampMs: out[0]! * 1000 } : { valuesMilli: [milli] };
      }
      default:
        return { error: `unknown metric source type ${JSON.stringify(metric.type)}` };
    }
  }

  /** The source of an Object/External metric: configured, or `<deployment>_replica_count`. */
  #sourceOf(name: string): ServiceMetricSource | undefined {
    const configured = this.#external[name];
    if (configured !== undefined) return configured;
    const match = /^(.+)_replica_count$/.exec(name);
    if (match === null) return undefined;
    const wanted = match[1]!;
    for (const service of this.#services.keys()) {
      if (service.replace(/[-.]/g, '_') === wanted) return { source: 'replicas', service };
    }
    return undefined;
  }
}
