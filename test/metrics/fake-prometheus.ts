/** An in-memory `PrometheusClient` for adapter tests: series by selector, vectors by exact query. */
import { InputError } from '../../src/core/errors.js';
import type { PrometheusClient, PrometheusLabels } from '../../src/metrics/prometheus-client.js';

export interface FakePrometheus extends PrometheusClient {
  /** `match[]` -> label sets (with `__name__`). */
  readonly seriesByMatch: Map<string, PrometheusLabels[]>;
  /** query -> samples `[labels, value]`. */
  readonly vectors: Map<string, [PrometheusLabels, number][]>;
  readonly queries: string[];
  /** When set, every call fails as an unreachable server does. */
  down: boolean;
}

export function createFakePrometheus(nowSec = 1_714_557_600): FakePrometheus {
  const fake: FakePrometheus = {
    baseUrl: 'http://fake',
    seriesByMatch: new Map(),
    vectors: new Map(),
    queries: [],
    down: false,
    async query(expr) {
      fake.queries.push(expr);
      if (fake.down) throw new InputError('unreachable', 'http://fake', '', 'Prometheus at http://fake cannot be reached: ECONNREFUSED');
      const samples = fake.vectors.get(expr) ?? [];
      return { resultType: 'vector', result: samples.map(([metric, v]) => ({ metric, value: [nowSec, String(v)] as const })) };
    },
    async queryRange() {
      return [];
    },
    async series(match) {
      if (fake.down) throw new InputError('unreachable', 'http://fake', '', 'Prometheus at http://fake cannot be reached: ECONNREFUSED');
      const m = match[0] ?? '';
      if (m.includes('(')) throw new InputError('syntax', 'http://fake', '', `Prometheus at http://fake rejected /api/v1/series: bad_data: 1:1: parse error: unexpected "(" in ${m}`);
      return fake.seriesByMatch.get(m) ?? [];
    },
    async targets() {
      return { activeTargets: [], droppedTargets: [] };
    },
  };
  return fake;
}
