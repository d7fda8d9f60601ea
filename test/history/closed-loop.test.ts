/**
 * The closed loop: simulate the seeds' traffic spike → `--openmetrics` → promtool backfill →
 * a real Prometheus on those blocks → `record` → `replay`. The replayed decisions must agree
 * with the simulator's own on ≥ 99 % of the syncs, every miss explained.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { captureSimulation, type ReplayReport, type TraceSync } from '../../src/history/index.js';
import { loadScenarioFile } from '../../src/input/files/scenario-loader.js';
import { findExecutable, runPromtool, startPrometheus, type PrometheusHandle } from '../../src/metrics/prometheus/index.js';
import { startFakeKubeApi } from '../kube/fake-kube-api.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const SCENARIO = join(ROOT, 'examples/scenarios/traffic-spike.yaml');
const MISSING = ['prometheus', 'promtool'].filter((b) => findExecutable(b) === undefined);
const REASON = `skipping the closed loop: ${MISSING.join(' and ')} not installed (apt-get install -y prometheus)`;
if (MISSING.length > 0) console.warn(REASON);

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: ROOT });
  return { code, out, err };
}

async function readSyncs(file: string): Promise<TraceSync[]> {
  const out: TraceSync[] = [];
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const v = JSON.parse(line) as { kind: string };
    if (v.kind === 'sync') out.push(v as TraceSync);
  }
  return out;
}

describe.skipIf(MISSING.length > 0)('closed loop on the traffic spike', () => {
  let dir = '';
  let prom: PrometheusHandle | undefined;
  let startS = 0;
  const om = (): string => join(dir, 'spike.om');
  const trace = (): string => join(dir, 'spike.trace.jsonl');

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-closed-loop-'));
    const sim = await run(['simulate', SCENARIO, '-q', '--openmetrics', om()]);
    expect(sim.code, sim.err).toBe(0);
    const text = await readFile(om(), 'utf8');
    expect(text.endsWith('# EOF\n')).toBe(true);
    startS = Number(/^kube_horizontalpodautoscaler_spec_min_replicas\{[^}]*\} \S+ (\S+)$/m.exec(text)![1]);
    const backfill = await runPromtool(['tsdb', 'create-blocks-from', 'openmetrics', om(), join(dir, 'prometheus', 'data')], { timeoutMs: 60_000 });
    expect(backfill.ok, backfill.stderr).toBe(true);
    prom = await startPrometheus({ runDir: dir, settings: { retention: '100y' } });
  }, 60_000);

  afterAll(async () => {
    await prom?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes the kube-state-metrics and asr_* series with their labels', async () => {
    const text = await readFile(om(), 'utf8');
    for (const family of [
      'kube_horizontalpodautoscaler_spec_min_replicas',
      'kube_horizontalpodautoscaler_spec_max_replicas',
      'kube_horizontalpodautoscaler_status_current_replicas',
      'kube_horizontalpodautoscaler_status_desired_replicas',
      'kube_horizontalpodautoscaler_status_condition',
      'kube_deployment_status_replicas',
      'kube_deployment_spec_replicas',
      'asr_active_requests',
    ]) {
      expect(text).toContain(`# TYPE ${family} gauge\n`);
    }
    expect(text).toMatch(/^asr_active_requests\{namespace="smallest",pod="lightning-asr-[^"]+",deployment="lightning-asr"\} [\d.]+ [\d.]+$/m);
    expect(text).toMatch(/^kube_horizontalpodautoscaler_status_desired_replicas\{namespace="smallest",horizontalpodautoscaler="lightning-asr"\} \d+ [\d.]+$/m);
  });

  it('the backfilled Prometheus answers over the range', async () => {
    const res = await fetch(`${prom!.url}/api/v1/query?query=${encodeURIComponent('count(asr_active_requests)')}&time=${startS + 600}`);
    const body = (await res.json()) as { data: { result: { value: [number, string] }[] } };
    expect(Number(body.data.result[0]?.value[1])).toBeGreaterThan(0);
  });

  it('records the history and replays it with ≥ 99 % agreement, every miss explained', async () => {
    const rec = await run(['record', '--prometheus', prom!.url, '--hpa', 'smallest/lightning-asr', '--from', String(startS), '--to', String(startS + 2400), '--step', '15s', '--scrape-interval', '15s', '--spec', SCENARIO, '-o', trace()]);
    expect(rec.code, rec.err).toBe(0);

    // The recording holds the simulator's own decisions, sync by sync.
    const loaded = await loadScenarioFile(SCENARIO);
    const { frames } = captureSimulation(loaded.scenario, { seed: loaded.seed ?? 1 });
    const syncs = await readSyncs(trace());
    expect(syncs.length).toBe(frames.length);
    const same = syncs.filter((s, i) => s.desiredReplicas === frames[i]!.decision.desiredReplicas && s.specReplicas === frames[i]!.specAfter).length;
    expect(same).toBe(frames.length);

    const json = join(dir, 'replay.json');
    const rep = await run(['replay', trace(), '--json', json, '--min-agreement', '99']);
    expect(rep.code, rep.out + rep.err).toBe(0);
    const report = JSON.parse(await readFile(json, 'utf8')) as ReplayReport;
    expect(report.compared).toBeGreaterThan(100);
    expect(report.agreement).toBeGreaterThanOrEqual(0.99);
    for (const h of report.hpas) {
      const misses = h.compared - h.agreed;
      expect(Object.values(h.causes).reduce((a, b) => a + (b ?? 0), 0)).toBe(misses);
      for (const d of h.disagreements) {
        expect(d.detail).not.toBe('');
        expect(d.replayedSteps).not.toBe('');
      }
    }
  }, 60_000);

  it('backtests the original settings within 5 % of the simulated pod-hours', async () => {
    const json = join(dir, 'backtest.json');
    const bt = await run(['backtest', trace(), '--scenario', SCENARIO, '--json', json]);
    expect(bt.code, bt.out + bt.err).toBe(0);
    expect(bt.out).toMatch(/pod-hours +[\d.]+ +[\d.]+/);
    const data = JSON.parse(await readFile(json, 'utf8')) as { recorded: { podHours: number }; runs: { summary: { podHours: number } }[] };
    const loaded = await loadScenarioFile(SCENARIO);
    const simulated = captureSimulation(loaded.scenario, { seed: loaded.seed ?? 1 }).result.summary.podHours;
    // What happened, read back from Prometheus, is the simulated run's cost to a pod-step.
    expect(Math.abs(data.recorded.podHours - simulated) / simulated).toBeLessThan(0.01);
    // The open-loop backtest rebuilds the demand from the readings: within 5 %.
    expect(Math.abs(data.runs[0]!.summary.podHours - simulated) / simulated).toBeLessThan(0.05);
  }, 60_000);

  it('records every HPA with -A', async () => {
    const all = join(dir, 'all.trace.jsonl');
    const rec = await run(['record', '--prometheus', prom!.url, '-A', '--from', String(startS), '--to', String(startS + 600), '--step', '15s', '--scrape-interval', '15s', '--spec', SCENARIO, '-o', all]);
    expect(rec.code, rec.err).toBe(0);
    const syncs = await readSyncs(all);
    expect(new Set(syncs.map((s) => s.hpa))).toEqual(new Set(['smallest/lightning-asr']));
    expect(syncs.length).toBe(41);
  }, 60_000);

  it('tunes on the recorded demand: a configuration at least as good as the defaults on each objective', async () => {
    const json = join(dir, 'tune.json');
    const tune = await run(['tune', trace(), '--scenario', SCENARIO, '--budget', '16', '--seed', '1', '--max-slo-miss', '5%', '--json', json]);
    expect(tune.code, tune.err).toBe(0);
    const data = JSON.parse(await readFile(json, 'utf8')) as { front: number[]; candidates: { index: number; score: { podHours: number; sloMissRate: number; flaps: number } }[] };
    const d = data.candidates[0]!.score;
    const better = data.candidates.slice(1).filter(({ score: s }) => s.podHours <= d.podHours && s.sloMissRate <= d.sloMissRate && s.flaps <= d.flaps);
    expect(better.length).toBeGreaterThan(0);
    expect(data.front.some((i) => better.some((b) => b.index === i))).toBe(true);
  }, 60_000);

  it('records with the spec, selector and version read from the cluster (--kubeconfig)', async () => {
    const loaded = await loadScenarioFile(SCENARIO);
    const { result } = captureSimulation({ ...loaded.scenario, durationSeconds: 60 }, { seed: 1 });
    const hpa = result.hpas[0]!;
    const fake = await startFakeKubeApi({
      version: { major: '1', minor: '33', gitVersion: 'v1.33.2' },
      objects: [
        { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'lightning-asr', namespace: 'smallest' }, spec: hpa.spec },
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'lightning-asr', namespace: 'smallest' }, spec: { replicas: 2, selector: { matchLabels: { app: 'lightning-asr' } } }, status: { replicas: 2 } },
      ],
    });
    try {
      const out = join(dir, 'cluster.trace.jsonl');
      const rec = await run(['record', '--prometheus', prom!.url, '--hpa', 'smallest/lightning-asr', '--from', String(startS), '--to', String(startS + 2400), '--step', '15s', '--scrape-interval', '15s', '--kubeconfig', fake.kubeconfig, '-o', out]);
      expect(rec.code, rec.err).toBe(0);
      const header = JSON.parse((await readFile(out, 'utf8')).split('\n')[0]!) as { kubernetesVersion: string; hpas: { selector: string; spec: { spec: { maxReplicas: number } } }[] };
      expect(header.kubernetesVersion).toBe('1.33');
      expect(header.hpas[0]).toMatchObject({ selector: 'app=lightning-asr', spec: { spec: { maxReplicas: 20 } } });
      const rep = await run(['replay', out]);
      expect(rep.code, rep.err).toBe(0);
      expect(rep.out).toMatch(/^Replay with Kubernetes 1\.33: /);
    } finally {
      await fake.close();
    }
  }, 60_000);
});
