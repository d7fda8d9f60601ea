/**
 * `diagnose()`: the metrics chain of every HPA metric, and the engine's decision with the values
 * the API returned. Without `--adapter`, the API answers come from an in-process adapter built
 * from the rules over the same Prometheus, so a Prometheus URL and a rule file are enough.
 */
import { applyHpaDefaults, type HorizontalPodAutoscaler, type MetricReading, type MetricSpec } from '../engine/index.js';
import { type LoadedAdapterConfig, createAdapterApp, createAdapterProvider } from '../metrics/adapter/index.js';
import { systemClock } from '../platform/index.js';
import { createAdapterMetricsSource, type PrometheusClient } from '../metrics/index.js';
import { decisionCheck } from './decision-check.js';
import { diagnoseMetricChain, type MetricChainContext } from './metric-chain.js';
import type { Check, Diagnosis, HpaDiagnosis } from './types.js';

/** Input of {@link diagnose}. */
export interface DiagnoseInput {
  readonly hpas: readonly HorizontalPodAutoscaler[];
  readonly prometheus?: PrometheusClient;
  /** A running adapter to ask; without it, an in-process one is built from the rules. */
  readonly adapterUrl?: string;
  /** The rules, or the error loading them produced. */
  readonly rules?: MetricChainContext['rules'];
  readonly rulesFile?: string;
  /** The HPA target's pod selector (`app=lightning-asr`); "" selects every pod with a value. */
  readonly selector?: string;
  /** Overrides every HPA's namespace. */
  readonly namespace?: string;
  /** The target's current replicas, for the decision. */
  readonly replicas?: number;
  readonly scrapeIntervalSeconds?: number;
  readonly nowMs: number;
  /** The fetch used to reach a remote adapter (tests pass an app). */
  readonly fetch?: (request: Request) => Promise<Response>;
}

/**
 * Diagnoses every HPA.
 *
 * @example (await diagnose({ hpas, prometheus, rules: { ok: true, loaded }, nowMs: Date.now() })).ok // -> false when a link is broken
 */
export async function diagnose(input: DiagnoseInput): Promise<Diagnosis> {
  let fetchFn = input.fetch;
  let baseUrl = input.adapterUrl;
  let adapterLabel: string | undefined = input.adapterUrl;
  if (baseUrl === undefined && input.prometheus && input.rules?.ok) {
    const loaded: LoadedAdapterConfig = input.rules.loaded;
    const provider = createAdapterProvider({ compiled: loaded.compiled, prometheus: input.prometheus, clock: systemClock });
    await provider.relist();
    const app = createAdapterApp(provider);
    fetchFn = async (request) => app.fetch(request);
    baseUrl = 'http://in-process-adapter';
    adapterLabel = 'in-process adapter';
  }
  const source = baseUrl === undefined ? undefined : createAdapterMetricsSource({ baseUrl, ...(fetchFn ? { fetch: fetchFn } : {}) });
  const hpas: HpaDiagnosis[] = [];
  for (const raw of input.hpas) {
    const hpa = applyHpaDefaults(raw);
    const namespace = input.namespace ?? hpa.metadata.namespace ?? 'default';
    const selector = input.selector ?? '';
    const readThroughApi = source
      ? async (spec: MetricSpec): Promise<MetricReading> => {
          const [reading] = await source.read({ hpa: { ...hpa, spec: { ...hpa.spec, metrics: [spec] } }, pods: [], namespace, selector, nowMs: input.nowMs });
          return reading ?? { error: 'no reading' };
        }
      : undefined;
    const ctx: MetricChainContext = {
      namespace,
      selector,
      nowMs: input.nowMs,
      ...(input.prometheus ? { prometheus: input.prometheus } : {}),
      ...(input.rules ? { rules: input.rules } : {}),
      ...(readThroughApi ? { readThroughApi } : {}),
      ...(adapterLabel ? { adapterLabel } : {}),
      ...(input.scrapeIntervalSeconds === undefined ? {} : { scrapeIntervalSeconds: input.scrapeIntervalSeconds }),
    };
    const metrics = [];
    const readings: (MetricReading | undefined)[] = [];
    for (const spec of hpa.spec.metrics ?? []) {
      const r = await diagnoseMetricChain(spec, ctx);
      metrics.push(r.diagnosis);
      readings.push(r.reading);
    }
    const decision: Check = readThroughApi
      ? decisionCheck({ hpa, readings, selector, nowMs: input.nowMs, ...(input.replicas === undefined ? {} : { replicas: input.replicas }) })
      : { id: 'decision', title: 'decision', status: 'skip', evidence: 'needs values from the metrics API' };
    hpas.push({ name: hpa.metadata.name, namespace, metrics, decision });
  }
  const ok = hpas.every((h) => h.decision.status !== 'fail' && h.metrics.every((m) => m.checks.every((c) => c.status !== 'fail')));
  return {
    ...(input.prometheus ? { prometheusUrl: input.prometheus.baseUrl } : {}),
    ...(adapterLabel ? { adapter: adapterLabel } : {}),
    ...(input.rulesFile ? { rulesFile: input.rulesFile } : {}),
    hpas,
    ok,
  };
}
