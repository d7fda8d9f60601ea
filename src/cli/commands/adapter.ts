/**
 * `hpa-lab adapter --config rules.yaml --prometheus URL`: runs the prometheus-adapter compatible
 * adapter alone on 127.0.0.1, serving custom.metrics.k8s.io (v1beta1, v1beta2) and
 * external.metrics.k8s.io (v1beta1) until Ctrl-C.
 *
 * In a real cluster the aggregation layer reaches an adapter through APIService objects over
 * HTTPS. `hpa-lab adapter` speaks plain HTTP on loopback, so run it in a pod next to a TLS
 * terminating sidecar that forwards to 127.0.0.1:PORT (the manifests src/render builds, printed by
 * `hpa-lab adapter --print-apiservice`). The HPA controller's ClusterRole
 * (`system:controller:horizontal-pod-autoscaler`) already may read both groups.
 */
import { readFile } from 'node:fs/promises';
import { checkAdapterPromql, loadAdapterConfigFile, renderAdapterConfig, type LoadedAdapterConfig, DEFAULT_RELIST_INTERVAL_MS, startAdapterServer } from '../../metrics/adapter/index.js';
import { deckhouseAdapterConfig, looksLikeDeckhouse, parseDeckhouseObjects } from '../../metrics/deckhouse/index.js';
import { InputError } from '../../core/index.js';
import { parseGoDuration } from '../../core/index.js';
import { hpaLabAdapterManifests, toYamlStream } from '../../render/index.js';
import { UsageError, type CommandDef } from '../command.js';

/** The APIService, Service and Deployment an in-cluster `hpa-lab adapter` needs (TLS by a sidecar). */
function adapterApiServiceYaml(): string {
  return `# hpa-lab adapter as the cluster's custom and external metrics API.
# The adapter serves plain HTTP on 127.0.0.1:6443; the 'tls' sidecar terminates TLS on :8443
# (insecureSkipTLSVerify: or set caBundle to the base64 CA of the sidecar's certificate).
${toYamlStream(hpaLabAdapterManifests())}`;
}

/** Resolves when the process gets SIGINT or SIGTERM. */
function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function parseDuration(text: string, flag: string): number {
  try {
    const ms = parseGoDuration(text);
    if (ms <= 0) throw new RangeError('not positive');
    return ms;
  } catch {
    throw new UsageError(`'--${flag}' must be a Go duration such as 30s, 1m30s or 10m (as prometheus-adapter's flag): got '${text}'`);
  }
}

