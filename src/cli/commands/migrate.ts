/**
 * `hpa-lab migrate VALUES|ADAPTER-CONFIG --to keda`: KEDA ScaledObjects for the HPAs that
 * prometheus-adapter serves (src/render `migrateToKeda`), validated with @kubernetes-models/keda,
 * a note per metric on what changes in meaning, and with `--simulate SCENARIO` both HPAs run on
 * the same traffic and seed.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../../core/index.js';
import type { HorizontalPodAutoscaler } from '../../engine/index.js';
import { parseHelmValues } from '../../input/index.js';
import { loadHpaFile, loadScenarioFile } from '../../input/files/index.js';
import { compileAdapterConfig, parseAdapterConfig, SEED_ADAPTER_VALUES } from '../../metrics/adapter/index.js';
import { formatTable } from '../../report/index.js';
import { migrateToKeda, readChartSettings, SEED_NAMESPACE, toYamlStream, validateManifest, type KubeObject } from '../../render/index.js';
import { runSimulation, type ServiceMetricSource } from '../../sim/index.js';
import { UsageError, type CommandDef } from '../command.js';
import type { Io } from '../io.js';
import { compareTables } from './simulate-report.js';

async function readText(cwd: string, file: string): Promise<string> {
  try {
    return await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    throw new InputError('unreadable', file, '', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function isAdapterConfigFile(text: string, file: string): boolean {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (error) {
    throw new InputError('syntax', file, '', `invalid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
  return doc !== null && typeof doc === 'object' && !Array.isArray(doc) && ('rules' in doc || 'externalRules' in doc) && !('scaling' in doc) && !('prometheus-adapter' in doc);
}

export const migrateCommand: CommandDef = {
  name: 'migrate',
  summary: 'Turn prometheus-adapter-served HPAs into KEDA ScaledObjects (validated), say what changes in meaning, and simulate both',
  usage: 'VALUES|ADAPTER-CONFIG --to keda [--hpa FILE] [--out DIR] [--simulate SCENARIO]',
  options: [
    { name: 'to', type: 'string', arg: 'TARGET', description: "what to migrate to: 'keda'" },
    { name: 'hpa', type: 'string', arg: 'FILE', description: 'the HPAs (manifests or Helm values) when the input is an adapter config file' },
    { name: 'prometheus', type: 'string', arg: 'URL', description: "the triggers' serverAddress (default: the values' prometheus-adapter.prometheus url and port)" },
    { name: 'namespace', type: 'string', short: 'n', arg: 'NS', description: "namespace of HPAs that name none (default: the values' namespace, else smallest)" },
    { name: 'out', type: 'string', arg: 'DIR', description: 'write scaledobjects.yaml and keda-hpa.yaml (the HPAs KEDA creates) there instead of printing' },
    { name: 'simulate', type: 'string', arg: 'SCENARIO', description: "run the adapter HPAs and the KEDA-made HPAs on the scenario's traffic and seed, side by side" },
    { name: 'seed', type: 'string', arg: 'N', description: "with --simulate: the random seed (default: the scenario's, else 1)" },
  ],
  examples: [
    'hpa-lab migrate examples/lightning-asr/values.yaml --to keda',
    'hpa-lab migrate examples/lightning-asr/values.yaml --to keda --simulate examples/scenarios/traffic-spike.yaml',
    'hpa-lab migrate adapter-config.yaml --to keda --hpa examples/lightning-asr/hpa.yaml --out run/keda',
  ],
  async run({ positionals, values }, io) {
    const [input, ...extra] = positionals;
    if (input === undefined) throw new UsageError('missing VALUES or ADAPTER-CONFIG');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const to = values['to'];
    if (to !== 'keda') throw new UsageError(`'--to' must be 'keda' (the only target): got ${to === undefined ? 'nothing' : `'${String(to)}'`}`);
    const seedText = values['seed'] as string | undefined;
    if (seedText !== undefined && !/^-?\d+$/.test(seedText)) throw new UsageError(`'--seed' must be an integer: got '${seedText}'`);
    const prometheusFlag = values['prometheus'] as string | undefined;
    if (prometheusFlag !== undefined && !/^https?:\/\//.test(prometheusFlag)) throw new UsageError(`'--prometheus' must be an http(s) URL: got '${prometheusFlag}'`);
    const cwd = io.cwd ?? process.cwd();
    const text = await readText(cwd, input);

    let hpas: readonly HorizontalPodAutoscaler[];
    let adapterText = text;
    let adapterFile = input;
    let namespace = (values['namespace'] as string | undefined) ?? SEED_NAMESPACE;
    let prometheusUrl = prometheusFlag;
    if (isAdapterConfigFile(text, input)) {
      const hpaFile = values['hpa'] as string | undefined;
      if (!hpaFile) throw new UsageError(`'${input}' is an adapter config: pass the HPAs it serves with '--hpa FILE'`);
      hpas = (await loadHpaFile(resolve(cwd, hpaFile))).hpas;
    } else {
      const parsed = parseHelmValues(text, input);
      const settings = readChartSettings(text, input);
      if (values['namespace'] === undefined) namespace = settings.namespace;
      hpas = parsed.hpas.map((h) => ({ ...h, metadata: { ...h.metadata, namespace: h.metadata.namespace ?? namespace } }));
      if (values['hpa'] !== undefined) hpas = (await loadHpaFile(resolve(cwd, values['hpa'] as string))).hpas;
      const url = parsed.prometheus?.adapterPrometheusUrl;
      if (prometheusUrl === undefined && url !== undefined) prometheusUrl = parsed.prometheus?.adapterPrometheusPort === undefined || /:\d+$/.test(url) ? url : `${url}:${parsed.prometheus.adapterPrometheusPort}`;
      if (parsed.prometheus?.adapterRules === undefined) {
        adapterText = SEED_ADAPTER_VALUES;
        adapterFile = 'seed 002 prometheus-adapter values';
        io.stderr.write(`note: ${input} has no prometheus-adapter.rules: using the seeds' rules\n`);
      }
    }
    if (hpas.length === 0) throw new InputError('semantic', input, '', 'holds no HorizontalPodAutoscaler to migrate');
    const compiled = compileAdapterConfig(parseAdapterConfig(adapterText, { file: adapterFile }), { file: adapterFile });
    const migration = migrateToKeda(hpas, compiled, { namespace, prometheusUrl: prometheusUrl ?? 'http://prometheus-operated.monitoring.svc:9090' });

    const problems = migration.scaledObjects.flatMap((o) => validateManifest(o));
    if (problems.length > 0) {
      io.stderr.write(`✗ ScaledObject schema (@kubernetes-models/keda): ${problems.join('; ')}\n`);
      return 1;
    }
    const log = values['out'] === undefined ? io.stderr : io.stdout;
    log.write(`✓ ScaledObject schema (@kubernetes-models/keda): ${migration.scaledObjects.length} valid\n`);
    const notesText = migration.notes
      .map((n) => `# ${n.hpa} / ${n.metric}${n.rule ? ` (from ${n.rule})` : ''}:\n${n.notes.map((x) => `#   - ${x}`).join('\n')}\n`)
      .join('');
    const yamlText = `${notesText}${toYamlStream(migration.scaledObjects)}`;
    const out = values['out'] as string | undefined;
    if (out === undefined) io.stdout.write(yamlText);
    else {
      const dir = resolve(cwd, out);
      await mkdir(dir, { recursive: true });
      for (const [name, body] of [
        ['scaledobjects.yaml', yamlText],
        ['keda-hpa.yaml', `# The HPAs KEDA creates from the ScaledObjects (External metrics s<N>-prometheus), for 'hpa-lab simulate --compare'\n${toYamlStream(migration.kedaHpas as unknown as KubeObject[])}`],
      ] as const) {
        await writeFile(join(dir, name), body);
        io.stdout.write(`wrote ${relative(cwd, join(dir, name)) || name}\n`);
      }
      io.stdout.write(notesText.replace(/^# /gm, '').replace(/^# {3}/gm, '  '));
    }
    const scenarioPath = values['simulate'] as string | undefined;
    if (scenarioPath !== undefined) return simulateBoth({ scenarioPath, hpas, kedaHpas: migration.kedaHpas, seed: seedText === undefined ? undefined : Number(seedText) }, io);
    return 0;
  },
};

/**
 * The same traffic and seed through the adapter HPAs and through the HPAs KEDA makes. KEDA's
 * External metric for a former Pods metric is the sum over the target's pods (the simulator's
 * `active` service source for `asr_active_requests`); an External metric keeps its source.
 */
