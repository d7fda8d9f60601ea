import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SERVICE_MODEL } from '../sim/index.js';
import { InputError } from '../core/index.js';
import { buildScenario, deepMerge, parseScenarioText, selectAndPatch } from './scenario.js';
import { loadHpaConfig, loadScenarioFile } from './files/scenario-loader.js';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from './scenario-schema-json.js';

const ok = 'duration: 1h\nhpas: [{file: x.yaml}]\ntraffic: {type: ramp}\n';

describe('parseScenarioText()', () => {
  it.each([
    { name: 'a missing duration', text: 'hpas: [{file: x.yaml}]\ntraffic: {type: ramp}\n', path: 'duration', detail: 'required field is missing: expected a duration such as "90s", "2h", "1h30m", "30d" or a number of seconds within > 0 and <= 31622400 s (a limit of hpa-lab: 366 days of simulated time)' },
    { name: 'a negative duration', text: 'duration: -5m\nhpas: [{file: x.yaml}]\ntraffic: {type: ramp}\n', path: 'duration', detail: `expected a duration such as "90s", "2h", "1h30m", "30d" or a number of seconds within > 0 and <= 31622400 s (a limit of hpa-lab: 366 days of simulated time), got '-5m'` },
    { name: 'a negative number of seconds', text: 'duration: -300\nhpas: [{file: x.yaml}]\ntraffic: {type: ramp}\n', path: 'duration', detail: 'expected a duration such as "90s", "2h", "1h30m", "30d" or a number of seconds within > 0 and <= 31622400 s (a limit of hpa-lab: 366 days of simulated time), got -300' },
    { name: 'an unknown traffic type', text: 'duration: 1h\nhpas: [{file: x.yaml}]\ntraffic: {type: burst}\n', path: 'traffic.type', detail: "unknown traffic type 'burst': expected one of constant, traffic-spike, gradual-decline, off-hours, diurnal, step, ramp, trace, prometheus" },
    { name: 'a traffic without type', text: 'duration: 1h\nhpas: [{file: x.yaml}]\ntraffic: {peakRps: 5}\n', path: 'traffic.type', detail: 'required field is missing: expected a traffic type, one of constant, traffic-spike, gradual-decline, off-hours, diurnal, step, ramp, trace, prometheus' },
    { name: 'a bad traffic field', text: 'duration: 1h\nhpas: [{file: x.yaml}]\ntraffic: {type: ramp, toRps: -3}\n', path: 'traffic.toRps', detail: "must be a number from 0 to 1000000 rps (a limit of hpa-lab's workload model): got -3" },
    { name: 'an unknown field', text: `${ok}foo: 1\n`, path: 'foo', detail: "unknown field: expected one of 'name', 'description', 'duration', 'kubernetesVersion', 'warmUp', 'seed', 'hpa', 'hpas', 'services', 'traffic', 'pipeline', 'nodePool', 'externalMetrics', 'controller', 'slo', 'simulation', 'variants', 'fleet'" },
    { name: 'an unsupported Kubernetes version', text: `${ok}kubernetesVersion: "1.29"\n`, path: 'kubernetesVersion', detail: 'expected a Kubernetes version from 1.30 to 1.38 (like 1.37), got "1.29"' },
    { name: 'a GA gate turned off', text: `${ok}controller: {featureGates: {HPAConfigurableTolerance: false}}\n`, path: 'controller.featureGates.HPAConfigurableTolerance', detail: 'feature gate HPAConfigurableTolerance is GA in Kubernetes 1.38 and cannot be set to false' },
    { name: 'no HPA', text: 'duration: 1h\nhpas: []\ntraffic: {type: ramp}\n', path: 'hpas', detail: 'expected at least one HPA, got an empty list' },
    { name: 'an HPA entry with two sources', text: 'duration: 1h\nhpas: [{file: x.yaml, manifest: {}}]\ntraffic: {type: ramp}\n', path: 'hpas[0]', detail: "expected exactly one of 'file', 'manifest' or 'values', got 'file' and 'manifest'" },
    { name: 'a bad quantity', text: `${ok}services: {a: {cpu: {idle: lots}}}\n`, path: 'services.a.cpu.idle', detail: "expected idle CPU as a Kubernetes quantity from 0 to 1P (1e15) such as '500m' or '1350Mi', got 'lots'" },
    { name: 'a zero concurrency', text: `${ok}services: {a: {concurrency: 0}}\n`, path: 'services.a.concurrency', detail: 'expected an integer 1..10000, got 0' },
    { name: 'an unknown preset', text: `${ok}pipeline: {preset: turbo}\n`, path: 'pipeline.preset', detail: "expected one of 'fast', 'default', 'cost-optimized', got 'turbo'" },
    { name: 'a misspelt service field', text: `${ok}services: {a: {concurency: 3}}\n`, path: 'services.a.concurency', detail: expect.stringContaining("unknown field; did you mean 'concurrency'? (expected one of 'concurrency'") },
  ])('rejects $name with the field path', ({ text, path, detail }) => {
    let error: unknown;
    try {
      parseScenarioText(text, 's.yaml');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ code: 'schema', file: 's.yaml', path, detail });
  });

  it.each([
    { name: 'one file', hpa: 'hpa: a.yaml', want: [{ file: 'a.yaml' }] },
    { name: 'a list of files', hpa: 'hpa: [a.yaml, b.yaml]', want: [{ file: 'a.yaml' }, { file: 'b.yaml' }] },
  ])("expands the 'hpa' shorthand: $name", ({ hpa, want }) => {
    expect(parseScenarioText(`duration: 1h\n${hpa}\ntraffic: {type: ramp}\n`, 's.yaml').hpas).toEqual(want);
  });

  it.each([
    { name: 'neither hpa nor hpas', text: 'duration: 1h\ntraffic: {type: ramp}\n', path: 'hpas', detail: 'required field is missing: expected a list of HPAs (or hpa: FILE)' },
    { name: 'both hpa and hpas', text: 'duration: 1h\nhpa: a.yaml\nhpas: [{file: b.yaml}]\ntraffic: {type: ramp}\n', path: 'hpa', detail: "expected either 'hpa' or 'hpas', got both" },
  ])('rejects $name', ({ text, path, detail }) => {
    expect(() => parseScenarioText(text, 's.yaml')).toThrow(InputError);
    try {
      parseScenarioText(text, 's.yaml');
    } catch (e) {
      expect(e).toMatchObject({ path, detail });
    }
  });

  it('names the line of a YAML syntax error', () => {
    expect(() => parseScenarioText('duration: 1h\nhpas: [\n', 's.yaml')).toThrow(/^Cannot load 's\.yaml:line 3': invalid YAML/);
  });

  it.each([
    { duration: '90s', seconds: 90 },
    { duration: '2h', seconds: 7200 },
    { duration: '1h30m', seconds: 5400 },
    { duration: '30d', seconds: 2_592_000 },
    { duration: 600, seconds: 600 },
  ])('reads the duration $duration as $seconds s', ({ duration, seconds }) => {
    expect(parseScenarioText(`duration: ${duration}\nhpas: [{file: x.yaml}]\ntraffic: {type: ramp}\n`, 's.yaml').duration).toBe(seconds);
  });
});

