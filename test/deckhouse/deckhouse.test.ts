/**
 * Deckhouse's metric objects (seed 001): read and validated, turned into prometheus-adapter rules,
 * served through hpa-lab's adapter (fake Prometheus), simulated, and checked by `deckhouseFindings`.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { createManualClock } from '../../src/core/clock.js';
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';
import { createAdapterApp } from '../../src/metrics/adapter/app.js';
import { createAdapterProvider } from '../../src/metrics/adapter/provider.js';
import { deckhouseAdapterConfig, deckhouseAdapterRules, DECKHOUSE_FINDING_IDS, deckhouseFindings, DECKHOUSE_METRIC_KINDS, DECKHOUSE_METRIC_SCHEMA, DECKHOUSE_SOURCES, parseDeckhouseObjects } from '../../src/metrics/deckhouse/index.js';
import { createFakePrometheus } from '../metrics/fake-prometheus.js';

const read = (name: string) => readFileSync(new URL(`../../examples/deckhouse/${name}`, import.meta.url), 'utf8');
const RMQ = parseDeckhouseObjects(read('rabbitmq-queue.yaml'), 'rabbitmq-queue.yaml');
const SQS = parseDeckhouseObjects(read('sqs-external.yaml'), 'sqs-external.yaml');
const NOW_MS = Date.UTC(2024, 4, 1, 10, 0, 0);

const metricDoc = (kind: string, query: string, apiVersion = 'deckhouse.io/v1beta1') => `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: m, namespace: ns}\nspec:\n  query: '${query}'\n`;

describe('the Deckhouse schema kept as data', () => {
  it('names its sources and requires spec.query as the CRDs do', () => {
    expect(DECKHOUSE_SOURCES.crds).toBe('https://github.com/deckhouse/deckhouse/tree/main/modules/301-prometheus-metrics-adapter/crds');
    expect(DECKHOUSE_METRIC_SCHEMA.required).toEqual(['spec']);
    expect(DECKHOUSE_METRIC_SCHEMA.properties.spec.required).toEqual(['query']);
    // The reader refuses what the schema requires, for every kind.
    for (const k of DECKHOUSE_METRIC_KINDS) {
      expect(() => parseDeckhouseObjects(`apiVersion: deckhouse.io/v1alpha1\nkind: ${k.kind}\nmetadata: {name: m}\n`, 'm.yaml')).toThrow("at 'spec'");
    }
  });

  it('lists the finding IDs lint can map', () => {
    expect(DECKHOUSE_FINDING_IDS).toContain('deckhouse/value-target-only');
  });
});

describe('parseDeckhouseObjects()', () => {
  it("reads the guide's ServiceMetric and its HPA", () => {
    expect(RMQ.metrics).toMatchObject([{ kind: { kind: 'ServiceMetric', resource: 'service' }, name: 'rmq-queue-forum-messages', namespace: 'mynamespace' }]);
    expect(RMQ.hpas.map((h) => h.metadata.name)).toEqual(['myhpa']);
    expect(RMQ.warnings).toEqual([]);
  });

  it('reads kube_adapter_metric_ recording rules of CustomPrometheusRules as External metrics without the prefix', () => {
    expect(SQS.externalMetrics).toEqual([
      { name: 'sqs_messages_visible', record: 'kube_adapter_metric_sqs_messages_visible', expr: 'sum (sqs_messages_visible) by (queue)', from: 'CustomPrometheusRules/prometheus-metrics-adapter-sqs-messages-visible' },
    ]);
  });

  it.each(DECKHOUSE_METRIC_KINDS.map((k) => ({ kind: k.kind })))('accepts every kind of the CRDs: $kind', ({ kind }) => {
    const o = parseDeckhouseObjects(metricDoc(kind, 'max(x{<<.LabelMatchers>>}) by (<<.GroupBy>>)'), 'm.yaml');
    expect(o.metrics).toHaveLength(1);
  });

  it.each([
    { name: 'a query without <<.LabelMatchers>>', text: metricDoc('ServiceMetric', 'sum(x) by (<<.GroupBy>>)'), message: "Cannot load 'm.yaml:line 5' at 'spec.query': expected the query to use <<.LabelMatchers>>" },
    { name: 'a query without <<.GroupBy>>', text: metricDoc('PodMetric', 'sum(x{<<.LabelMatchers>>})'), message: "at 'spec.query': expected the query to use <<.GroupBy>>" },
    { name: 'an unknown version', text: metricDoc('IngressMetric', 'x{<<.LabelMatchers>>} by (<<.GroupBy>>)', 'deckhouse.io/v2'), message: "at 'apiVersion': expected one of 'deckhouse.io/v1alpha1', 'deckhouse.io/v1beta1' for IngressMetric, got 'deckhouse.io/v2'" },
    { name: "the usage page's spelling StatefulsetMetric", text: metricDoc('StatefulsetMetric', 'x'), message: "at 'kind': expected 'StatefulSetMetric' (the CRD's kind; kinds are case-sensitive), got 'StatefulsetMetric'" },
    { name: 'a missing spec.query', text: 'apiVersion: deckhouse.io/v1alpha1\nkind: NamespaceMetric\nmetadata: {name: m}\nspec: {}\n', message: "at 'spec.query'" },
    { name: 'an unknown spec field', text: 'apiVersion: deckhouse.io/v1alpha1\nkind: NamespaceMetric\nmetadata: {name: m}\nspec: {query: "x{<<.LabelMatchers>>} by (<<.GroupBy>>)", qery: 1}\n', message: "Cannot load 'm.yaml:line 4' at 'spec': unknown field 'qery': the CRD's spec has only 'query'" },
  ])('rejects $name with the field path', ({ text, message }) => {
    expect(() => parseDeckhouseObjects(text, 'm.yaml')).toThrow(message);
  });
});

describe('deckhouseAdapterRules()', () => {
  it("turns the ServiceMetric into a rule over kube_service_created in its namespace, and adds DKP's external rule", () => {
    const { rules, externalRules } = deckhouseAdapterRules(RMQ.metrics);
    expect(rules).toEqual([
      {
        seriesQuery: 'kube_service_created{namespace="mynamespace"}',
        resources: { overrides: { namespace: { resource: 'namespace' }, service: { resource: 'service' } } },
        name: { matches: '.*', as: 'rmq-queue-forum-messages' },
        metricsQuery: 'sum (rabbitmq_queue_messages{<<.LabelMatchers>>,queue=~"send_forum_message",vhost="/"}) by (<<.GroupBy>>)',
      },
    ]);
    expect(externalRules[0]).toMatchObject({ seriesQuery: '{__name__=~"kube_adapter_metric_.+"}', resources: { namespaced: false } });
  });

  it('lets a namespaced object override a Cluster one of the same name in its namespace', () => {
    const text = [
      'apiVersion: deckhouse.io/v1alpha1\nkind: ClusterServiceMetric\nmetadata: {name: q}\nspec: {query: "a{<<.LabelMatchers>>} by (<<.GroupBy>>)"}',
      'apiVersion: deckhouse.io/v1alpha1\nkind: ServiceMetric\nmetadata: {name: q, namespace: team-a}\nspec: {query: "b{<<.LabelMatchers>>} by (<<.GroupBy>>)"}',
    ].join('\n---\n');
    const { rules } = deckhouseAdapterRules(parseDeckhouseObjects(text, 'q.yaml').metrics);
    expect(rules.map((r) => [r.seriesQuery, r.metricsQuery])).toEqual([
      ['kube_service_created{namespace!~"team-a"}', 'a{<<.LabelMatchers>>} by (<<.GroupBy>>)'],
      ['kube_service_created{namespace="team-a"}', 'b{<<.LabelMatchers>>} by (<<.GroupBy>>)'],
    ]);
  });
});

describe("the guide's examples through hpa-lab's adapter", () => {
  const { compiled } = deckhouseAdapterConfig([...RMQ.metrics, ...SQS.metrics], { file: 'deckhouse' });
  const prom = createFakePrometheus(NOW_MS / 1000);
  prom.seriesByMatch.set('kube_service_created{namespace="mynamespace"}', [{ __name__: 'kube_service_created', namespace: 'mynamespace', service: 'rmq' }]);
  prom.seriesByMatch.set('{__name__=~"kube_adapter_metric_.+"}', [{ __name__: 'kube_adapter_metric_sqs_messages_visible', queue: 'send_forum_messages' }]);
  prom.vectors.set('sum (rabbitmq_queue_messages{namespace="mynamespace",service="rmq",queue=~"send_forum_message",vhost="/"}) by (service)', [[{ service: 'rmq' }, 57]]);
  prom.vectors.set('label_replace(kube_adapter_metric_sqs_messages_visible{queue="send_forum_messages"}, "__name__", "$1", "__name__", "^kube_adapter_metric_(.*)$")', [[{ queue: 'send_forum_messages' }, 130]]);
  const provider = createAdapterProvider({ compiled, prometheus: prom, clock: createManualClock(NOW_MS) });
  const app = createAdapterApp(provider);
  const get = async (path: string) => {
    const res = await app.request(new Request(`http://adapter${path}`));
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('lists the ServiceMetric on services and the External metric without its prefix', async () => {
    await provider.relist();
    const custom = await get('/apis/custom.metrics.k8s.io/v1beta2');
    expect((custom.body['resources'] as { name: string }[]).map((r) => r.name).sort()).toEqual(['namespaces/rmq-queue-forum-messages', 'services/rmq-queue-forum-messages']);
    expect((await get('/apis/external.metrics.k8s.io/v1beta1')).body).toMatchObject({ resources: [{ name: 'sqs_messages_visible', namespaced: true }] });
  });

  it('answers the Object metric request the HPA makes for Service rmq', async () => {
    await provider.relist();
    const r = await get('/apis/custom.metrics.k8s.io/v1beta2/namespaces/mynamespace/services/rmq/rmq-queue-forum-messages');
    expect(r).toMatchObject({ status: 200, body: { kind: 'MetricValueList', items: [{ describedObject: { kind: 'Service', name: 'rmq', namespace: 'mynamespace' }, value: '57' }] } });
  });

  it('answers the External metric request with the selector of the HPA', async () => {
    await provider.relist();
    const r = await get('/apis/external.metrics.k8s.io/v1beta1/namespaces/mynamespace/sqs_messages_visible?labelSelector=queue%3Dsend_forum_messages');
    expect(r).toMatchObject({ status: 200, body: { items: [{ metricName: 'sqs_messages_visible', value: '130' }] } });
  });
});

describe('deckhouseFindings()', () => {
  const withTarget = (hpa: HorizontalPodAutoscaler, patch: (m: Record<string, unknown>) => void): HorizontalPodAutoscaler => {
    const copy = structuredClone(hpa) as unknown as { spec: { metrics: Record<string, unknown>[] } };
    patch(copy.spec.metrics[0]!);
    return copy as unknown as HorizontalPodAutoscaler;
  };

  it("finds nothing wrong in the guide's examples", () => {
    expect(deckhouseFindings(RMQ, RMQ.hpas)).toEqual([]);
    expect(deckhouseFindings(SQS, SQS.hpas)).toEqual([]);
  });

  it('flags an AverageValue External target: the API allows it, DKP documents only Value', () => {
    const hpa = withTarget(SQS.hpas[0]!, (m) => ((m['external'] as { target: unknown }).target = { type: 'AverageValue', averageValue: '10' }));
    expect(deckhouseFindings(SQS, [hpa])).toMatchObject([{ id: 'deckhouse/value-target-only', severity: 'warning', object: 'mynamespace/myhpa', field: 'spec.metrics[0].external.target.type' }]);
  });

  it('flags the kube_adapter_metric_ prefix in the HPA and an Object metric no object defines', () => {
    const prefixed = withTarget(SQS.hpas[0]!, (m) => ((m['external'] as { metric: { name: string } }).metric.name = 'kube_adapter_metric_sqs_messages_visible'));
    expect(deckhouseFindings(SQS, [prefixed]).map((f) => f.id)).toEqual(['deckhouse/external-prefix']);
    const undefinedMetric = withTarget(RMQ.hpas[0]!, (m) => ((m['object'] as { metric: { name: string } }).metric.name = 'rmq-other'));
    expect(deckhouseFindings(RMQ, [undefinedMetric])).toMatchObject([{ id: 'deckhouse/metric-not-defined', severity: 'error', field: 'spec.metrics[0].object.metric.name' }]);
  });
});

describe('hpa-lab explain and adapter on a Deckhouse file', () => {
  const fakeIo = () => {
    let out = '';
    let err = '';
    return { io: { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s) } }, out: () => out, err: () => err };
  };

  it('explain prints the DKP finding for an AverageValue External target', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'hpa-lab-dkp-')), 'sqs.yaml');
    writeFileSync(file, read('sqs-external.yaml').replace('type: Value                   # DKP', 'type: AverageValue            # DKP').replace('value: 42', 'averageValue: "21"'));
    const f = fakeIo();
    expect(await main(['explain', file, '--value', 'sqs_messages_visible=130', '--replicas', '2'], f.io)).toBe(0);
    expect(f.out()).toContain('[warning] deckhouse/value-target-only mynamespace/myhpa spec.metrics[0].external.target.type');
  });

  it('adapter --print-rules prints the rules of a Deckhouse file given to --config', async () => {
    const f = fakeIo();
    expect(await main(['adapter', '--config', 'examples/deckhouse/rabbitmq-queue.yaml', '--print-rules'], f.io)).toBe(0);
    expect(f.out()).toContain('seriesQuery: kube_service_created{namespace="mynamespace"}');
    expect(f.out()).toContain('as: rmq-queue-forum-messages');
  });
});
