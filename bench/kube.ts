/**
 * Benchmark of the cluster client against the local stack's Kubernetes API server (src/kube, a
 * hono app on loopback) holding 1,000 HPAs in 50 namespaces (each with its Deployment, 2 pods and
 * 2 rescale Events; the metrics APIs answer every pod): `scan -A` (list calls only), one
 * `explain --cluster`, and one `shadow` sync over every HPA (per-HPA gets, 16 in flight).
 * Targets (issue 12): scan -A < 10 s, explain < 1 s, a shadow sync < 15 s (the sync period).
 * Run: `npm run bench -- kube` (or `npx tsx bench/kube.ts`).
 */
import { pathToFileURL } from 'node:url';
import { connectCluster, createShadow, explainCluster, scanCluster } from '../src/kube/client/index.js';
import type { FakeWorld } from '../test/kube/fake-kube-api.js';
import { startStackKubeApi } from '../test/kube/stack-kube-api.js';
import { asrObjects } from '../test/kube/worlds.js';

export interface KubeBenchResult {
  readonly hpas: number;
  readonly namespaces: number;
  readonly scanMs: number;
  readonly scanRequests: number;
  readonly explainMs: number;
  readonly shadowSyncMs: number;
  readonly shadowRequests: number;
}

/** A world of `hpas` HPAs spread over `namespaces` namespaces. */
export function benchWorld(hpas: number, namespaces: number, nowMs: number): FakeWorld {
  const world: FakeWorld = { objects: [], podValues: [] };
  for (let i = 0; i < hpas; i++) {
    const ns = `team-${i % namespaces}`;
    const { objects, podValues } = asrObjects({ nowMs, namespace: ns, name: `svc-${i}`, replicas: 2, perPod: [4 + (i % 4), 5] });
    // eslint-disable-next-line @typescript-eslint/no-unsafe-argument -- the fake API's world is untyped JSON (test/kube/worlds.ts)
    world.objects.push(...objects);
    world.podValues?.push(...podValues);
    for (const [k, size] of [2, 3].entries()) {
      world.objects.push({
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `svc-${i}.${k}`, namespace: ns },
        involvedObject: { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', name: `svc-${i}`, namespace: ns },
        reason: 'SuccessfulRescale',
        message: `New size: ${size}; reason: pods metric asr_active_requests above target`,
        type: 'Normal',
        lastTimestamp: new Date(nowMs - (20 - k * 10) * 60_000).toISOString(),
      });
    }
  }
  return world;
}

/** Runs the three measurements once each (after one warm-up scan). */
export async function benchKube(options: { readonly hpas?: number; readonly namespaces?: number } = {}): Promise<KubeBenchResult> {
  const hpas = options.hpas ?? 1000;
  const namespaces = options.namespaces ?? 50;
  const api = await startStackKubeApi(benchWorld(hpas, namespaces, Date.now()));
  const client = connectCluster({ kubeconfig: api.kubeconfig });
  let requests = 0;
  const counted = { ...client, get: <T>(path: string, what: Parameters<typeof client.get>[1]) => (requests++, client.get<T>(path, what)) };
  try {
    await scanCluster(counted, { nowMs: Date.now() });
    requests = 0;
    let t0 = performance.now();
    const rows = await scanCluster(counted, { nowMs: Date.now() });
    const scanMs = performance.now() - t0;
    const scanRequests = requests;
    if (rows.length !== hpas) throw new Error(`scan saw ${rows.length} HPAs, expected ${hpas}`);
    t0 = performance.now();
    await explainCluster(client, { namespace: 'team-0', name: 'svc-0', nowMs: Date.now() });
    const explainMs = performance.now() - t0;
    const shadow = createShadow(counted, { mode: 'mirror', now: () => Date.now() });
    requests = 0;
    t0 = performance.now();
    const sync = await shadow.syncOnce();
    const shadowSyncMs = performance.now() - t0;
    if (sync.results.length !== hpas || sync.results.some((r) => r.errors.length)) throw new Error(`shadow sync: ${sync.results.length} results, errors: ${sync.results.flatMap((r) => r.errors)[0] ?? 'none'}`);
    return { hpas, namespaces, scanMs, scanRequests, explainMs, shadowSyncMs, shadowRequests: requests };
  } finally {
    client.close();
    await api.close();
  }
}

/** The result as the bench prints it. */
export function formatKubeBench(r: KubeBenchResult): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  return [
    `## kube: the cluster client against the stack's API server (${r.hpas} HPAs in ${r.namespaces} namespaces, loopback)`,
    `scan -A:                 ${s(r.scanMs)} (${r.scanRequests} list requests)   target < 10 s`,
    `explain --cluster (one): ${Math.round(r.explainMs)} ms   target < 1 s`,
    `shadow sync (all HPAs):  ${s(r.shadowSyncMs)} (${r.shadowRequests} requests)   target < 15 s (the sync period)`,
  ].join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(formatKubeBench(await benchKube()));
}
