/**
 * The built-in scraper: the embedded default metrics pipeline of `hpa-lab up`. It reads every
 * worker's `/metrics` at an interval, as Prometheus would, keeps the last sample of each pod,
 * and answers the controller the way the custom, external and resource metrics APIs would.
 */
import type { LabelSelector, MetricReading, MetricSpec, PodMetricsItem, PodMetricValue, MetricsReadInput, MetricsSource } from '../engine/index.js';
import type { ScrapeTarget } from '../cluster/index.js';
import { labelSelectorFromMeta, matchesLabelSelector, type LabelSelector as CoreLabelSelector, sleepOn, type Timers, type Clock } from '../core/index.js';
import { httpRequest } from '../platform/index.js';
import { parsePrometheusText, type PromSample } from './parse-prometheus-text.js';

/** The scrape interval of the built-in scraper, as the seeds' "fast autoscaling" setting. */
export const DEFAULT_SCRAPE_INTERVAL_MS = 15_000;
/** Container name under which resource usage is reported (the pool's only container). */
export const WORKER_CONTAINER = 'worker';

export interface ScraperOptions {
  /** The pods to scrape now (service discovery), e.g. `pool.scrapeTargets`. */
  readonly discover: () => readonly ScrapeTarget[] | Promise<readonly ScrapeTarget[]>;
  readonly clock: Clock;
  readonly timers: Timers;
  /** 15 s unless told. */
  readonly intervalMs?: number;
  /** Per-scrape timeout; the interval (at most 10 s) unless told. */
  readonly timeoutMs?: number;
  /** A pod's sample older than this is dropped (the pod stopped answering); 3 intervals unless told. */
  readonly stalenessMs?: number;
  /**
   * External metrics by name, sampled at each scrape: `lightning_asr_replica_count` is the
   * worker Deployment's `status.replicas`, as the seeds' rule sums `kube_deployment_status_replicas`.
   */
  readonly external?: Readonly<Record<string, () => number | Promise<number>>>;
  /** Fetches a `/metrics` body; node:http unless told (tests pass text). */
  readonly fetchText?: (url: string, timeoutMs: number) => Promise<string>;
}

/** The outcome of the last scrape of one pod. */
export interface ScrapeHealth {
  readonly podName: string;
  readonly url: string;
  readonly ok: boolean;
  readonly atMs: number;
  readonly error?: string;
}

export interface Scraper extends MetricsSource {
  /** Scrapes at once, then every interval on a fixed grid, until `close`; resolves after the first scrape. */
  start(): Promise<void>;
  /** One scrape of every discovered pod and every external metric. */
  scrapeOnce(): Promise<void>;
  /** The last scrape of each pod (Prometheus' targets page). */
  health(): readonly ScrapeHealth[];
  readonly intervalMs: number;
  close(): Promise<void>;
}

interface PodSample {
  readonly atMs: number;
  readonly samples: readonly PromSample[];
  /** The previous scrape's CPU counter, for a rate. */
  readonly cpu?: { readonly prevSeconds: number; readonly prevAtMs: number; readonly seconds: number };
}

const defaultFetch = async (url: string, timeoutMs: number): Promise<string> => {
  const r = await httpRequest(url, { timeoutMs });
  if (r.status !== 200) throw new Error(`server returned HTTP status ${r.status}`);
  return r.body.toString('utf8');
};

const requirementsOf = new WeakMap<LabelSelector, CoreLabelSelector>();

/** Whether labels match a metric's `metav1.LabelSelector` (none matches everything). */
function matchesMetricSelector(sel: LabelSelector | null | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!sel) return true;
  let requirements = requirementsOf.get(sel);
  if (requirements === undefined) {
    requirements = labelSelectorFromMeta(sel);
    requirementsOf.set(sel, requirements);
  }
  return matchesLabelSelector(requirements, labels);
}

const toMilli = (v: number): number => Math.round(v * 1000);

