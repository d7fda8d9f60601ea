import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../main.js';

function fakeIo() {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } },
    out: () => stdout,
    err: () => stderr,
  };
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'hpa-lab-sim-'));
}

describe('hpa-lab simulate', () => {
  it('prints a kubectl get hpa -w log, the summary and the findings (the blog)', async () => {
    const f = fakeIo();
    const code = await main(['simulate', 'examples/scenarios/blog.yaml'], f.io);
    expect(code).toBe(0);
    const out = f.out();
    expect(out).toMatch(/^NAME +REFERENCE +TARGETS +MINPODS +MAXPODS +REPLICAS +AGE$/m);
    expect(out).toMatch(/^autoscaler-name +Deployment\/autoscaler-name +cpu: 123%\/90%, memory: 81%\/90% +1 +3 +2 +45s$/m);
    expect(out).toContain('Normal   SuccessfulRescale  autoscaler-name  New size: 3; reason: cpu resource utilization (percentage of request) above target');
    expect(out).toMatch(/^autoscaler-name +2\.96 +3 +2\.96 +3 +2 +0 +0 +58m +4m30s$/m);
    expect(out).toContain('[critical] Startup CPU spike walks autoscaler-name up 2 steps to 3 replicas (staircase), the maximum');
    expect(out).toContain('[warning] memory does not fall as replicas rise');
    expect(f.err()).toBe('');
  });

  it('gives the same output for the same seed and another for another seed', async () => {
    const a = fakeIo();
    const b = fakeIo();
    const c = fakeIo();
    await main(['simulate', 'examples/scenarios/traffic-spike.yaml', '--seed', '5', '--quiet'], a.io);
    await main(['simulate', 'examples/scenarios/traffic-spike.yaml', '--seed', '5', '--quiet'], b.io);
    await main(['simulate', 'examples/scenarios/traffic-spike.yaml', '--seed', '6', '--quiet'], c.io);
    expect(a.out()).toBe(b.out());
    expect(a.out()).not.toBe(c.out());
    expect(a.out()).toContain('(seed 5, ');
  });

  it('writes JSON, CSV, an SVG plot and an HTML report', async () => {
    const dir = await tempDir();
    const f = fakeIo();
    const files = { json: join(dir, 'r.json'), csv: join(dir, 'r.csv'), plot: join(dir, 'r.svg'), html: join(dir, 'r.html') };
    const code = await main(['simulate', 'examples/scenarios/traffic-spike.yaml', '--quiet', '--json', files.json, '--csv', files.csv, '--plot', files.plot, '--html', files.html], f.io);
    expect(code).toBe(0);
    const json = JSON.parse(await readFile(files.json, 'utf8')) as {
      seed: number;
      timeline: { t: number; hpas: Record<string, { replicas: number; readyReplicas: number; desiredReplicas: number; metrics: Record<string, { current: number | null; target: number | null }>; latencyP99: number | null }> }[];
      events: { t: number; hpa: string; type: string; reason: string; message: string }[];
      summary: { hpas: { podHours: number }[] };
      findings: unknown[];
    };
    expect(json.seed).toBe(1);
    expect(json.timeline[1]).toMatchObject({ t: 15, hpas: { 'lightning-asr': { replicas: 2, readyReplicas: 2, desiredReplicas: 2, metrics: { asr_active_requests: { target: 5 } } } } });
    expect(json.events[0]).toMatchObject({ hpa: 'lightning-asr', type: 'Normal', reason: 'SuccessfulRescale' });
    expect(json.summary.hpas[0]!.podHours).toBeGreaterThan(0);
    expect(Array.isArray(json.findings)).toBe(true);
    const csv = (await readFile(files.csv, 'utf8')).split(/\r?\n/);
    expect(csv[0]).toBe(
      't,rps,lightning-asr.replicas,lightning-asr.readyReplicas,lightning-asr.desiredReplicas,lightning-asr.pods,lightning-asr.asr_active_requests,lightning-asr.asr_active_requests.target,lightning-asr.load,lightning-asr.activePerPod,lightning-asr.queue,lightning-asr.latencyP50,lightning-asr.latencyP95,lightning-asr.latencyP99,lightning-asr.dropped',
    );
    expect(csv.filter((l) => l !== '')).toHaveLength(json.timeline.length + 1);
    const svg = await readFile(files.plot, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('lightning-asr: replicas');
    const html = await readFile(files.html, 'utf8');
    expect(html).toContain('<!doctype html>'.slice(0, 5));
    expect(html).toContain('Simulation: traffic-spike');
    expect(f.err()).toContain(`wrote ${files.json}`);
  });

  it('writes a PNG plot', async () => {
    const dir = await tempDir();
    const f = fakeIo();
    const png = join(dir, 'blog.png');
    expect(await main(['simulate', 'examples/scenarios/blog.yaml', '--quiet', '--plot', png], f.io)).toBe(0);
    const bytes = await readFile(png);
    expect([...bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
  });

  it('compares a scenario’s variants side by side, with one plot overlaying their replicas', async () => {
    const dir = await tempDir();
    const f = fakeIo();
    const plot = join(dir, 'compare.svg');
    expect(await main(['simulate', 'examples/scenarios/compare-stabilization.yaml', '--plot', plot], f.io)).toBe(0);
    const out = f.out();
    expect(out).toContain('4 HPA configurations on the same traffic');
    expect(out).toMatch(/^ +compare-stabilization +window-120s +target-3 +target-10$/m);
    expect(out).toMatch(/^pod-hours +[\d.]+ +[\d.]+ +[\d.]+ +[\d.]+$/m);
    const svg = await readFile(plot, 'utf8');
    for (const name of ['window-120s', 'target-3', 'target-10']) expect(svg).toContain(name);
  });

  it('--compare runs the HPAs of other files on the scenario’s traffic and seed', async () => {
    const f = fakeIo();
    const code = await main(['simulate', 'examples/scenarios/traffic-spike.yaml', '--compare', 'examples/lightning-asr/hpa.yaml'], f.io);
    expect(code).toBe(0);
    expect(f.out()).toMatch(/^ +traffic-spike +hpa$/m);
  });

  it.each([
    { name: 'a missing scenario file', args: ['simulate', 'no/such.yaml'], pattern: /^hpa-lab simulate: Cannot load '.*no\/such\.yaml': cannot read the file: no such file\n$/ },
    { name: 'a negative duration', file: 'duration: -5m\nhpas: [{file: x.yaml}]\ntraffic: {type: ramp}\n', pattern: /at 'duration': expected a duration .* > 0 and <= 31622400 s \(a limit of hpa-lab: 366 days of simulated time\), got '-5m'\n$/ },
    { name: 'an unknown traffic type', file: 'duration: 1h\nhpas: [{file: x.yaml}]\ntraffic: {type: burst}\n', pattern: /at 'traffic\.type': unknown traffic type 'burst': expected one of constant, traffic-spike, gradual-decline, off-hours, diurnal, step, ramp, trace, prometheus\n$/ },
    { name: 'a missing field', file: 'hpas: [{file: x.yaml}]\ntraffic: {type: ramp}\n', pattern: /at 'duration': required field is missing/ },
    { name: 'an unreadable CSV line', file: 'duration: 1h\nhpas: [{manifest: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: a}, spec: {scaleTargetRef: {kind: Deployment, name: a}, maxReplicas: 2}}}]\ntraffic: {type: trace, file: bad.csv}\n', csv: 't,rps\n0,1\nten,2\n', pattern: /bad\.csv:line 3/ },
    { name: 'an unsupported kubernetesVersion', file: 'duration: 1h\nkubernetesVersion: "1.29"\nhpas: [{file: x.yaml}]\ntraffic: {type: ramp}\n', pattern: /at 'kubernetesVersion': expected a Kubernetes version from 1\.30 to 1\.38/ },
    { name: 'a Prometheus that cannot be reached', file: 'duration: 1h\nhpas: [{manifest: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: a}, spec: {scaleTargetRef: {kind: Deployment, name: a}, maxReplicas: 2}}}]\ntraffic: {type: prometheus, url: "http://127.0.0.1:9", query: "sum(rate(x[1m]))", range: 1h}\n', pattern: /127\.0\.0\.1:9/ },
  ])('exits 2 with one line and no stack trace for $name', async ({ args, file, csv, pattern }) => {
    const dir = await tempDir();
    let argv = args;
    if (file !== undefined) {
      await writeFile(join(dir, 's.yaml'), file);
      if (csv !== undefined) await writeFile(join(dir, 'bad.csv'), csv);
      argv = ['simulate', join(dir, 's.yaml')];
    }
    const f = fakeIo();
    expect(await main(argv!, f.io)).toBe(2);
    expect(f.err()).toMatch(pattern);
    expect(f.err()).not.toMatch(/\n {4}at /);
    expect(f.err().trim().split('\n')).toHaveLength(1);
  });

  it.each([
    { name: 'a non-integer seed', args: ['--seed', 'abc'], message: "'--seed' must be an integer from -9007199254740991 to 9007199254740991: got 'abc'" },
    { name: 'a plot that is neither SVG nor PNG', args: ['--plot', 'x.pdf'], message: "--plot must name a .svg or .png file: got 'x.pdf'" },
    { name: 'a second file without --compare', args: ['other.yaml'], message: "unexpected argument 'other.yaml': to compare HPA configurations, add --compare" },
    { name: 'an unsupported --kubernetes-version', args: ['--kubernetes-version', '2.0'], message: "'--kubernetes-version 2.0': expected a Kubernetes version from 1.30 to 1.38" },
    { name: 'a malformed --feature-gates', args: ['--feature-gates', 'PodLevelResources'], message: "'--feature-gates PodLevelResources': expected Gate=true|false pairs" },
  ])('exits 2 with the usage for $name', async ({ args, message }) => {
    const f = fakeIo();
    expect(await main(['simulate', 'examples/scenarios/blog.yaml', ...args], f.io)).toBe(2);
    expect(f.err()).toContain(message);
    expect(f.err()).toContain('Usage: hpa-lab simulate');
  });

  it('runs as the Kubernetes version of the flag, else of the scenario file, else the newest', async () => {
    const a = fakeIo();
    expect(await main(['simulate', 'examples/scenarios/blog.yaml', '--quiet', '--kubernetes-version', '1.33'], a.io)).toBe(0);
    expect(a.out()).toContain('(seed 1, Kubernetes 1.33)');
    const dir = await tempDir();
    const text = (await readFile('examples/scenarios/blog.yaml', 'utf8')).replace(/^duration:/m, 'kubernetesVersion: "1.34"\nduration:');
    await writeFile(join(dir, 's.yaml'), text.replaceAll('../', `${join(process.cwd(), 'examples')}/`));
    const b = fakeIo();
    expect(await main(['simulate', join(dir, 's.yaml'), '--quiet'], b.io)).toBe(0);
    expect(b.out()).toContain('Kubernetes 1.34)');
    const c = fakeIo();
    expect(await main(['simulate', 'examples/scenarios/blog.yaml', '--quiet'], c.io)).toBe(0);
    expect(c.out()).toContain('Kubernetes 1.38)');
  });
});