describe('buildScenario()', () => {
  const hpa = { metadata: { name: 'asr' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'asr' }, maxReplicas: 5 } };

  it('fills the Lightning ASR defaults and the seeds’ pipeline', () => {
    const s = buildScenario(parseScenarioText(ok, 's.yaml'), { hpas: [hpa], defaultName: 's' });
    expect(s.services['asr']).toEqual(DEFAULT_SERVICE_MODEL);
    expect(s.pipeline).toEqual({ syncPeriodSeconds: 15, scrapeIntervalSeconds: 30, adapterDelaySeconds: 0, resourceMetricsResolutionSeconds: 15, lookbackSeconds: 300 });
    expect([s.name, s.stepSeconds, s.timelineEverySyncs, s.arrivals, s.sloLatencySeconds]).toEqual(['s', 1, 1, 'poisson', 5]);
  });

  it.each([
    { name: 'fast', preset: 'fast', scrape: 15 },
    { name: 'cost-optimized', preset: 'cost-optimized', scrape: 60 },
  ])('applies the $name preset (scrape every $scrape s)', ({ preset, scrape }) => {
    const s = buildScenario(parseScenarioText(`${ok}pipeline: {preset: ${preset}}\n`, 's.yaml'), { hpas: [hpa], defaultName: 's' });
    expect(s.pipeline.scrapeIntervalSeconds).toBe(scrape);
  });

  it('reads service quantities and durations into the model’s units', () => {
    const text = `${ok}services:\n  asr:\n    serviceTime: 200ms\n    modelLoadSeconds: 2m\n    requests: {cpu: 500m, memory: 1350Mi}\n    cpu: {idle: 50m, startup: {extra: 550m, holdSeconds: 4m, decaySeconds: 60}}\n    memory: {idle: 1100Mi, perRequest: 0}\n    metrics: {gpu_utilization: {source: busy-percent, averageOverSeconds: 2m}}\n`;
    const m = buildScenario(parseScenarioText(text, 's.yaml'), { hpas: [hpa], defaultName: 's' }).services['asr']!;
    expect(m.serviceTime).toEqual({ distribution: 'fixed', meanSeconds: 0.2 });
    expect(m.modelLoadSeconds).toBe(120);
    expect(m.requests).toEqual({ cpuMillicores: 500, memoryBytes: 1350 * 1024 * 1024 });
    expect(m.cpu).toEqual({ idleMillicores: 50, perRequestMillicores: DEFAULT_SERVICE_MODEL.cpu.perRequestMillicores, startup: { extraMillicores: 550, holdSeconds: 240, decaySeconds: 60 } });
    expect(m.memory).toEqual({ idleBytes: 1100 * 1024 * 1024, perRequestBytes: 0 });
    expect(m.metrics).toEqual({ gpu_utilization: { source: 'busy-percent', averageOverSeconds: 120 } });
  });

  it('takes requests and the container name from a manifest’s Deployment when the scenario has none', () => {
    const s = buildScenario(parseScenarioText(ok, 's.yaml'), {
      hpas: [hpa],
      defaultName: 's',
      deployments: { asr: { kind: 'Deployment', name: 'asr', containers: [{ name: 'app', requestsMilli: { cpu: 500, memory: 1350 * 1024 * 1024 * 1000 } }] } },
    });
    expect(s.services['asr']!.requests).toEqual({ cpuMillicores: 500, memoryBytes: 1350 * 1024 * 1024 });
    expect(s.services['asr']!.containerName).toBe('app');
  });
});

