/**
 * `hpa-lab diagnose [HPA file] [--prometheus URL] [--adapter URL] [--rules FILE]`: walks the
 * metrics chain of every HPA metric and prints a checklist naming the first broken link with its
 * fix (the seeds' "HPA Shows Unknown" / "HPA Not Scaling" troubleshooting, automated). Exit code 1
 * when a link is broken.
 */
import { resolve } from 'node:path';
import { diagnose, formatDiagnosis, type MetricChainContext } from '../../diagnose/index.js';
import { compileAdapterConfigText, checkAdapterPromql, loadAdapterConfigFile, SEED_ADAPTER_VALUES } from '../../metrics/adapter/index.js';
import { createPrometheusClient } from '../../metrics/index.js';
import { durationMs } from '../../metrics/prometheus/index.js';
import { InputError } from '../../core/index.js';
import { parseHelmValues } from '../../input/index.js';
import { loadHpaFile } from '../../input/files/index.js';
import { UsageError, type CommandDef } from '../command.js';
import { CLUSTER_OPTIONS } from './cluster-options.js';

/** The seeds' two HPAs (Helm values "HPA Configuration"), diagnosed when no file is given. */
const SEED_HPA_VALUES = `scaling:
  auto:
    enabled: true
    lightningAsr:
      hpa: {enabled: true, minReplicas: 1, maxReplicas: 10, targetActiveRequests: 5, scaleUpStabilizationWindowSeconds: 0, scaleDownStabilizationWindowSeconds: 300}
    apiServer:
      hpa: {enabled: true, minReplicas: 1, maxReplicas: 10, lightningAsrToApiServerRatio: 2, scaleUpStabilizationWindowSeconds: 30, scaleDownStabilizationWindowSeconds: 60}
`;

async function loadRules(rulesFile: string | undefined, hpaFile: string | undefined, hasAdapterRules: boolean): Promise<{ rules: NonNullable<MetricChainContext['rules']>; file: string }> {
  const file = rulesFile ?? (hasAdapterRules && hpaFile ? hpaFile : 'seed 002 prometheus-adapter values');
  try {
    if (rulesFile !== undefined || (hasAdapterRules && hpaFile)) return { rules: { ok: true, loaded: await loadAdapterConfigFile(file) }, file };
    const loaded = compileAdapterConfigText(SEED_ADAPTER_VALUES, file);
    const problem = (await checkAdapterPromql(loaded.compiled))[0];
    if (problem) throw new InputError('syntax', file, problem.path, problem.message);
    return { rules: { ok: true, loaded }, file };
  } catch (error) {
    if (error instanceof InputError && error.code !== 'unreadable') return { rules: { ok: false, error: error.message }, file };
    throw error;
  }
}

