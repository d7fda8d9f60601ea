/**
 * explain, scan, diagnose and shadow --cluster against the local stack's own Kubernetes API server
 * (src/kube), the cluster of `hpa-lab up`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { RunningFake } from './fake-kube-api.js';
import { servedByStack, startStackKubeApi } from './stack-kube-api.js';
import { asrWorld, troubledWorld } from './worlds.js';

function fakeIo() {
  let stdout = '';
  let stderr = '';
  return { io: { stdout: { write: (s: string) => (stdout += s) }, stderr: { write: (s: string) => (stderr += s) } }, out: () => stdout, err: () => stderr };
}

let api: RunningFake | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe("the cluster commands against the stack's API server", () => {
  it('serves the test worlds', () => {
    expect(servedByStack(asrWorld(Date.now()))).toBe(true);
    expect(servedByStack(troubledWorld(Date.now()))).toBe(true);
  });

  it('explain --cluster: engine next to the live status, server version from /version', async () => {
    api = await startStackKubeApi(asrWorld(Date.now()), { kubeVersion: 'v1.35.1' });
    const f = fakeIo();
    expect(await main(['explain', '--cluster', '--kubeconfig', api.kubeconfig, '-n', 'smallest', 'lightning-asr'], f.io)).toBe(0);
    expect(f.err()).toBe('');
    expect(f.out()).toContain('HPA smallest/lightning-asr (context fake, server v1.35.1');
    expect(f.out()).toContain('ceil(1.2 × 2) = 3');
    expect(f.out()).toContain('desiredReplicas: ours 3, live 2');
  });

  it('scan --cluster -A ranks the HPAs', async () => {
    api = await startStackKubeApi(troubledWorld(Date.now()));
    const f = fakeIo();
    expect(await main(['scan', '--cluster', '--kubeconfig', api.kubeconfig, '-A', '-o', 'json'], f.io)).toBe(0);
    const j = JSON.parse(f.out());
    expect(j.items.map((r: { name: string }) => r.name)).toEqual(['unknown', 'pinned', 'flappy', 'healthy']);
  });

  it('diagnose --cluster walks the chain (exit 0 when whole)', async () => {
    const w = asrWorld(Date.now());
    w.objects = w.objects.filter((o) => o.kind !== 'APIService');
    api = await startStackKubeApi(w);
    const f = fakeIo();
    const code = await main(['diagnose', '--cluster', '--kubeconfig', api.kubeconfig, '-n', 'smallest'], f.io);
    expect(f.out()).toContain('HPA smallest/lightning-asr');
    expect(f.out()).toMatch(/APIService registered/);
    expect([0, 1]).toContain(code);
  });

  it('shadow --cluster --once predicts the HPA without writing /scale', async () => {
    api = await startStackKubeApi(asrWorld(Date.now()));
    const f = fakeIo();
    expect(await main(['shadow', '--cluster', '--kubeconfig', api.kubeconfig, '-n', 'smallest', '--once', '--json'], f.io)).toBe(0);
    expect(JSON.parse(f.out()).results[0]).toMatchObject({ name: 'lightning-asr', ourDesiredReplicas: 3, liveDesiredReplicas: 2, currentReplicas: 2, agree: false });
    const g = fakeIo();
    expect(await main(['explain', '--cluster', '--kubeconfig', api.kubeconfig, '-n', 'smallest', 'lightning-asr', '--json'], g.io)).toBe(0);
    expect(JSON.parse(g.out()).live.currentReplicas).toBe(2);
  });
});