describe('deepMerge() and selectAndPatch()', () => {
  it.each([
    { name: 'merges mappings key by key', base: { a: { b: 1, c: 2 } }, patch: { a: { c: 3 } }, want: { a: { b: 1, c: 3 } } },
    { name: 'replaces lists', base: { a: [1, 2] }, patch: { a: [3] }, want: { a: [3] } },
    { name: 'deletes with null', base: { a: 1, b: 2 }, patch: { b: null }, want: { a: 1 } },
  ])('$name', ({ base, patch, want }) => {
    expect(deepMerge(base, patch)).toEqual(want);
  });

  const hpa = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'asr' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'asr' }, maxReplicas: 5 } };

  it('patches an HPA by name and validates the result', () => {
    const [patched] = selectAndPatch([hpa], { patch: { asr: { spec: { maxReplicas: 8 } } } }, { file: 's.yaml', path: ['hpas', 0] });
    expect(patched!.spec.maxReplicas).toBe(8);
    expect(() => selectAndPatch([hpa], { patch: { asr: { spec: { maxReplicas: 0 } } } }, { file: 's.yaml', path: ['hpas', 0] })).toThrow(InputError);
  });

  it.each([
    { name: "an unknown HPA in 'only'", entry: { only: ['web'] }, message: "Cannot load 's.yaml' at 'hpas[0].only[0]': no HPA named 'web': expected one of 'asr'" },
    { name: 'an unknown HPA in a patch', entry: { patch: { web: {} } }, message: "Cannot load 's.yaml' at 'hpas[0].patch.web': no HPA named 'web' to patch: expected one of 'asr', '*'" },
  ])('rejects $name', ({ entry, message }) => {
    expect(() => selectAndPatch([hpa], entry, { file: 's.yaml', path: ['hpas', 0] })).toThrow(message);
  });
});

