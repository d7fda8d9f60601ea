import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import { startFakeKubeApi, type RunningFake } from './fake-kube-api.js';
import { troubledWorld } from './worlds.js';

function fakeIo() {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, out: () => stdout, err: () => stderr };
}

let fake: RunningFake | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

describe('hpa-lab scan --cluster', () => {
  it('ranks every HPA of every namespace by trouble, as a kubectl table', async () => {
    fake = await startFakeKubeApi(troubledWorld(Date.now()));
    const f = fakeIo();
    expect(await main(['scan', '--cluster', '--kubeconfig', fake.kubeconfig, '-A'], f.io)).toBe(0);
    const lines = f.out().trim().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+SCORE\s+TROUBLE$/);
    expect(lines.map((l) => l.split(/\s+/)[1])).toEqual(['NAME', 'unknown', 'pinned', 'flappy', 'healthy']);
    expect(lines[1]).toContain('<unknown>/5');
    expect(lines[1]).toContain('unknown-metrics');
    expect(lines[2]).toContain('pinned-at-max,scaling-limited');
    expect(lines[3]).toContain('flapping');
    expect(lines[4]).toMatch(/<none>$/);
  });

  it('scans one namespace, as json and yaml', async () => {
    fake = await startFakeKubeApi(troubledWorld(Date.now()));
    const f = fakeIo();
    expect(await main(['scan', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'smallest', '-o', 'json'], f.io)).toBe(0);
    const j = JSON.parse(f.out());
    expect(j.items.map((r: { name: string }) => r.name)).toEqual(['pinned', 'healthy']);
    expect(j.items[0].troubles[0]).toEqual({ kind: 'pinned-at-max', detail: 'at maxReplicas 3' });
    const g = fakeIo();
    expect(await main(['scan', '--cluster', '--kubeconfig', fake.kubeconfig, '-n', 'batch', '-o', 'yaml'], g.io)).toBe(0);
    expect(parseYaml(g.out()).items.map((r: { name: string }) => r.name)).toEqual(['unknown', 'flappy']);
  });

  it.each([
    { args: ['scan'], want: /scan reads a cluster: pass --cluster/ },
    { args: ['scan', '--cluster', '-o', 'wide'], want: /'-o' must be json or yaml/ },
    { args: ['scan', '--cluster', '-A', '-n', 'x'], want: /'-A' and '-n' exclude each other/ },
  ])('exits 2 for $args', async ({ args, want }) => {
    const f = fakeIo();
    expect(await main(args, f.io)).toBe(2);
    expect(f.err()).toMatch(want);
  });

  it('exits 1 with one line on RBAC denial of the cluster-wide list', async () => {
    fake = await startFakeKubeApi({ ...troubledWorld(Date.now()), faults: [{ prefix: '/apis/autoscaling/v2/horizontalpodautoscalers', status: 403, message: 'forbidden' }] });
    const f = fakeIo();
    expect(await main(['scan', '--cluster', '--kubeconfig', fake.kubeconfig, '-A'], f.io)).toBe(1);
    expect(f.err()).toBe("hpa-lab scan: context 'fake': cannot read horizontalpodautoscalers in all namespaces: RBAC denies it (403 Forbidden): user 'fake-user' needs 'get'/'list' on horizontalpodautoscalers.autoscaling (cluster-wide) (server said: forbidden)\n");
  });
});
