/**
 * `hpa-lab record`: an HPA's history from Prometheus (kube-state-metrics and the HPA's metrics)
 * written as a trace file for `replay`, `backtest` and `tune`.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { InputError, parsePrometheusDuration } from '../../core/index.js';
import type { HorizontalPodAutoscaler } from '../../engine/index.js';
import { defaultMetricQuery, hpaKey, recordTrace, specMetricName, type TraceHpa, type TraceMetric } from '../../history/index.js';
import { loadHpaConfig } from '../../input/files/index.js';
import { createPrometheusClient } from '../../metrics/index.js';
import { UsageError, type CommandDef, type ParsedValues } from '../command.js';
import { CLUSTER_OPTIONS, clusterOptionsFrom } from './cluster-options.js';

export const recordCommand: CommandDef = {
  name: 'record',
  summary: "Record HPAs' history from Prometheus (kube-state-metrics, pods, the HPA's metrics) as a trace file",
  usage: '--prometheus URL (--hpa NS/NAME | -A) --from TIME --to TIME [--step 15s] (--spec FILE | --cluster) -o TRACE',
  options: [
    { name: 'prometheus', type: 'string', arg: 'URL', description: 'Prometheus base URL (http://127.0.0.1:9090)' },
    { name: 'hpa', type: 'string', arg: 'NS/NAME', multiple: true, description: 'the HPA to record (repeatable)' },
    { name: 'all-namespaces', short: 'A', type: 'boolean', description: 'every HPA kube-state-metrics reports in the range' },
    { name: 'from', type: 'string', arg: 'TIME', description: 'start: RFC 3339, Unix seconds, or a duration before --to (6h)' },
    { name: 'to', type: 'string', arg: 'TIME', description: 'end: RFC 3339, Unix seconds, or now (default)' },
    { name: 'step', type: 'string', arg: 'DURATION', description: "resolution; use the HPA's sync period (15s) to replay (default: --scrape-interval)" },
    { name: 'scrape-interval', type: 'string', arg: 'DURATION', description: "kube-state-metrics' scrape interval: the window of its reads (default 30s)" },
    { name: 'spec', type: 'string', arg: 'FILE', description: 'the HPAs: a manifest, Helm values or a scenario' },
    ...CLUSTER_OPTIONS,
    { name: 'query', type: 'string', arg: 'METRIC=PROMQL', multiple: true, description: "PromQL of a metric ($NAMESPACE = the HPA's namespace; per pod: by (pod))" },
    { name: 'adapter-config', type: 'string', arg: 'FILE', description: "prometheus-adapter rules: each metric is read with its rule's metricsQuery" },
    { name: 'kubernetes-version', type: 'string', arg: 'X.Y', description: "the cluster's version, written to the trace (default: the server's with --cluster)" },
    { name: 'output', short: 'o', type: 'string', arg: 'FILE', description: 'the trace file to write' },
  ],
  examples: [
    'hpa-lab record --prometheus http://127.0.0.1:9090 --hpa smallest/lightning-asr --from 2026-12-01T00:00:00Z --to 2026-12-02T00:00:00Z --step 15s --spec examples/lightning-asr/hpa.yaml -o asr.trace.jsonl',
    'hpa-lab record --prometheus http://prometheus:9090 -A --from 7d --cluster -o fleet.trace.jsonl',
  ],
  async run({ values }, io) {
    const url = str(values, 'prometheus');
    if (url === undefined) throw new UsageError("missing '--prometheus URL'");
    const out = str(values, 'output');
    if (out === undefined) throw new UsageError("missing '-o FILE': the trace to write");
    const wanted = ((values['hpa'] as string[] | undefined) ?? []).map((h) => {
      const m = /^([^/]+)\/([^/]+)$/.exec(h);
      if (!m) throw new UsageError(`'--hpa' must be NAMESPACE/NAME: got '${h}'`);
      return { namespace: m[1]!, name: m[2]! };
    });
    const all = values['all-namespaces'] === true;
    if (wanted.length === 0 && !all) throw new UsageError("give '--hpa NS/NAME' or '-A'");
    const nowMs = Date.now();
    const toMs = parseTime(str(values, 'to') ?? 'now', '--to', nowMs, nowMs);
    const fromText = str(values, 'from');
    if (fromText === undefined) throw new UsageError("missing '--from TIME'");
    const fromMs = parseTime(fromText, '--from', nowMs, toMs);
    if (!(fromMs < toMs)) throw new UsageError(`'--from' must be before '--to': got ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()}`);
    const scrapeSeconds = duration(str(values, 'scrape-interval') ?? '30s', '--scrape-interval');
    const stepSeconds = duration(str(values, 'step') ?? `${scrapeSeconds}s`, '--step');
    const queries = new Map<string, string>();
    for (const q of (values['query'] as string[] | undefined) ?? []) {
      const i = q.indexOf('=');
      if (i <= 0) throw new UsageError(`'--query' must be METRIC=PROMQL: got '${q}'`);
      queries.set(q.slice(0, i), q.slice(i + 1));
    }
    const cwd = io.cwd ?? process.cwd();
    const prometheus = createPrometheusClient(url, { timeoutMs: 60_000 });

    // Which HPAs: those named, or every one kube-state-metrics reports in the range.
    let keys = wanted;
    if (all) {
      const series = await prometheus.series(['kube_horizontalpodautoscaler_spec_max_replicas'], { startSec: fromMs / 1000, endSec: toMs / 1000 });
      const seen = new Map<string, { namespace: string; name: string }>();
      for (const s of series) if (s['namespace'] && s['horizontalpodautoscaler']) seen.set(`${s['namespace']}/${s['horizontalpodautoscaler']}`, { namespace: s['namespace'], name: s['horizontalpodautoscaler'] });
      keys = [...seen.values()].sort((a, b) => hpaKey(a).localeCompare(hpaKey(b)));
      if (keys.length === 0) throw new InputError('semantic', url, '', 'has no kube_horizontalpodautoscaler_spec_max_replicas series in the range: is kube-state-metrics scraped?');
    }

    // Their specs: from the cluster, or from a file.
    const specs = new Map<string, { hpa: HorizontalPodAutoscaler; selector?: string }>();
    let kubernetesVersion = str(values, 'kubernetes-version');
    const specFile = str(values, 'spec');
    if (values['cluster'] === true || values['kubeconfig'] !== undefined) {
      const kube = await import('../../kube/client/index.js');
      const client = kube.connectCluster(clusterOptionsFrom(values));
      kubernetesVersion ??= kube.engineConfigForVersion(await kube.readServerVersion(client)).kubernetesVersion;
      for (const k of keys) {
        const hpa = await kube.readHpa(client, k.namespace, k.name);
        const scale = await kube.readScale(client, k.namespace, hpa).catch(() => undefined);
        specs.set(hpaKey(k), { hpa, ...(scale?.selector ? { selector: scale.selector } : {}) });
      }
    } else if (specFile !== undefined) {
      const loaded = await loadHpaConfig(resolve(cwd, specFile));
      for (const w of loaded.warnings) io.stderr.write(`warning: ${w}\n`);
      for (const hpa of loaded.hpas) specs.set(`${hpa.metadata.namespace ?? 'default'}/${hpa.metadata.name}`, { hpa });
      // One HPA in the file and one wanted: the file describes it whatever its namespace.
      if (loaded.hpas.length === 1 && keys.length === 1 && !specs.has(hpaKey(keys[0]!))) specs.set(hpaKey(keys[0]!), { hpa: loaded.hpas[0]! });
    } else {
      throw new UsageError("give the HPAs' specs: '--spec FILE' (manifest, Helm values, scenario) or '--cluster'");
    }
    const adapterFile = str(values, 'adapter-config');
    const adapterQueries = adapterFile === undefined ? undefined : await (await import('./record-adapter.js')).adapterMetricQueries(resolve(cwd, adapterFile));

    const hpas: TraceHpa[] = [];
    for (const k of keys) {
      const found = specs.get(hpaKey(k));
      if (found === undefined) {
        io.stderr.write(`warning: no spec for HPA ${hpaKey(k)}: skipped (give it in --spec or use --cluster)\n`);
        continue;
      }
      const hpa: HorizontalPodAutoscaler = { ...found.hpa, metadata: { ...found.hpa.metadata, name: k.name, namespace: k.namespace } };
      const metrics: TraceMetric[] = (hpa.spec.metrics ?? []).map((m) => {
        const name = specMetricName(m);
        const own = queries.get(name) ?? adapterQueries?.(name, String(m.type));
        return { name, type: String(m.type), ...(own === undefined ? defaultMetricQuery({ name, type: String(m.type) }) : { query: own, shape: String(m.type) === 'Pods' || String(m.type).endsWith('Resource') ? 'per-pod' : 'value' }) };
      });
      const deployment = hpa.spec.scaleTargetRef.name;
      hpas.push({ namespace: k.namespace, name: k.name, deployment, selector: found.selector ?? `app=${deployment}`, spec: hpa, metrics });
    }
    if (hpas.length === 0) throw new UsageError('no HPA to record: none has a spec');

    const target = resolve(cwd, out);
    const stream = createWriteStream(target);
    const failed = new Promise<never>((_, reject) => stream.once('error', (e) => reject(new InputError('unreadable', target, '', `cannot write the file: ${e.message}`, { cause: e }))));
    failed.catch(() => undefined);
    const bar = io.stdout.isTTY === true ? new cliProgress.SingleBar({ stream: io.stderr as NodeJS.WriteStream, format: 'record [{bar}] {percentage}% | {value}/{total} steps | {eta_formatted}', clearOnComplete: true, hideCursor: true }, cliProgress.Presets.shades_classic) : undefined;
    const totalSteps = Math.floor((toMs - fromMs) / (stepSeconds * 1000)) + 1;
    bar?.start(totalSteps, 0);
    let summary;
    try {
      summary = await recordTrace({
        prometheus,
        hpas,
        fromMs,
        toMs,
        stepSeconds,
        lookbackSeconds: scrapeSeconds,
        ...(kubernetesVersion === undefined ? {} : { kubernetesVersion }),
        write: async (line) => {
          if (!stream.write(line)) await Promise.race([once(stream, 'drain'), failed]);
        },
        onProgress: (done) => bar?.update(done),
      });
    } finally {
      bar?.stop();
      stream.end();
    }
    await Promise.race([once(stream, 'finish'), failed]);
    io.stderr.write(`recorded ${hpas.length} HPA(s), ${summary.steps} steps of ${stepSeconds}s (${summary.queries} queries in ${summary.chunks} chunks) to ${out}\n`);
    return 0;
  },
};

function str(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

function duration(text: string, flag: string): number {
  try {
    const ms = parsePrometheusDuration(text);
    if (ms > 0) return ms / 1000;
  } catch {
    // reported below
  }
  throw new UsageError(`'${flag}' must be a duration such as 15s, 1m: got '${text}'`);
}

/** RFC 3339, Unix seconds, `now`, or a duration before `relativeToMs`. */
export function parseTime(text: string, flag: string, nowMs: number, relativeToMs: number): number {
  if (text === 'now') return nowMs;
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  if (/^\d+(ms|s|m|h|d|w|y)/.test(text)) {
    try {
      return relativeToMs - parsePrometheusDuration(text);
    } catch {
      // falls through
    }
  }
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new UsageError(`'${flag}' must be an RFC 3339 time, Unix seconds, now or a duration (6h): got '${text}'`);
  return ms;
}
