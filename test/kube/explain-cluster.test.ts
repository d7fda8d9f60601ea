import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startFakeKubeApi, writeKubeconfig, type RunningFake } from './fake-kube-api.js';
import { asrWorld } from './worlds.js';

function fakeIo() {
  let stdout = '';
  let stderr = '';
  return {
    io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } },
    out: () => stdout,
    err: () => stderr,
  };
}

let fake: RunningFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('hpa-lab explain --cluster', () => {
  it('runs the engine on the live readings and compares with the status', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const f = fakeIo();
    const code = await main(['explain', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', 'lightning-asr'], f.io);
    expect(f.err()).toBe('');
    expect(code).toBe(0);
    expect(f.out()).toContain('HPA smallest/lightning-asr (context fake, server v1.33.0');
    expect(f.out()).toContain("selector 'app=lightning-asr', 2 pod(s) selected");
    expect(f.out()).toContain('asr_active_requests');
    expect(f.out()).toContain('desiredReplicas 3');
    expect(f.out()).toContain('desiredReplicas: ours 3, live 2');
    expect(f.out()).toContain('Reconstructed: the stabilization window');
  });

  it('--window restarted holds a scale-down for the window, steady lets it through', async () => {
    const world = asrWorld(Date.now());
    world.podValues = (world.podValues ?? []).map((v) => ({ ...v, value: '1' }));
    fake = await startFakeKubeApi(world);
    const desired = async (window: string) => {
      const f = fakeIo();
      expect(await main(['explain', '--cluster', '--kubeconfig', fake?.kubeconfig ?? '', '-n', 'smallest', 'lightning-asr', '--json', '--window', window], f.io)).toBe(0);
      return JSON.parse(f.out()).ours.desiredReplicas as number;
    };
    expect(await desired('steady')).toBe(1);
    expect(await desired('restarted')).toBe(2);
  });

  it('prints JSON with ours, live and agreement', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const f = fakeIo();
    const code = await main(['explain', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', 'lightning-asr', '--json'], f.io);
    expect(code).toBe(0);
    const j = JSON.parse(f.out());
    expect(j.ours.desiredReplicas).toBe(3);
    expect(j.live.desiredReplicas).toBe(2);
    expect(j.agree).toBe(false);
  });

  it('takes the namespace from the context and KUBECONFIG from the environment', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()), { namespace: 'smallest' });
    const saved = process.env['KUBECONFIG'];
    process.env['KUBECONFIG'] = fake.kubeconfig;
    try {
      const f = fakeIo();
      expect(await main(['explain', '--cluster', 'lightning-asr'], f.io)).toBe(0);
      expect(f.out()).toContain('HPA smallest/lightning-asr');
    } finally {
      if (saved === undefined) delete process.env['KUBECONFIG'];
      else process.env['KUBECONFIG'] = saved;
    }
  });

  it.each([
    { name: 'an unreachable server', world: undefined, want: /context 'fake': cannot read horizontalpodautoscaler smallest\/lightning-asr: the API server http:\/\/127\.0\.0\.1:\d+ is unreachable \(ECONNREFUSED/ },
    { name: 'expired credentials (401)', world: { token: 'good' }, want: /context 'fake': cannot read horizontalpodautoscaler smallest\/lightning-asr: the server rejected the credentials of user 'fake-user' \(401 Unauthorized\)/ },
    { name: 'an RBAC denial (403)', world: { faults: [{ prefix: '/apis/autoscaling', status: 403, message: 'horizontalpodautoscalers.autoscaling "lightning-asr" is forbidden' }] }, want: /RBAC denies it \(403 Forbidden\): user 'fake-user' needs 'get'\/'list' on horizontalpodautoscalers\.autoscaling in namespace smallest/ },
    { name: 'a missing HPA (404)', world: {}, name2: 'nope', want: /cannot read horizontalpodautoscaler smallest\/nope: not found \(404\)/ },
  ])('reports $name in one line with exit 1', async ({ world, want, name2 }) => {
    let kubeconfig: string;
    if (world === undefined) {
      const tmp = await startFakeKubeApi(asrWorld(Date.now()));
      await tmp.close();
      kubeconfig = writeKubeconfig(tmp.url);
    } else {
      fake = await startFakeKubeApi({ ...asrWorld(Date.now()), ...world });
      kubeconfig = world.token ? writeKubeconfig(fake.url, { token: 'expired' }) : fake.kubeconfig;
    }
    const f = fakeIo();
    const code = await main(['explain', '--cluster', '--kubeconfig', kubeconfig, '--request-timeout', '2', '-n', 'smallest', name2 ?? 'lightning-asr'], f.io);
    expect(code).toBe(1);
    expect(f.err()).toMatch(want);
    expect(f.err().trim().split('\n')).toHaveLength(1);
    expect(f.err()).not.toMatch(/\n\s+at /);
  });

  it('reports a missing custom metrics API next to the explanation', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now(), { metricsApis: ['metrics.k8s.io'] }));
    const f = fakeIo();
    const code = await main(['explain', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', 'lightning-asr'], f.io);
    expect(code).toBe(0);
    expect(f.out()).toContain("! context 'fake': cannot read pods metric 'asr_active_requests'");
    expect(f.out()).toContain("the custom metrics API (custom.metrics.k8s.io, served by an adapter such as prometheus-adapter) is not served; check 'kubectl get apiservice v1beta1.custom.metrics.k8s.io'");
    expect(f.out()).toContain('FailedGetPodsMetric');
  });

  it('reports a target without a selector with exit 1', async () => {
    const world = asrWorld(Date.now());
    world.scales = { 'deployments/smallest/lightning-asr': { spec: { replicas: 2 }, status: { replicas: 2 } } };
    fake = await startFakeKubeApi(world);
    const f = fakeIo();
    const code = await main(['explain', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', 'lightning-asr'], f.io);
    expect(code).toBe(1);
    expect(f.err()).toMatch(/^hpa-lab explain: context 'fake': HPA smallest\/lightning-asr: the scale of deployment lightning-asr has no status.selector/);
  });

  it.each([
    { args: ['--cluster'], want: /missing NAME/ },
    { args: ['--cluster', 'x', '--kubeconfig', '/nonexistent/kubeconfig'], want: /Cannot load '\/nonexistent\/kubeconfig': cannot read the kubeconfig given by '--kubeconfig'/ },
    { args: ['--cluster', 'x', '--request-timeout', 'soon'], want: /'--request-timeout' must be a number of seconds/ },
    { args: ['--cluster', 'x', '--value', 'a=1'], want: /'--value' reads a file's readings/ },
    { args: ['--cluster', 'x', '--window', 'full'], want: /'--window' must be steady or restarted/ },
  ])('exits 2 for bad flags: $args', async ({ args, want }) => {
    const f = fakeIo();
    expect(await main(['explain', ...args], f.io)).toBe(2);
    expect(f.err()).toMatch(want);
  });

  it('exits 2 for an unknown context', async () => {
    fake = await startFakeKubeApi(asrWorld(Date.now()));
    const f = fakeIo();
    expect(await main(['explain', '--cluster', '--kubeconfig', fake.kubeconfig, '--context', 'prod', 'x'], f.io)).toBe(2);
    expect(f.err()).toContain("no context named 'prod' (from '--context'): found fake");
  });
});
