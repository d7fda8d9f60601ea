/**
 * Benchmark of the adapter's custom metrics API against the Prometheus query it runs
 * (`npx tsx bench/adapter.ts`): a real Prometheus scrapes a synthetic prom-client exporter with
 * `asr_active_requests` for 10, 100 and 1000 pods (one namespace each); then, one request at a
 * time and interleaved over loopback HTTP (the global fetch for both), the adapter's `pods/*\/asr_active_requests` and the PromQL it sends
 * (`asr_active_requests{namespace="bench-N",pod=~"p0|p1|..."}`) are timed. Target: adapter p50
 * ≤ 1.5 × the query's p50. Skips (returns `{ skipped }`) when `prometheus` is not installed.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Gauge, Registry } from 'prom-client';
import { compileAdapterConfigText } from '../src/metrics/adapter/adapter-config-file.js';
import { compileGoRegexp } from '../src/metrics/adapter/go-regexp.js';
import { startAdapterServer } from '../src/metrics/adapter/server.js';
import { createPrometheusClient } from '../src/metrics/prometheus-client.js';
import { findExecutable, serveRegistry, startPrometheus } from '../src/metrics/prometheus/index.js';

/** One row of results. */
export interface AdapterBenchRow {
  readonly pods: number;
  readonly requests: number;
  readonly adapterRequestsPerSecond: number;
  readonly adapterP50Ms: number;
  readonly adapterP99Ms: number;
  readonly prometheusRequestsPerSecond: number;
  readonly prometheusP50Ms: number;
  readonly prometheusP99Ms: number;
  /** adapter p50 / Prometheus p50 (target ≤ 1.5). */
  readonly ratioP50: number;
}

export type AdapterBenchResult = { readonly skipped: string } | { readonly rows: readonly AdapterBenchRow[] };

const RULES = `rules:
- seriesQuery: asr_active_requests
  resources: {overrides: {namespace: {resource: namespace}, pod: {resource: pod}}}
  metricsQuery: asr_active_requests{<<.LabelMatchers>>}
`;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

