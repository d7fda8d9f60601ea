/**
 * The seeds' objects in a fresh store (namespace `smallest`, Deployment and HPA `lightning-asr`,
 * two ready pods), an API server on a free port, and a runner for the real kubectl.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createManualClock, type ManualClock } from '../../src/core/index.js';
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';
import {
  createKubeApp,
  createObjectStore,
  DEPLOYMENT,
  deploymentObject,
  deploymentStatus,
  HPA,
  hpaObject,
  NAMESPACE,
  namespaceObject,
  POD,
  podObject,
  startKubeServer,
  validateObject,
  defaultObject,
  type FetchHandler,
  type KubeServer,
  type ObjectStore,
} from '../../src/kube/index.js';
import type { Hono } from 'hono';

export const KUBECTL = '/usr/bin/kubectl';
export const HAS_KUBECTL = existsSync(KUBECTL);
export const NO_KUBECTL_REASON = `${KUBECTL} is absent: the real-kubectl tests are skipped`;

export const SEED_HPA: HorizontalPodAutoscaler = {
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'lightning-asr', namespace: 'smallest' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'lightning-asr' },
    minReplicas: 2,
    maxReplicas: 20,
    metrics: [{ type: 'Pods', pods: { metric: { name: 'asr_active_requests' }, target: { type: 'AverageValue', averageValue: '5' } } }],
  },
};

export interface Seeded {
  readonly store: ObjectStore;
  readonly clock: ManualClock;
  readonly app: Hono;
}

/** A store holding the seeds' objects, and the app over it. */
export function seeded(options: { readonly token?: string; readonly requireToken?: boolean; readonly metrics?: FetchHandler } = {}): Seeded {
  const clock = createManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const store = createObjectStore({ clock, validate: validateObject, defaults: defaultObject });
  store.create(NAMESPACE, namespaceObject('default'));
  store.create(NAMESPACE, namespaceObject('smallest'));
  const labels = { app: 'lightning-asr' };
  store.create(DEPLOYMENT, deploymentObject({ name: 'lightning-asr', namespace: 'smallest', labels, replicas: 2 }));
  const pods = ['lightning-asr-7d9f8-abcde', 'lightning-asr-7d9f8-fghij'].map((name) => ({
    name,
    labels,
    phase: 'Running',
    startTimeMs: clock.now(),
    ready: { status: 'True', lastTransitionTimeMs: clock.now() },
  }));
  for (const p of pods) store.create(POD, podObject(p, { namespace: 'smallest', deployment: 'lightning-asr' }));
  const d = store.get(DEPLOYMENT, 'smallest', 'lightning-asr');
  store.update(DEPLOYMENT, { ...d, status: deploymentStatus(pods, 1) }, { subresource: 'status' });
  store.create(HPA, hpaObject(SEED_HPA, 'smallest'));
  clock.advance(65_000);
  const app = createKubeApp({ store, clock, ...(options.token ? { token: options.token } : {}), ...(options.requireToken ? { requireToken: true } : {}), ...(options.metrics ? { metrics: options.metrics, metricsGroups: [{ group: 'custom.metrics.k8s.io', versions: ['v1beta1'] }] } : {}) });
  return { store, clock, app };
}

/** Serves an app on a free port and writes a kubeconfig for it. */
export async function serveWithKubeconfig(app: Hono, token?: string): Promise<{ server: KubeServer; kubeconfig: string }> {
  const server = await startKubeServer(app, { port: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'hpa-lab-kube-'));
  const kubeconfig = join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: hpa-lab`,
      `  cluster: {server: "${server.url}"}`,
      'users:',
      `- name: hpa-lab`,
      `  user: ${token ? `{token: "${token}"}` : '{}'}`,
      'contexts:',
      '- name: hpa-lab',
      '  context: {cluster: hpa-lab, user: hpa-lab, namespace: default}',
      'current-context: hpa-lab',
      '',
    ].join('\n'),
  );
  return { server, kubeconfig };
}

/** Runs kubectl (bounded by 20 s) and returns its exit code, stdout and stderr. */
export function kubectl(kubeconfig: string, args: readonly string[], options: { readonly binary?: string; readonly input?: string; readonly timeoutMs?: number } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(options.binary ?? KUBECTL, [...args], { env: { ...process.env, KUBECONFIG: kubeconfig, HOME: tmpdir() }, timeout: options.timeoutMs ?? 20_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}