export const diagnoseCommand: CommandDef = {
  name: 'diagnose',
  summary: 'Walk the metrics chain of each HPA metric (targets, series, rules, labels, API, freshness, decision) and name the first broken link',
  usage: '[HPA_FILE] [--prometheus URL] [--adapter URL] [--rules FILE] [options]',
  options: [
    { name: 'prometheus', type: 'string', arg: 'URL', description: 'Prometheus base URL, e.g. http://127.0.0.1:9090' },
    { name: 'adapter', type: 'string', arg: 'URL', description: 'a running adapter to ask (default: an in-process adapter over --prometheus and the rules)' },
    { name: 'rules', type: 'string', arg: 'FILE', description: "prometheus-adapter rules (default: the HPA file's prometheus-adapter.rules, else the seed's)" },
    { name: 'selector', type: 'string', short: 'l', arg: 'SELECTOR', description: "the target's pod label selector, e.g. app=lightning-asr (default: every pod)" },
    { name: 'namespace', type: 'string', short: 'n', arg: 'NS', description: "override the HPAs' namespace" },
    { name: 'replicas', type: 'string', arg: 'N', description: "the target's current replicas, for the decision (default: the pods with values)" },
    { name: 'scrape-interval', type: 'string', arg: 'D', description: "the scrape interval for the freshness check (default: the targets')" },
    { name: 'hpa', type: 'string', arg: 'NAME', description: 'only this HPA of the file' },
    { name: 'json', type: 'boolean', description: 'print the diagnosis as JSON' },
    ...CLUSTER_OPTIONS,
  ],
  examples: [
    'hpa-lab diagnose examples/lightning-asr/values.yaml --prometheus http://127.0.0.1:9090 --selector app=lightning-asr',
    'hpa-lab diagnose hpa.yaml --prometheus http://127.0.0.1:9090 --adapter http://127.0.0.1:6443 --json',
    'hpa-lab diagnose --cluster -n smallest lightning-asr --prometheus http://127.0.0.1:9090',
  ],
  async run({ positionals, values }, io) {
    if (values['cluster']) return (await import('./diagnose-cluster.js')).runDiagnoseCluster({ positionals, values }, io);
    const [hpaArg, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const cwd = io.cwd ?? process.cwd();
    const hpaFile = hpaArg === undefined ? undefined : resolve(cwd, hpaArg);
    const loaded = hpaFile === undefined ? { hpas: parseHelmValues(SEED_HPA_VALUES, 'seed values').hpas, prometheus: undefined } : await loadHpaFile(hpaFile);
    const only = values['hpa'] as string | undefined;
    const hpas = loaded.hpas.filter((h) => !only || h.metadata.name === only);
    if (hpas.length === 0) throw new UsageError(`no HPA named '${only ?? ''}': found ${loaded.hpas.map((h) => h.metadata.name).join(', ')}`);
    const prometheusUrl = values['prometheus'] as string | undefined;
    const adapterUrl = values['adapter'] as string | undefined;
    for (const [flag, url] of [['prometheus', prometheusUrl], ['adapter', adapterUrl]] as const) {
      if (url !== undefined && !/^https?:\/\//.test(url)) throw new UsageError(`'--${flag}' must be an http(s) URL: got '${url}'`);
    }
    const replicasText = values['replicas'] as string | undefined;
    if (replicasText !== undefined && !/^\d+$/.test(replicasText)) throw new UsageError(`'--replicas' must be an integer ≥ 0: got '${replicasText}'`);
    const scrapeText = values['scrape-interval'] as string | undefined;
    let scrapeIntervalSeconds: number | undefined;
    if (scrapeText !== undefined) {
      try {
        scrapeIntervalSeconds = durationMs(scrapeText) / 1000;
      } catch {
        throw new UsageError(`'--scrape-interval' must be a duration such as 15s: got '${scrapeText}'`);
      }
    }
    const rulesArg = values['rules'] as string | undefined;
    const { rules: loadedRules, file: rulesFile } = await loadRules(
      rulesArg === undefined ? undefined : resolve(cwd, rulesArg),
      hpaFile,
      loaded.prometheus?.adapterRules !== undefined,
    );
    // Show the file as the user typed it.
    const shownRulesFile = rulesArg ?? (rulesFile === hpaFile ? hpaArg : rulesFile) ?? rulesFile;
    const rules: NonNullable<MetricChainContext['rules']> = loadedRules.ok ? { ok: true, loaded: { ...loadedRules.loaded, file: shownRulesFile } } : loadedRules;
    const namespace = values['namespace'] as string | undefined;
    const diagnosis = await diagnose({
      hpas,
      ...(prometheusUrl === undefined ? {} : { prometheus: createPrometheusClient(prometheusUrl, { timeoutMs: 5_000 }) }),
      ...(adapterUrl === undefined ? {} : { adapterUrl }),
      rules,
      rulesFile: shownRulesFile,
      selector: String(values['selector'] ?? ''),
      ...(namespace === undefined ? {} : { namespace }),
      ...(replicasText === undefined ? {} : { replicas: Number(replicasText) }),
      ...(scrapeIntervalSeconds === undefined ? {} : { scrapeIntervalSeconds }),
      nowMs: Date.now(),
    });
    io.stdout.write(values['json'] ? `${JSON.stringify(diagnosis, null, 2)}\n` : formatDiagnosis(diagnosis));
    return diagnosis.ok ? 0 : 1;
  },
};
