/** Scenario files as a first-time author meets them: unknown fields, constant traffic, warmUp, file lookup, ranges. */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { closestName, unknownFieldMessage } from '../core/index.js';
import { runSimulation, warmedUpState } from '../sim/index.js';
import { parseScenarioText } from './scenario.js';
import { loadScenarioFile } from './files/scenario-loader.js';

const HPA = '  - manifest: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: asr}, spec: {scaleTargetRef: {kind: Deployment, name: asr}, maxReplicas: 3}}\n';
const base = (extra: string): string => `duration: 1h\nhpas:\n${HPA}traffic: {type: constant, rps: 5}\n${extra}`;

function errorOf(text: string): unknown {
  try {
    parseScenarioText(text, 's.yaml');
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('closestName()', () => {
  it.each([
    { name: 'stepz', candidates: ['type', 'steps', 'initialRps'], expected: 'steps' },
    { name: 'concurency', candidates: ['concurrency', 'serviceTime'], expected: 'concurrency' },
    { name: 'TORPS', candidates: ['fromRps', 'toRps'], expected: 'toRps' },
    { name: 'banana', candidates: ['steps', 'type'], expected: undefined },
  ])('$name -> $expected', ({ name, candidates, expected }) => {
    expect(closestName(name, candidates)).toBe(expected);
  });

  it('says "did you mean" only when a name is close', () => {
    expect(unknownFieldMessage('stepz', ['type', 'steps'])).toBe("unknown field; did you mean 'steps'? (expected one of 'type', 'steps')");
    expect(unknownFieldMessage('zzz', ['type'])).toBe("unknown field: expected one of 'type'");
  });
});

describe('scenario authoring', () => {
  it.each([
    { name: 'a misspelt traffic field', text: 'duration: 1h\nhpas: [{file: x.yaml}]\ntraffic: {type: step, stepz: []}\n', path: 'traffic.stepz', detail: /^unknown field; did you mean 'steps'\?/ },
    { name: 'a misspelt top-level field', text: `${base('')}pipline: {preset: fast}\n`, path: 'pipline', detail: /did you mean 'pipeline'\?/ },
    { name: 'a misspelt pipeline field', text: base('pipeline: {syncPeriod: 15}\n'), path: 'pipeline.syncPeriod', detail: /did you mean 'syncPeriodSeconds'\?|unknown field/ },
    { name: 'a misspelt service field', text: base('services: {asr: {concurency: 3}}\n'), path: 'services.asr.concurency', detail: /did you mean 'concurrency'\?/ },
    { name: 'a misspelt HPA entry field', text: 'duration: 1h\nhpas: [{fiel: x.yaml}]\ntraffic: {type: ramp}\n', path: 'hpas[0].fiel', detail: /did you mean 'file'\?/ },
    { name: 'a sync period of 1e16', text: base('pipeline: {syncPeriodSeconds: 1e16}\n'), path: 'pipeline.syncPeriodSeconds', detail: /expected .*1\.\.3600 s \(hpa-lab's range for the controller's --horizontal-pod-autoscaler-sync-period\), got 10000000000000000$/ },
    { name: 'a warmUp above an hour', text: base('warmUp: 2h\n'), path: 'warmUp', detail: /0\.\.3600 s \(the longest stabilization window/ },
    { name: 'a denormal service time', text: base('services: {asr: {serviceTime: 5e-324}}\n'), path: 'services.asr.serviceTime', detail: /^expected a service time from 1 ms to 1 day \(a limit of hpa-lab\)/ },
    { name: 'a huge quantity', text: base('services: {asr: {cpu: {idle: 1e30}}}\n'), path: 'services.asr.cpu.idle', detail: /from 0 to 1P/ },
  ])('$name is an error naming the field', ({ text, path, detail }) => {
    expect(errorOf(text)).toMatchObject({ path, detail: expect.stringMatching(detail) });
  });

  it('runs constant traffic without steps', () => {
    const file = parseScenarioText(base(''), 's.yaml');
    expect(file.traffic).toMatchObject({ type: 'constant', rps: 5 });
  });

  it('looks for file: entries next to the scenario, then in the working directory, and names both places', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-files-'));
    await mkdir(join(dir, 'scenarios'));
    const fromCwd = relative(process.cwd(), join(dir, 'hpa.yaml'));
    await writeFile(join(dir, 'hpa.yaml'), `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: asr}\nspec: {scaleTargetRef: {kind: Deployment, name: asr}, maxReplicas: 3}\n`);
    const found = join(dir, 'scenarios', 'found.yaml');
    await writeFile(found, `duration: 10m\nhpas: [{file: ${fromCwd}}]\ntraffic: {type: constant, rps: 5}\n`);
    expect((await loadScenarioFile(found)).scenario.hpas[0]!.metadata.name).toBe('asr');
    const missing = join(dir, 'scenarios', 'missing.yaml');
    await writeFile(missing, 'duration: 10m\nhpas: [{file: nope.yaml}]\ntraffic: {type: constant, rps: 5}\n');
    await expect(loadScenarioFile(missing)).rejects.toMatchObject({
      code: 'unreadable',
      path: 'hpas[0].file',
      detail: expect.stringMatching(/^cannot find 'nope\.yaml': looked in '.*scenarios\/nope\.yaml' and '.*\/nope\.yaml' \(relative to the scenario, then to the working directory\)$/),
    });
  });

  it('refuses an HPA the simulator cannot hold, stating the limit as hpa-lab\'s', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-max-'));
    const file = join(dir, 's.yaml');
    await writeFile(file, base('').replace('maxReplicas: 3', 'maxReplicas: 2147483647'));
    await expect(loadScenarioFile(file)).rejects.toMatchObject({ code: 'semantic', path: 'hpas[0].spec.maxReplicas', detail: expect.stringContaining('a limit of hpa-lab') });
  });

  it('refuses a trace sample above the workload model\'s rate', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-trace-'));
    await writeFile(join(dir, 't.csv'), 't,rps\n0,5\n60,1e308\n');
    const file = join(dir, 's.yaml');
    await writeFile(file, `duration: 10m\nhpas:\n${HPA}traffic: {type: trace, file: t.csv}\n`);
    await expect(loadScenarioFile(file)).rejects.toMatchObject({ file: 't.csv', path: '[1].rps', detail: expect.stringContaining('0..1000000 rps') });
  });
});

