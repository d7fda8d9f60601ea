import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { InputError } from '../../src/core/errors.js';
import { parseHelmValues } from '../../src/input/helm-values.js';
import { readFileSync } from 'node:fs';
import {
  buildPrometheusConfig,
  buildRuleFiles,
  buildStackFiles,
  checkConfig,
  checkRules,
  durationMs,
  fileSdJson,
  findExecutable,
  prometheusArgs,
  testRules,
  type RenderedFile,
} from '../../src/metrics/prometheus/index.js';

const PROMTOOL = findExecutable('promtool');
if (!PROMTOOL) console.warn('skipping promtool checks: promtool is not installed (apt-get install -y prometheus)');

const VALUES_FILE = 'examples/lightning-asr/values.yaml';
const values = parseHelmValues(readFileSync(VALUES_FILE, 'utf8'), VALUES_FILE);

async function writeAll(dir: string, files: readonly RenderedFile[]): Promise<void> {
  for (const f of files) {
    await mkdir(dirname(join(dir, f.path)), { recursive: true });
    await writeFile(join(dir, f.path), f.text);
  }
}

describe('buildPrometheusConfig()', () => {
  it.each([
    { name: 'keeps the default timeout at 30 s', scrape: '30s', want: { scrape_interval: '30s', evaluation_interval: '30s' } },
    { name: 'lowers the timeout to a 1 s interval', scrape: '1s', want: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '30s' } },
    { name: 'lowers the timeout to a 5 s interval', scrape: '5s', want: { scrape_interval: '5s', scrape_timeout: '5s', evaluation_interval: '30s' } },
  ])('$name', ({ scrape, want }) => {
    expect(buildPrometheusConfig({ scrapeInterval: scrape, fileSdPath: 't.json' })['global']).toEqual(want);
  });

  it('discovers workers from the file and scrapes static jobs with honor_labels', () => {
    const config = buildPrometheusConfig({
      fileSdPath: 'targets/workers.json',
      staticJobs: [{ jobName: 'kube-state-metrics', targets: ['127.0.0.1:9100'], honorLabels: true }],
      ruleFiles: ['rules/a.yaml'],
    });
    expect(config).toMatchObject({
      rule_files: ['rules/a.yaml'],
      scrape_configs: [
        { job_name: 'lightning-asr', file_sd_configs: [{ files: ['targets/workers.json'], refresh_interval: '5s' }] },
        { job_name: 'kube-state-metrics', honor_labels: true, static_configs: [{ targets: ['127.0.0.1:9100'] }] },
      ],
    });
  });

  it('rejects an interval that is not a Prometheus duration', () => {
    expect(() => buildPrometheusConfig({ scrapeInterval: '30 s', fileSdPath: 't.json' })).toThrow(
      new RangeError("Cannot read the duration '30 s': expected a Prometheus duration such as '30s', '1m30s' or '500ms'"),
    );
  });

  it.each([
    { text: '30s', ms: 30_000 },
    { text: '1m30s', ms: 90_000 },
    { text: '500ms', ms: 500 },
    { text: '15d', ms: 15 * 86_400_000 },
  ])('durationMs($text) is $ms', ({ text, ms }) => expect(durationMs(text)).toBe(ms));
});

describe('prometheusArgs()', () => {
  it('passes retention and retention size from the values as flags', () => {
    expect(
      prometheusArgs({ configFile: 'p.yml', dataDir: 'd', listenAddress: '127.0.0.1:1', retention: values.prometheus?.retention ?? '', retentionSize: values.prometheus?.retentionSize ?? '' }),
    ).toEqual(['--config.file=p.yml', '--storage.tsdb.path=d', '--web.listen-address=127.0.0.1:1', '--storage.tsdb.retention.time=15d', '--storage.tsdb.retention.size=50GB']);
  });
});

