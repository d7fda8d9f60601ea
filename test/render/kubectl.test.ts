/**
 * The rendered manifests through the real kubectl: the HPAs are applied to the local stack's
 * Kubernetes API (src/kube, the server `hpa-lab up` serves), which validates them with the
 * autoscaling/v2 schema, and read back. `kubectl kustomize` parses every rendered document as a
 * Kubernetes object offline (the operator kinds have no server here).
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/core/index.js';
import { createKubeApp, createObjectStore, startKubeServer, type KubeServer } from '../../src/kube/index.js';
import { findExecutable } from '../../src/metrics/prometheus/index.js';
import { renderKubernetes, toYamlStream } from '../../src/render/index.js';

const KUBECTL = findExecutable('kubectl');
if (!KUBECTL) console.warn('render: kubectl is not installed, so the kubectl tests are skipped (apt-get install -y kubectl)');

function kubectl(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(KUBECTL as string, args, { env: { PATH: process.env['PATH'] ?? '', HOME: dir, ...env }, timeout: 30_000 }, (error, stdout, stderr) =>
      done({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

let dir = '';
let server: KubeServer | undefined;
const rendered = renderKubernetes(readFileSync(new URL('../../examples/lightning-asr/values.yaml', import.meta.url), 'utf8'), 'values.yaml', { shadow: true });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hpa-lab-kubectl-'));
  for (const f of rendered.files) await writeFile(join(dir, f.path), toYamlStream(f.objects));
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  server = await startKubeServer(createKubeApp({ store: createObjectStore({ clock }), clock }), { port: 0 });
  await mkdir(join(dir, '.kube'), { recursive: true });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!KUBECTL)('the rendered manifests through kubectl', () => {
  it('kubectl apply puts the two HPAs on the local stack\'s API server, which validates them', async () => {
    const url = server!.url;
    const r = await kubectl(['apply', '-f', join(dir, 'hpa.yaml'), '--server', url, '-o', 'name']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['horizontalpodautoscaler.autoscaling/lightning-asr', 'horizontalpodautoscaler.autoscaling/api-server']);
    expect(r.code).toBe(0);
    const ns = rendered.files.find((f) => f.path === 'hpa.yaml')!.objects[0]!.metadata.namespace as string;
    const got = await kubectl(['get', 'hpa', '-n', ns, '--server', url, '-o', 'jsonpath={.items[*].spec.maxReplicas}']);
    expect(got.code, got.stderr).toBe(0);
    expect(got.stdout.split(' ').map(Number)).toEqual(rendered.files.find((f) => f.path === 'hpa.yaml')!.objects.map((o) => (o as unknown as { spec: { maxReplicas: number } }).spec.maxReplicas));
  });

  it('kubectl kustomize reads every rendered document as a Kubernetes object', async () => {
    await writeFile(join(dir, 'kustomization.yaml'), `resources:\n${rendered.files.map((f) => `  - ${f.path}\n`).join('')}`);
    const r = await kubectl(['kustomize', dir]);
    expect(r.code).toBe(0);
    const kinds = [...r.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]).sort();
    expect(kinds).toEqual(rendered.files.flatMap((f) => f.objects.map((o) => o.kind)).sort());
  });
});
