/**
 * From the Prometheus HTTP API's `data` of an instant query (as {@link PrometheusClient} returns it)
 * to the {@link PromQueryResult} the value mappers take: timestamps in milliseconds, values parsed
 * as Go parses them (`"NaN"`, `"+Inf"` included).
 *
 * @see https://prometheus.io/docs/prometheus/latest/querying/api/#instant-queries
 */
import type { PrometheusQueryData } from '../prometheus-client.js';
import { parsePrometheusValue } from './sample-value.js';
import type { PromQueryResult } from './types.js';

/**
 * Converts an instant query's `data`.
 *
 * @throws {SyntaxError} when a sample value is not a float
 * @example toPromQueryResult({ resultType: 'scalar', result: [1714557600.5, '3'] }) // -> { type: 'scalar', value: 3, timestampMs: 1714557600500 }
 */
export function toPromQueryResult(data: PrometheusQueryData): PromQueryResult {
  switch (data.resultType) {
    case 'vector':
      return {
        type: 'vector',
        samples: data.result.map((s) => ({ labels: s.metric, value: parsePrometheusValue(s.value[1]), timestampMs: Math.round(s.value[0] * 1000) })),
      };
    case 'scalar':
      return { type: 'scalar', value: parsePrometheusValue(data.result[1]), timestampMs: Math.round(data.result[0] * 1000) };
    default:
      return { type: data.resultType };
  }
}