describe('buildRuleFiles()', () => {
  it('writes the seed rules by default', () => {
    const files = buildRuleFiles();
    expect(files.map((f) => f.path)).toEqual(['rules/asr-rules.yaml', 'rules/asr-alerts.yaml']);
    const recorded = parse(files[0]?.text ?? '') as { groups: { rules: { record: string }[] }[] };
    expect(recorded.groups[0]?.rules.map((r) => r.record)).toEqual(['asr:requests:rate5m', 'asr:requests:active_avg', 'asr:gpu:utilization_avg']);
    const alerts = parse(files[1]?.text ?? '') as { groups: { rules: { alert: string }[] }[] };
    expect(alerts.groups[0]?.rules.map((r) => r.alert)).toEqual(['HighErrorRate', 'HighQueueLength', 'GPUMemoryHigh']);
  });

  it('uses the values map as given, over the defaults key by key', () => {
    const files = buildRuleFiles({ 'asr-alerts': null, extra: { groups: [{ name: 'x', rules: [{ record: 'x', expr: 'up' }] }] } });
    expect(files.map((f) => f.path)).toEqual(['rules/asr-rules.yaml', 'rules/extra.yaml']);
    expect(parse(files[1]?.text ?? '')).toEqual({ groups: [{ name: 'x', rules: [{ record: 'x', expr: 'up' }] }] });
  });

  it.each([
    { name: 'a key that is not a file name', map: { '../x': { groups: [] } }, path: '../x', detail: 'expected a key usable as a file name' },
    { name: 'an entry that is not a mapping', map: { x: [1] }, path: 'x', detail: "expected a mapping with 'groups' (a PrometheusRule spec), got a list" },
  ])('rejects $name', ({ map, path, detail }) => {
    let caught: unknown;
    try {
      buildRuleFiles(map, { file: 'values.yaml' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(InputError);
    expect((caught as InputError).path).toBe(`kube-prometheus-stack.prometheus.prometheusSpec.additionalPrometheusRulesMap.${path}`);
    expect((caught as InputError).detail).toContain(detail);
  });
});

describe('fileSdJson()', () => {
  it('attaches pod, namespace and sanitised pod labels', () => {
    expect(JSON.parse(fileSdJson([{ address: '127.0.0.1:1', pod: 'asr-0', namespace: 'ns', labels: { app: 'lightning-asr', 'app.kubernetes.io/name': 'asr', pod: 'ignored', __x: 'y' } }]))).toEqual([
      { targets: ['127.0.0.1:1'], labels: { app: 'lightning-asr', app_kubernetes_io_name: 'asr', pod: 'asr-0', namespace: 'ns' } },
    ]);
  });
});

describe.skipIf(!PROMTOOL)('promtool on the generated files', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hpa-lab-promtool-'));
    await writeAll(dir, buildStackFiles({ settings: values.prometheus ?? {}, valuesFile: VALUES_FILE, staticJobs: [{ jobName: 'kube-state-metrics', targets: ['127.0.0.1:9100'], honorLabels: true }] }));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('passes promtool check config (with its rule files)', async () => {
    const r = await checkConfig(join(dir, 'prometheus.yml'));
    expect(r.stderr + r.stdout).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });

  it('passes promtool check rules', async () => {
    const r = await checkRules([join(dir, 'rules/asr-rules.yaml'), join(dir, 'rules/asr-alerts.yaml')]);
    expect(r.stdout).toContain('SUCCESS: 3 rules found');
    expect(r.ok).toBe(true);
  });

  it('fails promtool check rules on a broken expression', async () => {
    const bad = join(dir, 'bad.yaml');
    await writeFile(bad, buildRuleFiles({ broken: { groups: [{ name: 'b', rules: [{ record: 'b', expr: 'sum(up' }] }] } }, { seedDefaults: false })[0]?.text ?? '');
    const r = await checkRules([bad]);
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain('unclosed left parenthesis');
  });

  it('fires HighQueueLength when asr_active_requests > 50 for 2 m (promtool test rules)', async () => {
    const test = {
      rule_files: ['rules/asr-alerts.yaml'],
      evaluation_interval: '30s',
      tests: [
        {
          interval: '30s',
          input_series: [
            { series: 'asr_active_requests{namespace="default",pod="asr-0"}', values: '60x10' },
            { series: 'asr_active_requests{namespace="default",pod="asr-1"}', values: '50x10' },
            { series: 'asr_active_requests{namespace="default",pod="asr-2"}', values: '60 60 10 60 60 60 60 60 60 60' },
          ],
          alert_rule_test: [
            { eval_time: '1m30s', alertname: 'HighQueueLength', exp_alerts: [] },
            {
              eval_time: '2m',
              alertname: 'HighQueueLength',
              exp_alerts: [{ exp_labels: { severity: 'warning', namespace: 'default', pod: 'asr-0' }, exp_annotations: { summary: 'ASR queue backing up', description: '60 requests queued' } }],
            },
            {
              eval_time: '3m30s',
              alertname: 'HighQueueLength',
              exp_alerts: [
                { exp_labels: { severity: 'warning', namespace: 'default', pod: 'asr-0' }, exp_annotations: { summary: 'ASR queue backing up', description: '60 requests queued' } },
                { exp_labels: { severity: 'warning', namespace: 'default', pod: 'asr-2' }, exp_annotations: { summary: 'ASR queue backing up', description: '60 requests queued' } },
              ],
            },
          ],
        },
      ],
    };
    const file = join(dir, 'high-queue-length.test.yaml');
    await writeFile(file, JSON.stringify(test));
    const r = await testRules([file]);
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.ok).toBe(true);
  });
});
