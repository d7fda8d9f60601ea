import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findExecutable, startPrometheus, startStackExporter, writeFileSd } from '../../src/metrics/prometheus/index.js';

const HAS = findExecutable('prometheus') !== undefined;
if (!HAS) console.warn('skipping the Prometheus process test: prometheus is not installed (apt-get install -y prometheus)');

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hpa-lab-prom-proc-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('startPrometheus()', () => {
  it('names a binary that cannot be started', async () => {
    await expect(startPrometheus({ runDir: join(dir, 'a'), binary: join(dir, 'no-such-prometheus') })).rejects.toThrow(/^Cannot start Prometheus '.*no-such-prometheus': ENOENT$/);
  });

  it.skipIf(!HAS)('reports Prometheus refusing a rule file, with its log', async () => {
    const bad = { broken: { groups: [{ name: 'b', rules: [{ record: 'b', expr: 'sum(up' }] }] } };
    await expect(startPrometheus({ runDir: join(dir, 'b'), settings: { additionalPrometheusRulesMap: bad }, readyTimeoutMs: 15_000 })).rejects.toThrow(/^Prometheus exited before it was ready \(code 1\): .*broken\.yaml.*unclosed left parenthesis/);
  });

  it.skipIf(!HAS)('starts on a free loopback port with the data under the run folder, and stops', async () => {
    const prom = await startPrometheus({ runDir: join(dir, 'c'), scrapeInterval: '1s' });
    try {
      expect(prom.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(prom.dataDir).toBe(join(dir, 'c', 'prometheus', 'data'));
      const flags = (await (await fetch(`${prom.url}/api/v1/status/flags`)).json()) as { data: Record<string, string> };
      expect(flags.data['storage.tsdb.path']).toBe(prom.dataDir);
      expect(flags.data['web.listen-address']).toBe(`127.0.0.1:${prom.port}`);
    } finally {
      await prom.stop();
    }
    expect(await prom.exited).toMatchObject({ code: 0 });
  });
});

describe('writeFileSd()', () => {
  it('replaces the file with the targets', async () => {
    const path = join(dir, 'workers.json');
    await writeFileSd(path, [{ address: '127.0.0.1:1', pod: 'a', namespace: 'n' }]);
    await writeFileSd(path, [{ address: '127.0.0.1:2', pod: 'b', namespace: 'n' }]);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual([{ targets: ['127.0.0.1:2'], labels: { pod: 'b', namespace: 'n' } }]);
  });
});

describe('startStackExporter()', () => {
  it('exports kube_deployment_status_replicas per deployment', async () => {
    const ksm = await startStackExporter();
    try {
      ksm.setDeploymentReplicas({ namespace: 'default', deployment: 'lightning-asr' }, 3);
      ksm.setDeploymentReplicas({ namespace: 'default', deployment: 'api-server' }, 2);
      ksm.removeDeployment({ namespace: 'default', deployment: 'api-server' });
      const text = await (await fetch(ksm.url)).text();
      expect(text).toContain('kube_deployment_status_replicas{namespace="default",deployment="lightning-asr"} 3');
      expect(text).not.toContain('api-server');
      expect(() => ksm.setDeploymentReplicas({ namespace: 'default', deployment: 'x' }, -1)).toThrow(new RangeError("Cannot set replicas of 'default/x' as 'replicas' must be an integer ≥ 0: got -1"));
    } finally {
      await ksm.close();
    }
  });
});
