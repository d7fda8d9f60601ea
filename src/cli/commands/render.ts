/**
 * `hpa-lab render VALUES --kubernetes --out DIR` (or `-o yaml`): the manifests the values deploy on
 * a cluster (src/render), each validated before it is written.
 *
 * `hpa-lab render [values.yaml] --out DIR`: writes the local stack's Prometheus configuration
 * (intervals and retention from the values, file_sd for the workers, a static job for
 * kube-state-metrics, then the values' `additionalScrapeConfigs` as written), its rule files (the values' `additionalPrometheusRulesMap` over the seed's
 * rules) and the adapter's configuration (the values' `prometheus-adapter.rules`, else the seed's),
 * then validates them with promtool when it is installed.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { checkRendered, renderKubernetes, toYamlStream } from '../../render/index.js';
import { checkAdapterPromql, SEED_ADAPTER_VALUES, compileAdapterConfig, parseAdapterConfig } from '../../metrics/adapter/index.js';
import { checkConfig, checkRules, findExecutable, durationMs, STACK_EXPORTER_JOB, buildStackFiles, STACK_FILES } from '../../metrics/prometheus/index.js';
import { InputError } from '../../core/index.js';
import { parseHelmValues, checkRange, RANGES, parseYamlDocuments } from '../../input/index.js';

/** Top-level keys of the seeds' Helm values that `render` reads. */
const RENDER_KEYS = ['kube-prometheus-stack', 'prometheus-adapter', 'scaling'] as const;
const VALUES_EXPECTED = `expected the seeds' Helm values: one YAML mapping with at least one of ${RENDER_KEYS.map((k) => `'${k}'`).join(', ')}`;

/** Refuses a values file that holds nothing render reads (an HPA manifest, an empty or unrelated file). */
function checkValuesShape(text: string, file: string): void {
  const docs = parseYamlDocuments(text, file).filter((d) => d.value !== null);
  if (docs.length === 0) throw new InputError('schema', file, '', `file is empty: ${VALUES_EXPECTED}`);
  const kinds = docs.map((d) => d.value).filter((v): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>)['kind'] === 'string');
  if (kinds.length > 0) {
    throw new InputError('schema', file, '', `is a Kubernetes manifest (kind: ${String(kinds[0]!['kind'])}), not Helm values: ${VALUES_EXPECTED}`);
  }
  if (docs.length > 1) throw new InputError('schema', file, '', `holds ${docs.length} YAML documents: ${VALUES_EXPECTED}`);
  const root = docs[0]!.value;
  if (typeof root !== 'object' || Array.isArray(root)) throw new InputError('schema', file, '', `${VALUES_EXPECTED}, got ${Array.isArray(root) ? 'a list' : `the scalar ${JSON.stringify(`${root as string | number | boolean}`.slice(0, 40))}`}`);
  const keys = Object.keys(root as Record<string, unknown>);
  if (!keys.some((k) => (RENDER_KEYS as readonly string[]).includes(k))) {
    const shown = keys.slice(0, 5).map((k) => `'${k}'`).join(', ');
    throw new InputError('schema', file, '', `${VALUES_EXPECTED}, found only ${shown}${keys.length > 5 ? `, ... (${keys.length} keys)` : ''}`);
  }
}
import { UsageError, type CommandDef } from '../command.js';
import type { Io } from '../io.js';