/**
 * Creates the built-in scraper. `read` answers from the last samples, never from a fresh
 * scrape, so the controller sees what a Prometheus-fed adapter would (at most one interval old):
 * - Pods metrics: the pod's series of that name (summed over series matching the metric's
 *   selector) as `podValues`; a name no pod exports is `the server could not find the metric`;
 * - External metrics: the `external` functions' last values;
 * - Resource `cpu` / `memory` (and ContainerResource of container `worker`): the rate of
 *   `process_cpu_seconds_total` between the last two scrapes, and `process_resident_memory_bytes`;
 * - Object metrics are not served (an error reading, FailedGetObjectMetric).
 *
 * @example
 * const scraper = createScraper({ discover: () => pool.scrapeTargets(), clock, timers, intervalMs: 1_000 });
 * scraper.start();
 * await scraper.read({ hpa, pods, namespace: 'default', selector: 'app=lightning-asr', nowMs: clock.now() });
 * // -> [{ podValues: [{ podName: 'lightning-asr-bcdfg', valueMilli: 7000, timestampMs: ... }] }]
 */
export function createScraper(options: ScraperOptions): Scraper {
  const { clock, timers } = options;
  const intervalMs = options.intervalMs ?? DEFAULT_SCRAPE_INTERVAL_MS;
  const timeoutMs = options.timeoutMs ?? Math.min(intervalMs, 10_000);
  const stalenessMs = options.stalenessMs ?? 3 * intervalMs;
  const fetchText = options.fetchText ?? defaultFetch;
  const byPod = new Map<string, PodSample>();
  const healthByPod = new Map<string, ScrapeHealth>();
  const external = new Map<string, { value: number; atMs: number } | { error: string; atMs: number }>();
  let started = false;
  let running: Promise<void> | undefined;
  let closed = false;
  const stop = new AbortController();

  const scrapePod = async (t: ScrapeTarget, atMs: number): Promise<void> => {
    try {
      const { samples } = parsePrometheusText(await fetchText(t.url, timeoutMs));
      const cpuNow = samples.find((s) => s.name === 'process_cpu_seconds_total')?.value;
      const prev = byPod.get(t.podName);
      const prevCpu = prev?.samples.find((s) => s.name === 'process_cpu_seconds_total')?.value;
      const entry: PodSample =
        cpuNow !== undefined && prev !== undefined && prevCpu !== undefined
          ? { atMs, samples, cpu: { prevSeconds: prevCpu, prevAtMs: prev.atMs, seconds: cpuNow } }
          : { atMs, samples };
      byPod.set(t.podName, entry);
      healthByPod.set(t.podName, { podName: t.podName, url: t.url, ok: true, atMs });
    } catch (error) {
      healthByPod.set(t.podName, { podName: t.podName, url: t.url, ok: false, atMs, error: (error as Error).message });
    }
  };

  const scrapeOnce = async (): Promise<void> => {
    const atMs = clock.now();
    const targets = await options.discover();
    const names = new Set(targets.map((t) => t.podName));
    for (const k of byPod.keys()) if (!names.has(k)) byPod.delete(k);
    for (const k of healthByPod.keys()) if (!names.has(k)) healthByPod.delete(k);
    await Promise.all([
      ...targets.map((t) => scrapePod(t, atMs)),
      ...Object.entries(options.external ?? {}).map(async ([name, fn]) => {
        try {
          external.set(name, { value: await fn(), atMs });
        } catch (error) {
          external.set(name, { error: (error as Error).message, atMs });
        }
      }),
    ]);
  };

  const fresh = (podName: string, nowMs: number): PodSample | undefined => {
    const s = byPod.get(podName);
    return s !== undefined && nowMs - s.atMs <= stalenessMs ? s : undefined;
  };

  const readPods = (spec: MetricSpec, input: MetricsReadInput): MetricReading => {
    const name = spec.pods?.metric.name ?? '';
    const selector = spec.pods?.metric.selector;
    const values: PodMetricValue[] = [];
    let known = false;
    for (const pod of input.pods) {
      const s = fresh(pod.name, input.nowMs);
      if (s === undefined) continue;
      let sum: number | undefined;
      for (const x of s.samples) {
        if (x.name !== name) continue;
        known = true;
        if (matchesMetricSelector(selector, x.labels)) sum = (sum ?? 0) + x.value;
      }
      if (sum !== undefined && Number.isFinite(sum)) values.push({ podName: pod.name, valueMilli: toMilli(sum), timestampMs: s.atMs });
    }
    const anyScraped = input.pods.some((p) => fresh(p.name, input.nowMs) !== undefined);
    if (anyScraped && !known) return { error: `the server could not find the metric ${name} for pods` };
    return { podValues: values };
  };

  const readResource = (resource: string, container: string, input: MetricsReadInput): MetricReading => {
    if (resource !== 'cpu' && resource !== 'memory') return { error: `the built-in scraper has no '${resource}' usage: it serves cpu and memory` };
    if (container !== '' && container !== WORKER_CONTAINER) return { error: `no container '${container}' in the pods: the worker container is '${WORKER_CONTAINER}'` };
    const items: PodMetricsItem[] = [];
    for (const pod of input.pods) {
      const s = fresh(pod.name, input.nowMs);
      if (s === undefined) continue;
      let usageMilli: number | undefined;
      let windowSeconds = intervalMs / 1000;
      if (resource === 'cpu') {
        if (s.cpu === undefined || s.atMs <= s.cpu.prevAtMs) continue;
        windowSeconds = (s.atMs - s.cpu.prevAtMs) / 1000;
        usageMilli = Math.max(0, Math.round(((s.cpu.seconds - s.cpu.prevSeconds) / windowSeconds) * 1000));
      } else {
        const rss = s.samples.find((x) => x.name === 'process_resident_memory_bytes')?.value;
        if (rss !== undefined) usageMilli = toMilli(rss);
      }
      if (usageMilli !== undefined) {
        items.push({ podName: pod.name, timestampMs: s.atMs, windowSeconds, containers: [{ name: WORKER_CONTAINER, usageMilli: { [resource]: usageMilli } }] });
      }
    }
    return { podMetrics: items };
  };

  const readOne = (spec: MetricSpec, input: MetricsReadInput): MetricReading => {
    switch (spec.type) {
      case 'Pods':
        return readPods(spec, input);
      case 'External': {
        const name = spec.external?.metric.name ?? '';
        const v = external.get(name);
        if (v === undefined) {
          const known = Object.keys(options.external ?? {});
          return known.includes(name)
            ? { error: `no sample of ${name} yet` }
            : { error: `the server could not find the requested resource (external metric ${name}; the built-in scraper serves ${known.join(', ') || 'none'})` };
        }
        if ('error' in v) return { error: v.error };
        return { valuesMilli: [toMilli(v.value)] };
      }
      case 'Resource':
        return readResource(spec.resource?.name ?? '', '', input);
      case 'ContainerResource':
        return readResource(spec.containerResource?.name ?? '', spec.containerResource?.container ?? '', input);
      default:
        return { error: `the built-in scraper does not serve ${String(spec.type)} metrics: use a metrics API` };
    }
  };

  // Ticks stay on a fixed grid from the first one (a late or long scrape skips ahead on the
  // grid), so a controller started at an offset keeps its phase to the scrapes.
  const loop = async (onFirst: () => void): Promise<void> => {
    let nextMs = clock.now();
    while (!closed) {
      running = scrapeOnce().catch(() => undefined);
      await running;
      onFirst();
      if (closed) return;
      const nowMs = clock.now();
      do nextMs += intervalMs;
      while (nextMs <= nowMs);
      await sleepOn(timers, nextMs - nowMs, stop.signal);
    }
  };

  return {
    intervalMs,
    start() {
      if (started || closed) return Promise.resolve();
      started = true;
      return new Promise<void>((resolve) => void loop(resolve).finally(resolve));
    },
    scrapeOnce,
    read(input) {
      return new Promise((resolve) => resolve((input.hpa.spec.metrics ?? []).map((m) => readOne(m, input))));
    },
    health: () => [...healthByPod.values()],
    async close() {
      closed = true;
      stop.abort();
      await running;
    },
  };
}