describe('loadScenarioFile()', () => {
  it('resolves HPA files relative to the scenario, with variants and the file’s seed', async () => {
    const loaded = await loadScenarioFile('examples/scenarios/compare-stabilization.yaml');
    expect(loaded.scenario.hpas.map((h) => h.metadata.name)).toEqual(['lightning-asr']);
    expect(loaded.variants.map((v) => v.name)).toEqual(['window-120s', 'target-3', 'target-10']);
    expect(loaded.variants[0]!.scenario.hpas[0]!.spec.behavior?.scaleDown?.stabilizationWindowSeconds).toBe(120);
    expect(loaded.seed).toBe(7);
    // kube-prometheus-stack's scrapeInterval in the values file sets the pipeline.
    expect(loaded.scenario.pipeline.scrapeIntervalSeconds).toBe(30);
  });

  it('names the scenario field when a referenced file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-'));
    const file = join(dir, 's.yaml');
    await writeFile(file, 'duration: 1h\nhpas: [{file: nope.yaml}]\ntraffic: {type: ramp}\n');
    await expect(loadScenarioFile(file)).rejects.toMatchObject({ code: 'unreadable', path: 'hpas[0].file' });
  });

  it('reads a trace file relative to the scenario and says which line is bad', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-'));
    await writeFile(join(dir, 'trace.csv'), 't,rps\n0,5\n60,10\n');
    await writeFile(join(dir, 'bad.csv'), 't,rps\n0,5\n60,many\n');
    const manifest = '  - manifest: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: asr}, spec: {scaleTargetRef: {kind: Deployment, name: asr}, maxReplicas: 3}}\n';
    await writeFile(join(dir, 's.yaml'), `duration: 2m\nhpas:\n${manifest}traffic: {type: trace, file: trace.csv}\n`);
    await writeFile(join(dir, 'b.yaml'), `duration: 2m\nhpas:\n${manifest}traffic: {type: trace, file: bad.csv}\n`);
    const loaded = await loadScenarioFile(join(dir, 's.yaml'));
    expect(loaded.scenario.trafficPoints).toEqual([
      { t: 0, rps: 5 },
      { t: 60, rps: 10 },
    ]);
    const error = await loadScenarioFile(join(dir, 'b.yaml')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).line).toBe(3);
  });

  it('loads the HPAs of a --compare file: a scenario, a manifest or Helm values', async () => {
    expect((await loadHpaConfig('examples/scenarios/traffic-spike.yaml')).hpas[0]!.spec.behavior?.scaleUp?.stabilizationWindowSeconds).toBe(0);
    expect((await loadHpaConfig('examples/lightning-asr/values.yaml')).hpas.map((h) => h.metadata.name)).toEqual(['lightning-asr', 'api-server']);
  });
});

describe('schemas/scenario.schema.json', () => {
  it('is current (regenerate with: npx tsx scripts/gen-schema.ts)', async () => {
    expect(await readFile(SCENARIO_SCHEMA_PATH, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('documents the required fields and the traffic types', () => {
    const schema = JSON.parse(scenarioJsonSchemaText()) as { required: string[]; oneOf: unknown[]; properties: { traffic: unknown } };
    expect(schema.required).toEqual(['duration', 'traffic']);
    expect(schema.oneOf).toEqual([{ required: ['hpas'] }, { required: ['hpa'] }]);
    expect(JSON.stringify(schema.properties.traffic)).toContain('traffic-spike');
  });
});