interface Timing {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * Times `requests` calls of each function, one at a time and interleaved (a, b, a, b, ...), so
 * both see the same machine load.
 */
async function timeInterleaved(requests: number, a: () => Promise<void>, b: () => Promise<void>): Promise<[Timing, Timing]> {
  for (let i = 0; i < Math.min(30, requests); i++) {
    await a();
    await b();
  }
  const ms: [number[], number[]] = [[], []];
  const busy: [number, number] = [0, 0];
  for (let i = 0; i < requests; i++) {
    for (const [k, call] of [a, b].entries()) {
      const t = performance.now();
      await call();
      const d = performance.now() - t;
      (ms[k as 0 | 1]).push(d);
      busy[k as 0 | 1] += d;
    }
  }
  return [0, 1].map((k) => {
    const sorted = ms[k as 0 | 1].sort((x, y) => x - y);
    return { rps: (requests * 1000) / busy[k as 0 | 1], p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  }) as [Timing, Timing];
}

/**
 * Runs the benchmark.
 *
 * @example await benchAdapter({ requests: 200 }) // -> { rows: [{ pods: 10, adapterP50Ms: 1.1, prometheusP50Ms: 0.8, ratioP50: 1.4, ... }, ...] }
 */
export async function benchAdapter(options: { readonly sizes?: readonly number[]; readonly requests?: number } = {}): Promise<AdapterBenchResult> {
  if (!findExecutable('prometheus')) return { skipped: 'prometheus is not installed (apt-get install -y prometheus)' };
  const sizes = options.sizes ?? [10, 100, 1000];
  const requests = options.requests ?? 300;
  const registry = new Registry();
  const gauge = new Gauge({ name: 'asr_active_requests', help: 'synthetic', labelNames: ['namespace', 'pod', 'app'] as const, registers: [registry] });
  for (const n of sizes) for (let i = 0; i < n; i++) gauge.set({ namespace: `bench-${n}`, pod: `p${i}`, app: 'lightning-asr' }, (i % 7) + 0.5);
  const exporter = await serveRegistry(registry);
  const runDir = await mkdtemp(join(tmpdir(), 'hpa-lab-bench-adapter-'));
  const prom = await startPrometheus({ runDir, scrapeInterval: '1s', staticJobs: [{ jobName: 'synthetic', targets: [exporter.address], honorLabels: true }] });
  const client = createPrometheusClient(prom.url, { fetch: globalThis.fetch }); // the same client as the adapter's requests
  const total = sizes.reduce((a, b) => a + b, 0);
  try {
    for (let i = 0; i < 300; i++) {
      const data = await client.query('count(asr_active_requests)');
      if (data.resultType === 'vector' && Number(data.result[0]?.value[1]) === total) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const adapter = await startAdapterServer({ compiled: compileAdapterConfigText(RULES, 'bench rules').compiled, prometheus: prom.url, relistIntervalMs: 600_000 });
    const rows: AdapterBenchRow[] = [];
    try {
      for (const n of sizes) {
        const ns = `bench-${n}`;
        const url = `${adapter.url}/apis/custom.metrics.k8s.io/v1beta2/namespaces/${ns}/pods/*/asr_active_requests?labelSelector=app%3Dlightning-asr`;
        const names = Array.from({ length: n }, (_, i) => `p${i}`).sort();
        const query = `asr_active_requests{namespace="${ns}",pod=~"${names.join('|')}"}`;
        const check = (await (await fetch(url)).json()) as { items?: unknown[] };
        if (check.items?.length !== n) throw new Error(`expected ${n} items from the adapter, got ${check.items?.length ?? 'none'}`);
        const [a, p] = await timeInterleaved(
          requests,
          async () => {
            const res = await fetch(url);
            await res.arrayBuffer();
          },
          async () => {
            await client.query(query, Date.now() / 1000);
          },
        );
        rows.push({
          pods: n,
          requests,
          adapterRequestsPerSecond: Math.round(a.rps),
          adapterP50Ms: Number(a.p50.toFixed(2)),
          adapterP99Ms: Number(a.p99.toFixed(2)),
          prometheusRequestsPerSecond: Math.round(p.rps),
          prometheusP50Ms: Number(p.p50.toFixed(2)),
          prometheusP99Ms: Number(p.p99.toFixed(2)),
          ratioP50: Number((a.p50 / p.p50).toFixed(2)),
        });
      }
    } finally {
      await adapter.close();
    }
    return { rows };
  } finally {
    await prom.stop();
    await exporter.close();
    await rm(runDir, { recursive: true, force: true });
  }
}

/** The results as a table. */
export function formatAdapterBench(result: AdapterBenchResult): string {
  if ('skipped' in result) return `adapter benchmark skipped: ${result.skipped}\n`;
  const lines = ['pods   adapter req/s  p50 ms  p99 ms | prometheus req/s  p50 ms  p99 ms | p50 ratio (target ≤ 1.5)'];
  for (const r of result.rows) {
    lines.push(
      `${String(r.pods).padEnd(6)} ${String(r.adapterRequestsPerSecond).padStart(13)} ${r.adapterP50Ms.toFixed(2).padStart(7)} ${r.adapterP99Ms.toFixed(2).padStart(7)} | ${String(r.prometheusRequestsPerSecond).padStart(16)} ${r.prometheusP50Ms.toFixed(2).padStart(7)} ${r.prometheusP99Ms.toFixed(2).padStart(7)} | ${r.ratioP50.toFixed(2)}${r.ratioP50 <= 1.5 ? '' : '  ✗ above target'}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One timing of the catastrophic-backtracking pattern on RE2. */
export interface RegexpBenchRow {
  readonly inputChars: number;
  /** Median of `runs` calls of `matchString`. */
  readonly medianMs: number;
  readonly matched: boolean;
}

/**
 * Times `^(a+)+$` (an adapter rule's `seriesFilters`/`name.matches` form) against `a…ab` of 26 and
 * 5000 characters: a backtracking engine takes seconds at 26 characters, RE2 grows linearly.
 */
export function benchGoRegexp(options: { readonly sizes?: readonly number[]; readonly runs?: number } = {}): RegexpBenchRow[] {
  const re = compileGoRegexp('^(a+)+$');
  return (options.sizes ?? [26, 5000]).map((inputChars) => {
    const input = `${'a'.repeat(inputChars - 1)}b`;
    const ms: number[] = [];
    let matched = false;
    for (let i = 0; i < (options.runs ?? 15); i++) {
      const start = performance.now();
      matched = re.matchString(input);
      ms.push(performance.now() - start);
    }
    ms.sort((x, y) => x - y);
    return { inputChars, medianMs: Number((percentile(ms, 0.5)).toFixed(3)), matched };
  });
}

/** The regexp timings as lines. */
export function formatRegexpBench(rows: readonly RegexpBenchRow[]): string {
  return rows.map((r) => `regexp ^(a+)+$ on ${r.inputChars} chars: ${r.medianMs.toFixed(3)} ms (median, RE2; matched: ${r.matched})\n`).join('');
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(formatRegexpBench(benchGoRegexp()));
  process.stdout.write(formatAdapterBench(await benchAdapter()));
}
