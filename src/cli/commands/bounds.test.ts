/**
 * Issue 10's examples: every number is bounded and every bad input is an exit-2 line naming the
 * file or flag, the field and the expected range (no heap exhaustion, no hang, no exit 1).
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../main.js';

function fakeIo(cwd: string) {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) }, cwd },
    out: () => stdout,
    err: () => stderr,
  };
}

let dir = '';
let spike = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hpa-lab-bounds-'));
  spike = (await readFile('examples/scenarios/traffic-spike.yaml', 'utf8'))
    .replace('../lightning-asr/hpa.yaml', resolve('examples/lightning-asr/hpa.yaml'))
    .replace('duration: 40m', 'duration: 10m');
  await writeFile(join(dir, 'a-file'), 'x');
});

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

const BOMB = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdef'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdef'[i]}`).join(',')}]`)].join('\n');
const MAX_HPA = (max: number) =>
  `duration: 10m\nhpas:\n  - manifest: {apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: a}, spec: {scaleTargetRef: {kind: Deployment, name: a}, minReplicas: ${max}, maxReplicas: ${max}}}\ntraffic: {type: constant, rps: 5}\n`;

describe('bounded inputs (issue 10)', () => {
  it.each([
    { name: 'readings replicas 1e308', argv: async () => ['explain', 'examples/blog/hpa.yaml', '--readings', await file('r.yaml', 'replicas: 1e308\n')], err: /at 'replicas': expected an integer 0\.\.100000 \(a limit of hpa-lab: .*Kubernetes allows up to 2147483647\), got 1e\+308/ },
    { name: '--replicas 99999999999999999999', argv: async () => ['explain', 'examples/blog/hpa.yaml', '--replicas', '99999999999999999999'], err: /^hpa-lab explain: '--replicas': expected an integer 0\.\.100000 .*got '99999999999999999999'/ },
    { name: '--value cpu=1e308%', argv: async () => ['explain', 'examples/blog/hpa.yaml', '--value', 'cpu=1e308%', '--value', 'memory=50%'], err: /at 'metrics\.cpu': expected a percentage from 0% to 2147483647%/ },
    { name: '--value cpu=%', argv: async () => ['explain', 'examples/blog/hpa.yaml', '--value', 'cpu=%'], err: /at 'metrics\.cpu': expected a percentage .*got "%"/ },
    { name: 'a negative --request', argv: async () => ['explain', 'examples/blog/hpa.yaml', '--value', 'cpu=5', '--request', 'cpu=-5'], err: /'--request' at 'requests\.cpu': expected a quantity > 0/ },
    { name: '--value for a metric the HPA lacks', argv: async () => ['explain', 'examples/blog/hpa.yaml', '--value', 'gpu=5'], err: /'--value' at 'gpu': no metric named 'gpu': the HPA's metrics are 'cpu', 'memory'/ },
    { name: 'an undefined YAML alias', argv: async () => ['explain', await file('alias.yaml', 'a: 1\nb: *x\n')], err: /alias\.yaml:line 2': invalid YAML: alias '\*x' names no anchor/ },
    { name: 'a YAML alias bomb', argv: async () => ['explain', await file('bomb.yaml', `${BOMB}\n`)], err: /bomb\.yaml:line \d+': invalid YAML: aliases expand to too much data \(expected at most 1000/ },
    { name: 'render --out an existing file', argv: async () => ['render', '--out', join(dir, 'a-file'), '--no-check'], err: /'--out' must name a folder/ },
    { name: 'render of an HPA manifest', argv: async () => ['render', 'examples/blog/hpa.yaml', '--out', join(dir, 'o1'), '--no-check'], err: /is a Kubernetes manifest \(kind: Deployment\), not Helm values/ },
    { name: 'render of /dev/null', argv: async () => ['render', '/dev/null', '--out', join(dir, 'o2'), '--no-check'], err: /'\/dev\/null': file is empty: expected the seeds' Helm values/ },
    { name: 'render of /proc/self/status', argv: async () => ['render', '/proc/self/status', '--out', join(dir, 'o3'), '--no-check'], err: /expected the seeds' Helm values.*found only 'Name'/ },
    { name: 'render --scrape-interval 0s', argv: async () => ['render', '--out', join(dir, 'o4'), '--scrape-interval', '0s', '--no-check'], err: /'--scrape-interval': expected 1\.\.3600 s/ },
    { name: 'render port 99999999', argv: async () => ['render', '--out', join(dir, 'o5'), '--kube-state-metrics', '127.0.0.1:99999999', '--no-check'], err: /port from 1 to 65535/ },
    { name: 'up --token empty', argv: async () => ['up', 'examples/blog/hpa.yaml', '--token', ''], err: /'--token' must be 1 to 256 visible ASCII characters/ },
    { name: "up --token 'a b'", argv: async () => ['up', 'examples/blog/hpa.yaml', '--token', 'a b'], err: /'--token' must be 1 to 256 visible ASCII characters without spaces/ },
    { name: 'duration 1e308', argv: async () => ['simulate', await file('d.yaml', spike.replace('duration: 10m', 'duration: 1e308'))], err: /at 'duration': expected a duration .* <= 31622400 s \(a limit of hpa-lab: 366 days of simulated time\), got 1e\+308/ },
    { name: 'duration 100y', argv: async () => ['simulate', await file('y.yaml', spike.replace('duration: 10m', 'duration: 100y'))], err: /at 'duration': expected .*got '100y'/ },
    { name: 'stepSeconds 1e-9', argv: async () => ['simulate', await file('st.yaml', `${spike}simulation: {stepSeconds: 1e-9}\n`)], err: /at 'simulation\.stepSeconds': expected .*0\.001\.\.60 s/ },
    { name: 'peakRps 1e308', argv: async () => ['simulate', await file('p.yaml', spike.replace('peakRps: 60 ', 'peakRps: 1e308'))], err: /at 'traffic\.peakRps': must be a number from 0 to 1000000 rps/ },
    { name: 'syncPeriodSeconds 1e16', argv: async () => ['simulate', await file('s.yaml', spike.replace('preset: default', 'syncPeriodSeconds: 1e16'))], err: /at 'pipeline\.syncPeriodSeconds': expected .*1\.\.3600 s \(hpa-lab's range for the controller's --horizontal-pod-autoscaler-sync-period\), got 10000000000000000/ },
    { name: 'scrapeIntervalSeconds 1e16', argv: async () => ['simulate', await file('sc.yaml', spike.replace('preset: default', 'scrapeIntervalSeconds: 1e16'))], err: /at 'pipeline\.scrapeIntervalSeconds': expected .*1\.\.3600 s/ },
    { name: 'maxReplicas 2147483647 in simulate', argv: async () => ['simulate', await file('m.yaml', MAX_HPA(2147483647))], err: /at 'hpas\[0\]\.spec\.maxReplicas': expected at most 10000 to simulate HPA 'a' .*Kubernetes allows up to 2147483647/ },
    { name: 'initialReplicas 1e9', argv: async () => ['simulate', await file('i.yaml', spike.replace('services:\n', 'services:\n  other: {initialReplicas: 1000000000}\n'))], err: /at 'services\.other\.initialReplicas': expected an integer 0\.\.10000 pods \(a limit of hpa-lab/ },
    { name: 'a misspelt traffic field', argv: async () => ['simulate', await file('z.yaml', spike.replace('type: traffic-spike', 'type: step\n  stepz: []'))], err: /at 'traffic\.stepz': unknown field; did you mean 'steps'\?/ },
  ])('$name: exit 2 with one line naming the field and its range', async ({ argv, err }) => {
    const f = fakeIo(process.cwd());
    const code = await main(await argv(), f.io);
    expect(f.err()).toMatch(err);
    expect(f.err()).not.toMatch(/^\s+at /m);
    expect(code).toBe(2);
  });

  it('explains an HPA with maxReplicas 2147483647 quickly, sampling the curve', async () => {
    const hpa = await file(
      'big.yaml',
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: big}\nspec:\n  scaleTargetRef: {kind: Deployment, name: big}\n  maxReplicas: 2147483647\n  metrics: [{type: Pods, pods: {metric: {name: q}, target: {type: AverageValue, averageValue: "5"}}}]\n',
    );
    const f = fakeIo(process.cwd());
    expect(await main(['explain', hpa, '--replicas', '3', '--value', 'q=10'], f.io)).toBe(0);
    expect(f.out()).toContain('hpa-lab draws at most 10000 replicas, maxReplicas is 2147483647');
  });

  it('runs constant traffic without steps', async () => {
    const f = fakeIo(process.cwd());
    expect(await main(['simulate', await file('c.yaml', MAX_HPA(3).replace('minReplicas: 3', 'minReplicas: 1')), '--quiet'], f.io)).toBe(0);
  });
});
