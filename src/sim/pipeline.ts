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
import type { HorizontalPodAutoscaler, MetricReading, MetricSpec, PodMetricValue, PodMetricsItem } from '../engine/index.js';
import type { Pod } from './pods.js';
import type { PipelineConfig, PodMetricSource, ServiceMetricSource } from './types.js';
import type { ServiceSim } from './service-sim.js';

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
    this.head = i + 1 === this.times.length ? 0 : i + 1;
    if (this.count < this.times.length) this.count++;
    return i * this.width;
  }

  /**
   * Column `col` as the adapter returns it at `tq`: the latest sample at or before `tq` (not older
   * than `lookback`), or the mean of the samples in (tq − avg, tq] when `avg` > 0. NaN if none.
   * Returns the sample's time through `out[0]`.
   */
  read(tq: number, col: number, avg: number, lookback: number, out: Float64Array): number {
    const times = this.times;
    const cap = times.length;
    const values = this.values;
    const width = this.width;
    let sum = 0;
    let n = 0;
    let i = this.head;
    for (let j = 1; j <= this.count; j++) {
      i = i === 0 ? cap - 1 : i - 1; // (head − j) mod cap
      const t = times[i]!;
      if (t > tq + 1e-9) continue;
      if (n === 0) {
        if (t < tq - lookback) return Number.NaN;
        out[0] = t;
      }
      if (avg > 0 && n > 0 && t <= tq - avg + 1e-9) break;
      sum += values[i * width + col]!;
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
  /** The `PodMetricsItem` of the latest metrics-server sample, built on first read. */
  item: PodMetricsItem | undefined = undefined;

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

/** `PodMetricSource` as small integers for the scrape loop. */
const SOURCE_CODE: Readonly<Record<PodMetricSource, number>> = {
  active: 0,
  'in-service': 1,
  queued: 2,
  'busy-percent': 3,
  'requests-per-second': 4,
};

interface ServiceScrapes {
  readonly name: string;
  readonly service: ServiceSim;
  readonly names: readonly string[];
  readonly sources: readonly PodMetricSource[];
  /** `SOURCE_CODE` of each source. */
  readonly codes: Int32Array;
  readonly averages: readonly number[];
  readonly ring: SampleRing;
  lastT: number;
  arrivalsAtLast: number;
}

/** The last reading of a Pods or Resource metric, returned again while nothing in it changed. */
interface ReadingCache {
  /** Pods: the exported metric's column (−1: not exported). */
  col: number;
  reading: MetricReading | undefined;
  /** The reading's `podValues` or `podMetrics`. */
  items: readonly (PodMetricValue | PodMetricsItem)[];
  /**
   * Pods reading of the latest samples (no averaging, no adapter delay): it stands while no
   * scrape happened (`scrapes`), no pod came or went (`podsVersion`), tq did not go back (`tq`)
   * and its oldest sample is not stale yet (`oldest`). `scrapes` −1: not reusable.
   */
  scrapes: number;
  podsVersion: number;
  tq: number;
  oldest: number;
}

/** The metrics pipeline of a simulation. */
export class MetricsPipeline {
  readonly #services: ReadonlyMap<string, ServiceSim>;
  readonly #config: PipelineConfig;
  readonly #external: Readonly<Record<string, ServiceMetricSource>>;
  readonly #capacity: number;
  readonly #serviceScrapes = new Map<string, ServiceScrapes>();
  /** The same, as a list (scrapes iterate it). */
  readonly #scrapeList: ServiceScrapes[] = [];
  readonly #out = new Float64Array(1);
  /** Per metric spec of an HPA: its last reading (a reading that did not change is reused). */
  readonly #readingCache = new Map<MetricSpec, ReadingCache>();
  /** The last `readings` list of each HPA. */
  readonly #lastReadings = new Map<HorizontalPodAutoscaler, readonly MetricReading[]>();
  /** `#sourceOf` by metric name. */
  readonly #sources = new Map<string, ServiceMetricSource | undefined>();
  /** Prometheus scrapes so far, and the time of the last one. */
  #customScrapes = 0;
  #lastCustomScrapeS = Number.NEGATIVE_INFINITY;

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
      const sources = names.map((n) => svc.model.metrics[n]!.source);
      const scrapes: ServiceScrapes = {
        name,
        service: svc,
        names,
        sources,
        codes: Int32Array.from(sources, (src) => SOURCE_CODE[src]),
        averages: names.map((n) => svc.model.metrics[n]!.averageOverSeconds),
        ring: new SampleRing(this.#capacity, SERVICE_COLUMNS),
        lastT: Number.NaN,
        arrivalsAtLast: 0,
      };
      this.#serviceScrapes.set(name, scrapes);
      this.#scrapeList.push(scrapes);
    }
  }

  /** metrics-server scrapes every running pod. */
  scrapeResources(tSeconds: number): void {
    const list = this.#scrapeList;
    for (let i = 0; i < list.length; i++) {
      const svc = list[i]!.service;
      const pods = svc.pods;
      for (let j = 0; j < pods.length; j++) {
        const pod = pods[j]!;
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
        s.item = undefined;
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
    this.#customScrapes++;
    this.#lastCustomScrapeS = tSeconds;
    const list = this.#scrapeList;
    for (let i = 0; i < list.length; i++) {
      const scrapes = list[i]!;
      const svc = scrapes.service;
      const c = svc.model.concurrency;
      const width = scrapes.names.length;
      const codes = scrapes.codes;
      const pods = svc.pods;
      let ready = 0;
      let live = 0;
      for (let p = 0; p < pods.length; p++) {
        const pod = pods[p]!;
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
        const co = pod.cohort;
        for (let j = 0; j < width; j++) {
          let v: number;
          switch (codes[j]) {
            case 0: // active
              v = co.inService + co.queued;
              break;
            case 1: // in-service
              v = co.inService;
              break;
            case 2: // queued
              v = co.queued;
              break;
            case 3: // busy-percent
              v = (co.inService / c) * 100;
              break;
            default: {
              // requests-per-second
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
      // A counter that went down was reset (the books restart at t = 0): as Prometheus' rate(),
      // count from zero.
      const delta = svc.arrivals >= scrapes.arrivalsAtLast ? svc.arrivals - scrapes.arrivalsAtLast : svc.arrivals;
      v[offset + 2] = span > 0 ? delta / span : 0;
      v[offset + 3] = svc.totalActive();
      v[offset + 4] = svc.totalQueued();
      scrapes.lastT = tSeconds;
      scrapes.arrivalsAtLast = svc.arrivals;
    }
  }

  /**
   * One reading per `spec.metrics` entry of `hpa` (defaults applied), as the HPA gets them at
   * `tSeconds`. A Pods or Resource reading equal to the previous one of the same metric spec is
   * that same object, and a list of the same readings as the previous call for `hpa` is that
   * same list (readings are never mutated).
   */
  readings(hpa: HorizontalPodAutoscaler, service: ServiceSim, tSeconds: number): readonly MetricReading[] {
    const metrics = hpa.spec.metrics ?? [];
    const prev = this.#lastReadings.get(hpa);
    let out: MetricReading[] | undefined; // set once a reading differs from the previous list's
    for (let i = 0; i < metrics.length; i++) {
      const reading = this.#reading(metrics[i]!, service, tSeconds);
      if (out === undefined) {
        if (prev !== undefined && prev[i] === reading) continue;
        out = prev === undefined ? [] : prev.slice(0, i);
      }
      out.push(reading);
    }
    if (out === undefined && prev !== undefined && prev.length === metrics.length) return prev;
    const list = out ?? (prev === undefined ? [] : prev.slice(0, metrics.length));
    this.#lastReadings.set(hpa, list);
    return list;
  }

  #cacheOf(metric: MetricSpec, svc: ServiceSim): ReadingCache {
    let cache = this.#readingCache.get(metric);
    if (cache === undefined) {
      let col = -1;
      if (metric.type === 'Pods') col = this.#serviceScrapes.get(svc.name)!.names.indexOf(metric.pods?.metric.name ?? '');
      cache = { col, reading: undefined, items: [], scrapes: -1, podsVersion: -1, tq: Number.NaN, oldest: Number.NaN };
      this.#readingCache.set(metric, cache);
    }
    return cache;
  }

  #reading(metric: MetricSpec, svc: ServiceSim, tSeconds: number): MetricReading {
    const config = this.#config;
    const tq = Math.max(0, tSeconds - config.adapterDelaySeconds);
    switch (metric.type) {
      case 'Resource':
      case 'ContainerResource': {
        const cache = this.#cacheOf(metric, svc);
        const prev = cache.items;
        let items: PodMetricsItem[] | undefined; // set once an item differs from the previous reading's
        let n = 0;
        const pods = svc.pods;
        for (let i = 0; i < pods.length; i++) {
          const pod = pods[i]!;
          const s = pod.scrapes as PodScrapes | undefined;
          if (s === undefined || s.ts !== s.ts) continue;
          let item = s.item;
          if (item === undefined) {
            item = {
              podName: pod.name,
              timestampMs: s.ts * 1000,
              windowSeconds: s.windowSeconds,
              containers: [
                {
                  name: svc.model.containerName,
                  usageMilli: { cpu: Math.ceil(s.cpuMillicores - 1e-9), memory: Math.round(s.memoryBytes) * 1000 },
                },
              ],
            };
            s.item = item;
          }
          if (items === undefined) {
            if (n < prev.length && prev[n] === item) {
              n++;
              continue;
            }
            items = prev.slice(0, n) as PodMetricsItem[];
          }
          items.push(item);
          n++;
        }
        if (items === undefined) {
          if (cache.reading !== undefined && n === prev.length) return cache.reading;
          items = prev.slice(0, n) as PodMetricsItem[];
        }
        const reading = { podMetrics: items };
        cache.items = items;
        cache.reading = reading;
        return reading;
      }
      case 'Pods': {
        const cache = this.#cacheOf(metric, svc);
        const col = cache.col;
        if (col < 0) {
          if (cache.reading === undefined) cache.reading = { error: `the server could not find the metric ${metric.pods?.metric.name ?? ''} for pods` };
          return cache.reading;
        }
        const avg = this.#serviceScrapes.get(svc.name)!.averages[col]!;
        const lookback = config.lookbackSeconds;
        const latestOnly = avg <= 0 && config.adapterDelaySeconds === 0;
        if (
          latestOnly &&
          cache.scrapes === this.#customScrapes &&
          cache.podsVersion === svc.podsVersion &&
          tq >= cache.tq &&
          !(cache.oldest < tq - lookback)
        ) {
          return cache.reading!;
        }
        const prev = cache.items as readonly PodMetricValue[];
        let oldest = Number.POSITIVE_INFINITY;
        let values: PodMetricValue[] | undefined; // set once a value differs from the previous reading's
        let n = 0;
        const out = this.#out;
        const pods = svc.pods;
        for (let i = 0; i < pods.length; i++) {
          const pod = pods[i]!;
          const ring = (pod.scrapes as PodScrapes | undefined)?.ring;
          if (ring === undefined) continue;
          const v = ring.read(tq, col, avg, lookback, out);
          if (v !== v) continue;
          const sampleS = out[0]!;
          if (sampleS < oldest) oldest = sampleS;
          const valueMilli = Math.trunc(v * 1000 + 1e-6);
          const timestampMs = sampleS * 1000;
          if (values === undefined) {
            const p = prev[n];
            if (p !== undefined && p.podName === pod.name && p.valueMilli === valueMilli && p.timestampMs === timestampMs) {
              n++;
              continue;
            }
            values = prev.slice(0, n);
          }
          values.push({ podName: pod.name, valueMilli, timestampMs });
          n++;
        }
        // Reusable until something changes if no sample was ahead of tq (tests may read the past).
        cache.scrapes = latestOnly && this.#lastCustomScrapeS <= tq + 1e-9 ? this.#customScrapes : -1;
        cache.podsVersion = svc.podsVersion;
        cache.tq = tq;
        cache.oldest = oldest;
        if (values === undefined) {
          if (cache.reading !== undefined && n === prev.length) return cache.reading;
          values = prev.slice(0, n);
        }
        const reading = { podValues: values };
        cache.items = values;
        cache.reading = reading;
        return reading;
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
    if (this.#sources.has(name)) return this.#sources.get(name);
    const source = this.#findSource(name);
    this.#sources.set(name, source);
    return source;
  }

  #findSource(name: string): ServiceMetricSource | undefined {
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
