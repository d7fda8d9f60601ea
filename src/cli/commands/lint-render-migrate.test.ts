import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ScaledObject } from '@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject';
import { main } from '../main.js';

const ROOT = new URL('../../..', import.meta.url).pathname;
const FIXTURES = 'test/lint/fixtures';

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd: ROOT });
  return { code, out, err };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hpa-lab-cli-render-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hpa-lab render --kubernetes', () => {
  it('writes the manifests and the dashboard after validating them', async () => {
    const out = join(dir, 'k8s');
    const r = await run(['render', 'examples/lightning-asr/values.yaml', '--kubernetes', '--out', out, '--shadow']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('✓ schemas (kubernetes-models, prometheus-operator CRDs): 14 objects valid');
    for (const f of ['hpa.yaml', 'servicemonitor.yaml', 'prometheusrule.yaml', 'adapter.yaml', 'grafana-dashboard-configmap.yaml', 'shadow.yaml', 'grafana-dashboard.json']) {
      expect(existsSync(join(out, f))).toBe(true);
    }
    expect(JSON.parse(await readFile(join(out, 'grafana-dashboard.json'), 'utf8'))).toMatchObject({ uid: 'hpa-lab-lightning-asr', schemaVersion: 39 });
  });

  it('prints one YAML stream with -o yaml, checks on stderr', async () => {
    const r = await run(['render', 'examples/lightning-asr/values.yaml', '--kubernetes', '-o', 'yaml', '-n', 'prod']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as { kind: string; metadata: { namespace?: string } });
    expect(docs.map((d) => d.kind)).toEqual(['HorizontalPodAutoscaler', 'HorizontalPodAutoscaler', 'ServiceMonitor', 'PrometheusRule', 'PrometheusRule', 'ConfigMap', 'APIService', 'APIService', 'APIService', 'ConfigMap']);
    expect(docs[0]?.metadata.namespace).toBe('prod');
    expect(r.err).toContain('✓ dashboard fields');
  });

  it('keeps the Prometheus files without --kubernetes', async () => {
    const r = await run(['render', 'examples/lightning-asr/values.yaml', '--out', join(dir, 'stack'), '--no-check']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'stack', 'prometheus.yml'))).toBe(true);
  });

  it.each([
    { name: 'with -o json', argv: ['render', 'v.yaml', '--kubernetes', '-o', 'json'], message: "'-o/--output' must be 'yaml' (the manifests to stdout): got 'json'" },
    { name: 'with both --out and -o', argv: ['render', 'v.yaml', '--kubernetes', '-o', 'yaml', '--out', 'x'], message: "--kubernetes needs exactly one of '--out DIR' or '-o yaml'" },
    { name: 'without VALUES', argv: ['render', '--kubernetes', '-o', 'yaml'], message: 'missing VALUES' },
    { name: 'with --shadow alone', argv: ['render', '--out', 'x', '--shadow'], message: "'--shadow' needs '--kubernetes'" },
    { name: 'with a bad namespace', argv: ['render', 'v.yaml', '--kubernetes', '-o', 'yaml', '-n', 'Prod'], message: "'--namespace' must be a DNS-1123 label: got 'Prod'" },
  ])('is a usage error $name', async ({ argv, message }) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe('hpa-lab lint', () => {
  it("exits 0 on the seeds' values", async () => {
    const r = await run(['lint', 'examples/lightning-asr/values.yaml']);
    expect(r).toMatchObject({ code: 0, out: 'no findings\n' });
  });

  it('exits 0 on warnings only, 1 on an error', async () => {
    expect((await run(['lint', `${FIXTURES}/hpa101-seed-advanced-behavior.yaml`])).code).toBe(0);
    const r = await run(['lint', `${FIXTURES}/hpa301-service.yaml`, `${FIXTURES}/servicemonitor.yaml`]);
    expect(r.code).toBe(1);
    expect(r.out).toContain('error HPA301');
  });

  it('prints JSON and SARIF', async () => {
    const json = await run(['lint', `${FIXTURES}/hpa203-no-external-rules.yaml`, '-o', 'json']);
    expect((JSON.parse(json.out) as { findings: { id: string }[] }).findings.map((f) => f.id)).toEqual(['HPA203']);
    const sarif = await run(['lint', `${FIXTURES}/hpa203-no-external-rules.yaml`, '-o', 'sarif']);
    expect(JSON.parse(sarif.out)).toMatchObject({ version: '2.1.0', runs: [{ results: [{ ruleId: 'HPA203', level: 'error' }] }] });
  });

  it('lists its rules', async () => {
    const r = await run(['lint', '--rules']);
    expect(r.out).toContain('HPA101  warning  window-shorter-than-sync');
  });

  it.each([
    { name: 'without files', argv: ['lint'], code: 2, message: 'missing VALUES or MANIFESTS' },
    { name: 'with a missing file', argv: ['lint', 'nope.yaml'], code: 2, message: "Cannot load 'nope.yaml': cannot read the file: ENOENT" },
    { name: 'with a bad format', argv: ['lint', 'x.yaml', '-o', 'xml'], code: 2, message: "'-o/--output' must be one of text, json, sarif: got 'xml'" },
  ])('exits 2 $name', async ({ argv, code, message }) => {
    const r = await run(argv);
    expect(r.code).toBe(code);
    expect(r.err).toContain(message);
  });

  it('exits 2 on a file that is not YAML', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'a: [1\n');
    const r = await run(['lint', file]);
    expect(r.code).toBe(2);
    expect(r.err).toContain('invalid YAML');
  });
});

