/**
 * `hpa-lab render [values.yaml] --out DIR`: writes the local stack's Prometheus configuration
 * (intervals and retention from the values, file_sd for the workers, a static job for
 * kube-state-metrics), its rule files (the values' `additionalPrometheusRulesMap` over the seed's
 * rules) and the adapter's configuration (the values' `prometheus-adapter.rules`, else the seed's),
 * then validates them with promtool when it is installed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { checkAdapterPromql, SEED_ADAPTER_VALUES } from '../../metrics/adapter/adapter-config-file.js';
import { compileAdapterConfig } from '../../metrics/adapter/compile-adapter-config.js';
import { parseAdapterConfig } from '../../metrics/adapter/parse-adapter-config.js';
import { checkConfig, checkRules, findExecutable } from '../../metrics/prometheus/promtool.js';
import { durationMs } from '../../metrics/prometheus/prometheus-config.js';
import { STACK_EXPORTER_JOB } from '../../metrics/prometheus/stack-exporter.js';
import { buildStackFiles, STACK_FILES } from '../../metrics/prometheus/stack-files.js';
import { InputError } from '../../core/errors.js';
import { parseHelmValues } from '../../input/helm-values.js';
import { UsageError, type CommandDef } from '../command.js';

export const renderCommand: CommandDef = {
  name: 'render',
  summary: "Write the stack's Prometheus config, rule files and adapter config (checked with promtool when installed)",
  usage: '[VALUES] --out DIR [options]',
  options: [
    { name: 'out', type: 'string', short: 'o', arg: 'DIR', description: 'folder to write into (created if missing)' },
    { name: 'scrape-interval', type: 'string', arg: 'D', description: "override the values' scrapeInterval (e.g. 15s)" },
    { name: 'kube-state-metrics', type: 'string', arg: 'HOST:PORT', default: '127.0.0.1:8080', description: 'the kube-state-metrics (or stack exporter) target for the external replica-count rule' },
    { name: 'no-check', type: 'boolean', description: 'do not run promtool on the result' },
  ],
  examples: ['hpa-lab render examples/lightning-asr/values.yaml --out run/stack', 'hpa-lab render --out run/stack --scrape-interval 15s'],
  async run({ positionals, values }, io) {
    const [valuesFile, ...extra] = positionals;
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const outArg = values['out'] as string | undefined;
    if (!outArg) throw new UsageError("missing '--out DIR'");
    const cwd = io.cwd ?? process.cwd();
    const out = resolve(cwd, outArg);
    const scrapeInterval = values['scrape-interval'] as string | undefined;
    if (scrapeInterval !== undefined) {
      try {
        durationMs(scrapeInterval);
      } catch {
        throw new UsageError(`'--scrape-interval' must be a Prometheus duration such as 15s: got '${scrapeInterval}'`);
      }
    }
    const ksm = String(values['kube-state-metrics']);
    if (!/^[^:\s]+:\d+$/.test(ksm)) throw new UsageError(`'--kube-state-metrics' must be HOST:PORT: got '${ksm}'`);

    let text = '';
    if (valuesFile !== undefined) {
      try {
        text = await readFile(resolve(cwd, valuesFile), 'utf8');
      } catch (error) {
        throw new InputError('unreadable', valuesFile, '', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
      }
    }
    const settings = valuesFile === undefined ? undefined : parseHelmValues(text, valuesFile).prometheus;
    const adapterSource = settings?.adapterRules !== undefined ? { text, file: valuesFile ?? '' } : { text: SEED_ADAPTER_VALUES, file: 'seed 002 prometheus-adapter values' };
    const adapterConfig = parseAdapterConfig(adapterSource.text, { file: adapterSource.file });
    const files = buildStackFiles({
      ...(settings ? { settings } : {}),
      ...(valuesFile === undefined ? {} : { valuesFile }),
      ...(scrapeInterval === undefined ? {} : { scrapeInterval }),
      staticJobs: [{ jobName: STACK_EXPORTER_JOB, targets: [ksm], honorLabels: true }],
      adapterConfig,
    });
    for (const f of files) {
      const path = join(out, f.path);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, f.text);
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