export const adapterCommand: CommandDef = {
  name: 'adapter',
  summary: 'Serve the custom and external metrics APIs from Prometheus with prometheus-adapter rules (127.0.0.1)',
  usage: '--config FILE --prometheus URL [--port N] [--metrics-relist-interval D] [options]',
  options: [
    { name: 'config', type: 'string', short: 'c', arg: 'FILE', description: "prometheus-adapter rules: its config file, or Helm values with 'prometheus-adapter.rules'" },
    { name: 'prometheus', type: 'string', arg: 'URL', description: 'Prometheus base URL, e.g. http://127.0.0.1:9090' },
    { name: 'port', type: 'string', short: 'p', arg: 'N', default: '6443', description: 'port on 127.0.0.1 (0: any free port)' },
    { name: 'metrics-relist-interval', type: 'string', arg: 'D', default: '10m', description: 'how often to re-list the series from Prometheus' },
    { name: 'metrics-max-age', type: 'string', arg: 'D', description: 'how far back a relist looks for series (default: the relist interval)' },
    { name: 'deckhouse', type: 'string', arg: 'FILE', description: "Deckhouse metric objects (ServiceMetric, PodMetric, ..., CustomPrometheusRules): served as adapter rules, with --config's or alone" },
    { name: 'print-rules', type: 'boolean', description: 'print the rules as one prometheus-adapter config file (e.g. from --deckhouse objects), and exit' },
    { name: 'no-promql-check', type: 'boolean', description: 'skip the promtool syntax check of the rules at load' },
    { name: 'print-apiservice', type: 'boolean', description: 'print the APIService, Service and Deployment manifests for a real cluster, and exit' },
  ],
  examples: [
    'hpa-lab adapter --config examples/lightning-asr/values.yaml --prometheus http://127.0.0.1:9090 --metrics-relist-interval 1m',
    'hpa-lab adapter --deckhouse examples/deckhouse/rabbitmq-queue.yaml --prometheus http://127.0.0.1:9090',
    'hpa-lab adapter --print-apiservice > adapter-apiservice.yaml',
  ],
  async run({ positionals, values }, io) {
    if (positionals.length) throw new UsageError(`unexpected arguments: ${positionals.join(' ')}`);
    if (values['print-apiservice']) {
      io.stdout.write(adapterApiServiceYaml());
      return 0;
    }
    const config = values['config'] as string | undefined;
    const prometheus = values['prometheus'] as string | undefined;
    const deckhouse = values['deckhouse'] as string | undefined;
    if (!config && !deckhouse) throw new UsageError("missing '--config FILE' (or '--deckhouse FILE')");
    if (values['print-rules']) {
      const loaded = await loadRules({ config, deckhouse, checkPromql: false, warn: (w) => io.stderr.write(`warning: ${w}\n`) });
      io.stdout.write(renderAdapterConfig(loaded.config));
      return 0;
    }
    if (!prometheus) throw new UsageError("missing '--prometheus URL'");
    if (!/^https?:\/\//.test(prometheus)) throw new UsageError(`'--prometheus' must be an http(s) URL: got '${prometheus}'`);
    const portText = String(values['port']);
    if (!/^\d+$/.test(portText) || Number(portText) > 65535) throw new UsageError(`'--port' must be an integer from 0 to 65535: got '${portText}'`);
    const relistIntervalMs = parseDuration(String(values['metrics-relist-interval'] ?? '10m'), 'metrics-relist-interval');
    const maxAge = values['metrics-max-age'] as string | undefined;
    const checkPromql = values['no-promql-check'] !== true;
    const loaded = await loadRules({ config, deckhouse, checkPromql, warn: (w) => io.stderr.write(`warning: ${w}\n`) });
    const rulesFile = [config, deckhouse].filter(Boolean).join(' + ');
    const adapter = await startAdapterServer({
      compiled: loaded.compiled,
      prometheus,
      port: Number(portText),
      relistIntervalMs,
      file: rulesFile,
      ...(maxAge === undefined ? {} : { metricsMaxAgeMs: parseDuration(maxAge, 'metrics-max-age') }),
      log: (line) => io.stderr.write(`hpa-lab adapter: ${line}\n`),
    });
    const first = adapter.provider.lastRelist;
    const custom = adapter.provider.registry.listAllMetrics().length;
    const external = adapter.provider.externalRegistry.listAllMetrics().length;
    io.stdout.write(
      [
        `hpa-lab adapter: ${adapter.url} (custom.metrics.k8s.io v1beta1 v1beta2, external.metrics.k8s.io v1beta1)`,
        `  rules: ${rulesFile} (${loaded.compiled.rules.length} custom, ${loaded.compiled.externalRules.length} external)`,
        `  prometheus: ${prometheus}, relist every ${relistIntervalMs / 1000}s${relistIntervalMs === DEFAULT_RELIST_INTERVAL_MS ? ' (upstream default)' : ''}`,
        first?.ok ? `  first relist: ${custom} custom and ${external} external metrics` : `  first relist failed: ${first?.error ?? ''} (serving 404s until a relist succeeds)`,
        'Press Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
    await untilSignal();
    await adapter.close();
    return 0;
  },
};

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw new InputError('unreadable', file, '', `cannot read the file: ${reason}`, { cause: error });
  }
}

/**
 * The rules to serve: `--config` (prometheus-adapter config or Helm values; a file of Deckhouse
 * objects is recognised too) and `--deckhouse` objects appended as rules.
 */
async function loadRules(options: { config: string | undefined; deckhouse: string | undefined; checkPromql: boolean; warn: (w: string) => void }): Promise<LoadedAdapterConfig> {
  let base: LoadedAdapterConfig | undefined;
  const deckhouseFiles: string[] = options.deckhouse === undefined ? [] : [options.deckhouse];
  if (options.config !== undefined) {
    const text = await readText(options.config);
    if (looksLikeDeckhouse(text)) deckhouseFiles.unshift(options.config);
    else base = await loadAdapterConfigFile(options.config, { checkPromql: options.checkPromql });
  }
  if (deckhouseFiles.length === 0) return base!;
  const metrics = [];
  for (const file of deckhouseFiles) {
    const objects = parseDeckhouseObjects(await readText(file), file);
    for (const w of objects.warnings) options.warn(w);
    metrics.push(...objects.metrics);
  }
  const file = deckhouseFiles.join(' + ');
  const { config, compiled } = deckhouseAdapterConfig(metrics, { file, ...(base === undefined ? {} : { base: base.config }) });
  if (options.checkPromql) {
    const problem = (await checkAdapterPromql(compiled))[0];
    if (problem) throw new InputError('syntax', file, problem.path, `invalid PromQL ${JSON.stringify(problem.query)}: ${problem.message}`);
  }
  return { file, config, compiled };
}