describe('hpa-lab migrate --to keda', () => {
  it('prints validated ScaledObjects with a note per metric', async () => {
    const r = await run(['migrate', 'examples/lightning-asr/values.yaml', '--to', 'keda']);
    expect(r.code).toBe(0);
    expect(r.err).toContain('✓ ScaledObject schema (@kubernetes-models/keda): 2 valid');
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as Record<string, unknown>);
    for (const d of docs) expect(() => new ScaledObject(d as never).validate()).not.toThrow();
    expect(docs[0]).toMatchObject({
      kind: 'ScaledObject',
      metadata: { name: 'lightning-asr', namespace: 'smallest' },
      spec: {
        minReplicaCount: 1,
        maxReplicaCount: 10,
        advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 300 } } } },
        triggers: [
          {
            type: 'prometheus',
            metricType: 'AverageValue',
            metadata: { query: 'sum(asr_active_requests{namespace="smallest",pod=~"lightning-asr-[a-z0-9]{1,10}-[a-z0-9]{5}"})', threshold: '5', serverAddress: 'http://smallest-prometheus-stack-prometheus.default.svc:9090' },
          },
        ],
      },
    });
    expect(r.out).toContain('# lightning-asr / asr_active_requests (from prometheus-adapter.rules.custom[0]):');
    expect(r.out).toContain('Pods → External');
    expect(r.out).toContain('one provider per cluster');
  });

  it('simulates the adapter HPAs and the KEDA-made HPAs on the same traffic', async () => {
    const r = await run(['migrate', 'examples/lightning-asr/values.yaml', '--to', 'keda', '--out', join(dir, 'keda'), '--simulate', 'examples/scenarios/traffic-spike.yaml']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'keda', 'keda-hpa.yaml'))).toBe(true);
    expect(r.out).toMatch(/lightning-asr:\n\s+prometheus-adapter\s+keda\n/);
    expect(r.out).toContain('They decide alike');
  });

  it.each([
    { name: 'without --to', argv: ['migrate', 'examples/lightning-asr/values.yaml'], message: "'--to' must be 'keda' (the only target): got nothing" },
    { name: 'with an adapter config and no --hpa', argv: ['migrate', `${FIXTURES}/adapter-config.yaml`, '--to', 'keda'], message: "is an adapter config: pass the HPAs it serves with '--hpa FILE'" },
  ])('is a usage error $name', async ({ argv, message }) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('migrates an adapter config file with the HPAs of a manifest', async () => {
    const r = await run(['migrate', `${FIXTURES}/adapter-config.yaml`, '--to', 'keda', '--hpa', 'examples/lightning-asr/hpa.yaml', '--prometheus', 'http://prometheus:9090']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('serverAddress: http://prometheus:9090');
    expect(r.out).toContain('kind: ScaledObject');
  });
});
