import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { main } from '../../src/cli/main.js';
import { findExecutable, freePort } from '../../src/metrics/prometheus/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const HAS_PROMTOOL = findExecutable('promtool') !== undefined;
if (!HAS_PROMTOOL) console.warn('render: promtool is not installed, so the check lines are not asserted (apt-get install -y prometheus)');

async function run(argv: string[], cwd = ROOT): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) }, cwd });
  return { code, out, err };
}

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hpa-lab-cli-metrics-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('hpa-lab render', () => {
  it('writes the Prometheus config, rule files and adapter config from the values, and checks them', async () => {
    const out = join(dir, 'stack');
    const r = await run(['render', 'examples/lightning-asr/values.yaml', '--out', out, '--scrape-interval', '15s']);
    expect(r.code).toBe(0);
    for (const f of ['prometheus.yml', 'rules/asr-rules.yaml', 'rules/asr-alerts.yaml', 'targets/workers.json', 'adapter-config.yaml']) expect(existsSync(join(out, f))).toBe(true);
    expect(await readFile(join(out, 'prometheus.yml'), 'utf8')).toContain('scrape_interval: 15s');
    // The values' additionalScrapeConfigs are kept, after the stack's own jobs.
    expect(await readFile(join(out, 'prometheus.yml'), 'utf8')).toMatch(/- job_name: lightning-asr-aggregated\n\s+scrape_interval: 15s\n\s+static_configs:\n\s+- targets:\n\s+- lightning-asr:2269/);
    expect(await readFile(join(out, 'adapter-config.yaml'), 'utf8')).toContain('as: lightning_asr_replica_count');
    if (HAS_PROMTOOL) {
      expect(r.out).toContain('✓ promtool check config: SUCCESS');
      expect(r.out).toContain('✓ promtool check rules: SUCCESS: 6 rules in 2 files');
      expect(r.out).toContain('✓ adapter rules PromQL: 9 rules parse');
    }
  });

  it.each([
    { name: 'without --out', argv: ['render'], message: "missing '--out DIR'" },
    { name: 'with a bad interval', argv: ['render', '--out', 'x', '--scrape-interval', '15 s'], message: "'--scrape-interval' must be a Prometheus duration such as 15s: got '15 s'" },
  ])('is a usage error $name', async ({ argv, message }) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });
});

describe('hpa-lab adapter', () => {
  it('prints the APIService manifests a real cluster needs', async () => {
    const r = await run(['adapter', '--print-apiservice']);
    expect(r.code).toBe(0);
    const docs = parseAllDocuments(r.out).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      'APIService/v1beta1.custom.metrics.k8s.io',
      'APIService/v1beta2.custom.metrics.k8s.io',
      'APIService/v1beta1.external.metrics.k8s.io',
      'Service/hpa-lab-adapter',
      'Deployment/hpa-lab-adapter',
    ]);
  });

  it.each([
    { name: 'without --config', argv: ['adapter', '--prometheus', 'http://127.0.0.1:9'], message: "missing '--config FILE'" },
    { name: 'with a bad relist interval', argv: ['adapter', '--config', 'x', '--prometheus', 'http://127.0.0.1:9', '--metrics-relist-interval', 'soon'], message: "'--metrics-relist-interval' must be a Go duration" },
  ])('is a usage error $name', async ({ argv, message }) => {
    const r = await run(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('refuses a rule file with a bad regex, naming the file, the rule and the reason', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'rules:\n- seriesQuery: up\n  seriesFilters: [{isNot: "(up"}]\n  metricsQuery: up\n');
    const r = await run(['adapter', '--config', file, '--prometheus', 'http://127.0.0.1:9', '--port', '0']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^hpa-lab adapter: Cannot load '.*bad\.yaml:line 3' at 'rules\[0\]\.seriesFilters\[0\]\.isNot': .*missing closing \)/);
  });
});

describe('hpa-lab diagnose', () => {
  it('walks the seed HPAs without Prometheus and says which links need it (--json)', async () => {
    const r = await run(['diagnose', '--json']);
    expect(r.code).toBe(0);
    const d = JSON.parse(r.out) as { ok: boolean; hpas: { name: string; metrics: { checks: { id: string; status: string }[] }[]; decision: { status: string } }[] };
    expect(d.hpas.map((h) => h.name)).toEqual(['lightning-asr', 'api-server']);
    expect(d.hpas[0]?.metrics[0]?.checks.map((c) => `${c.id}:${c.status}`)).toEqual([
      'rules:pass',
      'prometheus:skip',
      'targets:skip',
      'series:skip',
      'rule:skip',
      'labels:skip',
      'api:skip',
      'fresh:skip',
    ]);
    expect(d.hpas[1]?.decision.status).toBe('skip');
  });

  it('reports an unreachable Prometheus as the first broken link, exit 1', async () => {
    const port = await freePort();
    const r = await run(['diagnose', 'examples/lightning-asr/hpa.yaml', '--prometheus', `http://127.0.0.1:${port}`]);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(new RegExp(`✗ Prometheus answers +Prometheus at http://127\\.0\\.0\\.1:${port} cannot be reached: .*ECONNREFUSED`));
    expect(r.out).toContain('first broken link: Prometheus answers');
  });
});