describe('warmUp', () => {
  it('states a history of one recommendation per sync before t = 0', () => {
    expect(warmedUpState({ replicas: 2, warmUpSeconds: 30, syncPeriodSeconds: 15 }).recommendations).toEqual([
      { recommendation: 2, timestampMs: -30_000 },
      { recommendation: 2, timestampMs: -15_000 },
    ]);
    expect(warmedUpState({ replicas: 2, warmUpSeconds: 0, syncPeriodSeconds: 15 }).recommendations).toBeNull();
  });

  it('lets an over-provisioned HPA scale down before the window a new HPA would wait', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'hpa-lab-warm-'));
    const text = (warm: string) =>
      `duration: 10m\n${warm}hpas:\n${HPA.replace('maxReplicas: 3', 'maxReplicas: 10, metrics: [{type: Pods, pods: {metric: {name: asr_active_requests}, target: {type: AverageValue, averageValue: "5"}}}]')}services: {asr: {initialReplicas: 8}}\ntraffic: {type: constant, rps: 5}\npipeline: {preset: fast}\n`;
    await writeFile(join(dir, 'new.yaml'), text(''));
    await writeFile(join(dir, 'warm.yaml'), text('warmUp: 5m\n'));
    const firstDown = async (name: string) => {
      const { scenario } = await loadScenarioFile(join(dir, name));
      const result = runSimulation(scenario, { seed: 1 });
      return result.events.find((e) => e.reason === 'SuccessfulRescale');
    };
    const created = await firstDown('new.yaml');
    const warmed = await firstDown('warm.yaml');
    expect(created).toMatchObject({ from: 8, rescaleReason: expect.stringContaining('below target') });
    expect(warmed!.t).toBeLessThan(created!.t);
  });
});