async function simulateBoth(input: { scenarioPath: string; hpas: readonly HorizontalPodAutoscaler[]; kedaHpas: readonly HorizontalPodAutoscaler[]; seed: number | undefined }, io: Io): Promise<number> {
  const cwd = io.cwd ?? process.cwd();
  const loaded = await loadScenarioFile(resolve(cwd, input.scenarioPath));
  const base = loaded.scenario;
  const externalMetrics: Record<string, ServiceMetricSource> = { ...base.externalMetrics };
  const kedaHpas = input.kedaHpas.map((k) => {
    const original = input.hpas.find((h) => h.metadata.name === k.metadata.name);
    const metrics = (k.spec.metrics ?? []).map((m, i) => {
      // KEDA names every ScaledObject's metrics s0-prometheus, s1-…; the simulator keys External metrics by name alone.
      const simName = `${k.metadata.name}-s${i}-prometheus`;
      const from = original?.spec.metrics?.filter((x) => x.type === 'Pods' || x.type === 'External')[i];
      const target = k.spec.scaleTargetRef.name;
      if (from?.type === 'Pods') {
        if (from.pods?.metric.name !== 'asr_active_requests') io.stderr.write(`note: the simulator models '${from.pods?.metric.name}' per pod only: its KEDA sum is simulated as active requests of ${target}\n`);
        externalMetrics[simName] = { source: 'active', service: target };
      } else {
        const name = from?.external?.metric.name ?? '';
        const known = base.externalMetrics[name];
        const replicaOf = /^(.+)_replica_count$/.exec(name)?.[1];
        const service = [...Object.keys(base.services), ...base.hpas.map((h) => h.spec.scaleTargetRef.name)].find((s) => s.replace(/[-.]/g, '_') === replicaOf);
        if (known) externalMetrics[simName] = known;
        else if (service) externalMetrics[simName] = { source: 'replicas', service };
      }
      return { ...m, external: { ...m.external!, metric: { name: simName } } };
    });
    return { ...k, spec: { ...k.spec, metrics } };
  });
  const seed = input.seed ?? loaded.seed ?? 1;
  const runs = [
    { name: 'prometheus-adapter', result: runSimulation({ ...base, hpas: input.hpas }, { seed }) },
    { name: 'keda', result: runSimulation({ ...base, hpas: kedaHpas, externalMetrics }, { seed }) },
  ];
  io.stdout.write(`\nScenario ${base.name} (seed ${seed}): the adapter HPAs and the KEDA-made HPAs on the same traffic\n\n`);
  for (const t of compareTables(runs)) {
    io.stdout.write(`${t.title}:\n${formatTable(t.columns, t.rows, { align: t.columns.map((_, i) => (i === 0 ? 'left' : 'right')) })}\n`);
  }
  const decisions = (r: (typeof runs)[number]): string =>
    r.result.events
      .filter((e) => e.reason === 'SuccessfulRescale')
      .map((e) => `${e.hpa}@${e.t}:${e.message.replace(/;.*$/, '')}`)
      .join('|');
  const same = decisions(runs[0]!) === decisions(runs[1]!);
  io.stdout.write(same ? 'They decide alike: the same rescales at the same times.\n' : 'They decide differently: compare the tables (the Pods → External change counts unready and missing pods differently).\n');
  return 0;
}
