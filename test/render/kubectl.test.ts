/**
 * The rendered manifests through the real kubectl. `kubectl apply --dry-run=client` needs an API
 * server for discovery and for reading the live object: until the local stack's API server
 * (src/kube) is merged, a minimal discovery server on loopback answers (autoscaling/v2 discovery,
 * 404 for every object, as an empty cluster does). `kubectl kustomize` parses every rendered
 * document as a Kubernetes object offline.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

/** Just enough of an API server for `kubectl apply --dry-run=client`: discovery, and 404 for objects. */
function discoveryServer(): Server {
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown): void => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  return createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/api') return json(res, 200, { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '127.0.0.1' }] });
    if (path === '/apis') {
      return json(res, 200, {
        kind: 'APIGroupList',
        apiVersion: 'v1',
        groups: [{ name: 'autoscaling', versions: [{ groupVersion: 'autoscaling/v2', version: 'v2' }], preferredVersion: { groupVersion: 'autoscaling/v2', version: 'v2' } }],
      });
    }
    if (path === '/api/v1') return json(res, 200, { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'namespaces', singularName: 'namespace', namespaced: false, kind: 'Namespace', verbs: ['get', 'list'] }] });
    if (path === '/apis/autoscaling/v2') {
      return json(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: 'autoscaling/v2',
        resources: [{ name: 'horizontalpodautoscalers', singularName: 'horizontalpodautoscaler', namespaced: true, kind: 'HorizontalPodAutoscaler', verbs: ['create', 'delete', 'get', 'list', 'patch', 'update', 'watch'], shortNames: ['hpa'] }],
      });
    }
    const name = path?.split('/').at(-1) ?? '';
    return json(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `horizontalpodautoscalers.autoscaling "${name}" not found`, reason: 'NotFound', code: 404 });
  });
}

let dir = '';
let server: Server | undefined;
let port = 0;
const rendered = renderKubernetes(readFileSync(new URL('../../examples/lightning-asr/values.yaml', import.meta.url), 'utf8'), 'values.yaml', { shadow: true });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hpa-lab-kubectl-'));
  for (const f of rendered.files) await writeFile(join(dir, f.path), toYamlStream(f.objects));
  server = discoveryServer();
  await new Promise<void>((ok) => server!.listen(0, '127.0.0.1', ok));
  port = (server.address() as { port: number }).port;
  await mkdir(join(dir, '.kube'), { recursive: true });
});
afterAll(async () => {
  await new Promise((ok) => server?.close(ok));
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!KUBECTL)('the rendered manifests through kubectl', () => {
  it('kubectl apply --dry-run=client takes the two HPAs', async () => {
    const r = await kubectl(['apply', '--dry-run=client', '--validate=false', '-f', join(dir, 'hpa.yaml'), '--server', `http://127.0.0.1:${port}`, '-o', 'name']);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(['horizontalpodautoscaler.autoscaling/lightning-asr', 'horizontalpodautoscaler.autoscaling/api-server']);
    expect(r.code).toBe(0);
  });

  it('kubectl kustomize reads every rendered document as a Kubernetes object', async () => {
    await writeFile(join(dir, 'kustomization.yaml'), `resources:\n${rendered.files.map((f) => `  - ${f.path}\n`).join('')}`);
    const r = await kubectl(['kustomize', dir]);
    expect(r.code).toBe(0);
    const kinds = [...r.stdout.matchAll(/^kind: (\w+)$/gm)].map((m) => m[1]).sort();
    expect(kinds).toEqual(rendered.files.flatMap((f) => f.objects.map((o) => o.kind)).sort());
  });
});
