import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../core/index.js';
import { detectHpaInputKind, loadHpaFile } from './load.js';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hpa-lab-spec-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('loadHpaFile()', () => {
  it('loads the blog manifest with its Deployment requests (seed 003)', async () => {
    const loaded = await loadHpaFile('examples/blog/hpa.yaml');
    expect(loaded.kind).toBe('manifest');
    expect(loaded.hpas.map((h) => h.metadata.name)).toEqual(['autoscaler-name']);
    expect(loaded.warnings).toEqual([]);
    const app = loaded.deployments['autoscaler-name']?.containers[0];
    expect(app?.requestsMilli).toEqual({ cpu: 500, memory: 1350 * 2 ** 20 * 1000 });
    expect(app?.limitsMilli).toEqual({ cpu: 1500, memory: 2000 * 2 ** 20 * 1000 });
  });

  it('loads the Lightning ASR manifest with the custom scaling policies (seed 000)', async () => {
    const loaded = await loadHpaFile('examples/lightning-asr/hpa.yaml');
    expect(loaded.kind).toBe('manifest');
    const spec = loaded.hpas[0]?.spec;
    expect([spec?.minReplicas, spec?.maxReplicas]).toEqual([2, 20]);
    expect(spec?.behavior?.scaleUp?.policies).toHaveLength(2);
    expect(spec?.behavior?.scaleDown?.selectPolicy).toBe('Min');
  });

  it('loads Helm values with their Prometheus settings', async () => {
    const loaded = await loadHpaFile('examples/lightning-asr/values.yaml');
    expect(loaded.kind).toBe('helm-values');
    expect(loaded.hpas.map((h) => h.metadata.name)).toEqual(['lightning-asr', 'api-server']);
    expect(loaded.deployments).toEqual({});
    expect(loaded.prometheus?.scrapeIntervalSeconds).toBe(30);
  });

  it('reports a missing file as unreadable', async () => {
    const path = join(dir, 'nope.yaml');
    const error = await loadHpaFile(path).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('unreadable');
    expect((error as InputError).message).toBe(`Cannot load '${path}': cannot read the file: no such file`);
  });

  it('reports a directory as unreadable', async () => {
    const error = await loadHpaFile(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).code).toBe('unreadable');
  });

  it('refuses a manifest without HPA', async () => {
    const path = await write('deploy.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n');
    await expect(loadHpaFile(path)).rejects.toThrow(
      `Cannot load '${path}': expected at least one document with 'kind: HorizontalPodAutoscaler', found none`,
    );
  });

  it('passes parser errors through with file, path and line', async () => {
    const path = await write('bad.yaml', 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n  scaleTargetRef: {kind: Deployment, name: web}\n  maxReplicas: 0\n');
    await expect(loadHpaFile(path)).rejects.toThrow(`Cannot load '${path}:line 6' at 'spec.maxReplicas': expected an integer from 1 to 2147483647 (int32), got 0`);
  });
});

describe('detectHpaInputKind()', () => {
  it.each([
    { name: 'an HPA document', text: 'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n', want: 'manifest' },
    { name: 'an autoscaling/v1 HPA', text: 'apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\n', want: 'manifest' },
    { name: 'a manifest after an empty document', text: '---\n---\nkind: Deployment\n', want: 'manifest' },
    { name: 'an object without kind', text: 'apiVersion: autoscaling/v2\nspec: {}\n', want: 'manifest' },
    { name: 'Helm values', text: 'scaling:\n  auto:\n    enabled: true\n', want: 'helm-values' },
  ])('says $want for $name', ({ text, want }) => {
    expect(detectHpaInputKind(text, 'f.yaml')).toBe(want);
  });

  it.each([
    { name: 'an empty file', text: '', detail: "file is empty: expected an autoscaling/v2 manifest ('kind: HorizontalPodAutoscaler') or Helm values with a 'scaling' key" },
    { name: 'unrelated YAML', text: 'foo: bar\n', detail: "expected an autoscaling/v2 manifest ('kind: HorizontalPodAutoscaler') or Helm values with a 'scaling' key" },
  ])('refuses $name', ({ text, detail }) => {
    expect(() => detectHpaInputKind(text, 'f.yaml')).toThrow(`Cannot load 'f.yaml': ${detail}`);
  });
});