/** `render --kubernetes`: build, validate, then write (or print) the manifests. */
async function renderManifests(input: { valuesFile: string; out?: string; output?: string; namespace?: string; shadow: boolean; check: boolean }, io: Io): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  let text: string;
  try {
    text = await readFile(resolve(cwd, input.valuesFile), 'utf8');
  } catch (error) {
    throw new InputError('unreadable', input.valuesFile, '', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
  const rendered = renderKubernetes(text, input.valuesFile, { shadow: input.shadow, ...(input.namespace === undefined ? {} : { namespace: input.namespace }) });
  // Progress and checks go to stderr when the manifests go to stdout.
  const log = input.output ? io.stderr : io.stdout;
  for (const w of rendered.warnings) io.stderr.write(`warning: ${w}\n`);
  const checks = await checkRendered(rendered, input.check ? {} : { promtool: false });
  let failed = false;
  for (const c of checks) {
    failed ||= !c.ok;
    log.write(`${c.skipped ? '-' : c.ok ? '✓' : '✗'} ${c.name}: ${c.detail}\n`);
  }
  if (failed) {
    io.stderr.write('render: nothing written: a rendered document is invalid (see ✗ above)\n');
    return 1;
  }
  if (input.output) {
    io.stdout.write(toYamlStream(rendered.files.flatMap((f) => f.objects)));
    return 0;
  }
  const out = resolve(cwd, input.out as string);
  const files = [
    ...rendered.files.map((f) => ({ path: f.path, text: toYamlStream(f.objects) })),
    { path: 'grafana-dashboard.json', text: `${JSON.stringify(rendered.dashboard, null, 2)}\n` },
  ];
  for (const f of files) {
    const path = join(out, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.text);
    const shown = relative(cwd, path);
    io.stdout.write(`wrote ${shown.startsWith('..') || shown === '' ? path : shown}\n`);
  }
  return 0;
}

export const renderCommand: CommandDef = {
  name: 'render',
  summary: "Write the stack's Prometheus config, rule files and adapter config, or with --kubernetes the cluster's manifests (each validated)",
  usage: '[VALUES] --out DIR [options] | VALUES --kubernetes (--out DIR | -o yaml) [--shadow]',
  options: [
    { name: 'out', type: 'string', arg: 'DIR', description: 'folder to write into (created if missing)' },
    { name: 'kubernetes', type: 'boolean', short: 'k', description: 'write the Kubernetes manifests instead: HPAs, ServiceMonitor, PrometheusRule, adapter ConfigMap and APIServices, Grafana dashboard (each validated)' },
    { name: 'output', type: 'string', short: 'o', arg: 'FORMAT', description: "with --kubernetes: print the manifests to stdout as 'yaml' instead of writing files" },
    { name: 'shadow', type: 'boolean', description: 'with --kubernetes: add the Deployment, ServiceAccount and read-only RBAC of hpa-lab shadow --cluster' },
    { name: 'namespace', type: 'string', short: 'n', arg: 'NS', description: "with --kubernetes: the application namespace (default: the values' namespace, else smallest as in the seeds)" },
    { name: 'scrape-interval', type: 'string', arg: 'D', description: "override the values' scrapeInterval (e.g. 15s)" },
    { name: 'kube-state-metrics', type: 'string', arg: 'HOST:PORT', default: '127.0.0.1:8080', description: 'the kube-state-metrics (or stack exporter) target for the external replica-count rule' },
    { name: 'no-check', type: 'boolean', description: 'do not run promtool on the result' },
  ],
  examples: [
    'hpa-lab render examples/lightning-asr/values.yaml --out run/stack',
    'hpa-lab render --out run/stack --scrape-interval 15s',
    'hpa-lab render examples/lightning-asr/values.yaml --kubernetes --out run/k8s --shadow',
    'hpa-lab render examples/lightning-asr/values.yaml --kubernetes -o yaml | kubectl apply --dry-run=server -f -',
  ],
  async run({ positionals, values }, io) {
    const [valuesFile, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const outArg = values['out'] as string | undefined;
    const output = values['output'] as string | undefined;
    if (output !== undefined && output !== 'yaml') {
      throw new UsageError(`'-o/--output' must be 'yaml' (the manifests to stdout): got '${output}'; to write into a folder use '--out DIR'`);
    }
    if (values['kubernetes']) {
      if (values['scrape-interval'] !== undefined) throw new UsageError("'--scrape-interval' sets the local stack's Prometheus: it has no effect with --kubernetes (the values' scrapeInterval is the cluster's)");
      if (valuesFile === undefined) throw new UsageError('missing VALUES: --kubernetes renders what a Helm values file deploys');
      if ((outArg === undefined) === (output === undefined)) throw new UsageError("--kubernetes needs exactly one of '--out DIR' or '-o yaml'");
      const namespace = values['namespace'] as string | undefined;
      if (namespace !== undefined && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(namespace)) throw new UsageError(`'--namespace' must be a DNS-1123 label: got '${namespace}'`);
      return renderManifests(
        { valuesFile, ...(outArg === undefined ? {} : { out: outArg }), ...(output === undefined ? {} : { output }), ...(namespace === undefined ? {} : { namespace }), shadow: values['shadow'] === true, check: !values['no-check'] },
        io,
      );
    }
    for (const flag of ['output', 'shadow', 'namespace'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`'--${flag}' needs '--kubernetes'`);
    }
    if (!outArg) throw new UsageError("missing '--out DIR'");
    const cwd = io.cwd ?? process.cwd();
    const out = resolve(cwd, outArg);
    const scrapeInterval = values['scrape-interval'] as string | undefined;
    if (scrapeInterval !== undefined) {
      let ms: number;
      try {
        ms = durationMs(scrapeInterval);
      } catch {
        throw new UsageError(`'--scrape-interval' must be a Prometheus duration such as 15s: got '${scrapeInterval}'`);
      }
      const problem = checkRange(ms / 1000, RANGES.scrapeIntervalSeconds);
      if (problem) throw new UsageError(`'--scrape-interval': ${problem.replace(/got .*$/, `got '${scrapeInterval}'`)}`);
    }
    const ksm = String(values['kube-state-metrics']);
    const ksmPort = /^[^:\s]+:(\d{1,10})$/.exec(ksm)?.[1];
    if (ksmPort === undefined || !(Number(ksmPort) >= 1 && Number(ksmPort) <= 65_535)) {
      throw new UsageError(`'--kube-state-metrics' must be HOST:PORT with a port from 1 to 65535: got '${ksm}'`);
    }
    const outStat = await stat(out).catch(() => undefined);
    if (outStat !== undefined && !outStat.isDirectory()) throw new UsageError(`'--out' must name a folder: '${outArg}' exists and is not a folder`);

    let text = '';
    if (valuesFile !== undefined) {
      try {
        text = await readFile(resolve(cwd, valuesFile), 'utf8');
      } catch (error) {
        throw new InputError('unreadable', valuesFile, '', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    }
    if (valuesFile !== undefined) checkValuesShape(text, valuesFile);
    const settings = valuesFile === undefined ? undefined : parseHelmValues(text, valuesFile).prometheus;
    const adapterSource = settings?.adapterRules !== undefined ? { text, file: valuesFile ?? '' } : { text: SEED_ADAPTER_VALUES, file: 'seed 002 prometheus-adapter values' };
    const adapterConfig = parseAdapterConfig(adapterSource.text, { file: adapterSource.file });
    const files = buildStackFiles({
      ...(settings ? { settings } : {}),
      ...(valuesFile === undefined ? {} : { valuesFile }),
      ...(scrapeInterval === undefined ? {} : { scrapeInterval }),
      staticJobs: [{ jobName: STACK_EXPORTER_JOB, targets: [ksm], honorLabels: true }],
      adapterConfig,
      additionalScrapeConfigs: true,
    });
    for (const f of files) {
      const path = join(out, f.path);
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, f.text);
      } catch (error) {
        throw new InputError('unreadable', outArg, '', `cannot write ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
      }
      const shown = relative(cwd, path);
      io.stdout.write(`wrote ${shown.startsWith('..') || shown === '' ? path : shown}\n`);
    }
    if (values['no-check']) return 0;
    if (!findExecutable('promtool')) {
      io.stdout.write('promtool not found: checks skipped (apt-get install -y prometheus)\n');
      return 0;
    }
    let failed = false;
    const report = (name: string, ok: boolean, detail: string): void => {
      failed ||= !ok;
      io.stdout.write(`${ok ? '✓' : '✗'} ${name}: ${detail}\n`);
    };
    const config = await checkConfig(join(out, STACK_FILES.config));
    report('promtool check config', config.ok, config.ok ? 'SUCCESS' : (config.stderr || config.stdout).trim());
    const ruleFiles = files.filter((f) => f.path.startsWith(`${STACK_FILES.rulesDir}/`)).map((f) => join(out, f.path));
    const rules = await checkRules(ruleFiles);
    const found = [...rules.stdout.matchAll(/SUCCESS: (\d+) rules found/g)].reduce((n, m) => n + Number(m[1]), 0);
    report('promtool check rules', rules.ok, rules.ok ? `SUCCESS: ${found} rules in ${ruleFiles.length} files` : (rules.stderr || rules.stdout).trim());
    const problems = await checkAdapterPromql(compileAdapterConfig(adapterConfig, { file: adapterSource.file }));
    report(
      'adapter rules PromQL',
      problems.length === 0,
      problems.length === 0 ? `${adapterConfig.rules.length + adapterConfig.externalRules.length} rules parse` : problems.map((p) => `${p.path}: ${p.message}`).join('; '),
    );
    return failed ? 1 : 0;
  },
};
