/** Runner for `http_routing` vectors: {@link routeMetricsRequest} and the provider call a route implies. */
import { formatLabelSelector } from '../../../core/index.js';
import { routeMetricsRequest, type MetricsRoute } from '../metrics-route.js';
import { compareSubset, str, type CaseRunner } from './vector-case.js';

/** The custom-metrics-apiserver provider method a route ends in, in the vectors' shape. */
function providerCall(route: MetricsRoute): Record<string, unknown> | undefined {
  switch (route.kind) {
    case 'customMetricByName':
      return { method: 'GetMetricByName', name: { namespace: route.namespace, name: route.name }, info: route.info, metricSelector: formatLabelSelector(route.metricSelector) };
    case 'customMetricBySelector':
      return {
        method: 'GetMetricBySelector',
        namespace: route.namespace,
        selector: formatLabelSelector(route.selector),
        info: route.info,
        metricSelector: formatLabelSelector(route.metricSelector),
      };
    case 'externalMetric':
      return { method: 'GetExternalMetric', namespace: route.namespace, selector: formatLabelSelector(route.selector), metric: route.metric };
    default:
      return undefined;
  }
}

export const runRoutingCase: CaseRunner = (c) => {
  const method = typeof c.input['method'] === 'string' ? c.input['method'] : 'GET';
  const result = routeMetricsRequest(method, str(c.input['path'], 'path'));
  const actual: Record<string, unknown> = result.ok
    ? { status: 200, providerCall: providerCall(result.route), route: result.route.kind }
    : { status: result.status.code, providerCall: undefined, message: result.status.message, reason: result.status.reason };
  const { itemsWithFakeProvider: _ignored, ...pinned } = c.expected;
  const out: string[] = [];
  compareSubset('', pinned, actual, out);
  return out;
};
