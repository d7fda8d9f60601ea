/**
 * A prometheus-adapter (v0.12) compatible library: configuration, discovery, PromQL building,
 * value mapping, quantities and routing of the custom / external / resource metrics APIs, as pure
 * functions (no I/O, no clock). The HTTP server that binds them lives elsewhere; the vector runner
 * is `./conformance.js` (it reads files, so it is not re-exported here).
 *
 * @see ../../../test/conformance/adapter/spec.md
 */
export { decodeAdapterConfig } from './adapter-config.js';
export type { AdapterConfig, AdapterConfigPaths, DecodeAdapterConfigOptions, ResourceRule, ResourceRules } from './adapter-config.js';
export { parseAdapterConfig } from './parse-adapter-config.js';
export type { ParseAdapterConfigOptions } from './parse-adapter-config.js';
export { compileAdapterConfig } from './compile-adapter-config.js';
export type { CompileAdapterConfigOptions, CompiledAdapterConfig } from './compile-adapter-config.js';
export { defaultAdapterConfig, HELM_DEFAULT_RULES } from './default-adapter-config.js';
export type { DefaultAdapterConfigOptions } from './default-adapter-config.js';
export { RuleError } from './rule-error.js';

export { createMetricNamer } from './metric-namer.js';
export type { DiscoveryRule, MetricNamer } from './metric-namer.js';
export { createSeriesFilter } from './series-filter.js';
export type { RegexFilter, SeriesFilter } from './series-filter.js';
export { createResourceConverter, NAMESPACE_RESOURCE } from './resource-converter.js';
export type { LabelForResourceResult, ResourceConverter, ResourceMapping } from './resource-converter.js';
export { createResourceMapper, DEFAULT_KIND_MAPPINGS } from './resource-mapper.js';
export type { KindMapping, ResourceMapper } from './resource-mapper.js';
export { buildSeriesRegistry, EMPTY_SERIES_REGISTRY } from './series-registry.js';
export type { RegistryQueryResult, SeriesRegistry, SeriesRegistryEntry } from './series-registry.js';
export { buildExternalSeriesRegistry } from './external-series-registry.js';
export type { ExternalSeriesRegistry } from './external-series-registry.js';
export { assignRelistSeries, distinctSeriesQueries } from './relist.js';
export type { AssignSeriesResult } from './relist.js';

export { compileMetricsQuery, METRICS_QUERY_FIELDS } from './metrics-query.js';
export type { CustomQueryRequest, ExternalQueryRequest, MetricsQuery, QueryErrorCode, QueryResult } from './metrics-query.js';
export { createResourceQuery, nodeResourceQuery, podResourceQuery } from './resource-query.js';
export type { ResourceQuery } from './resource-query.js';
export { labelEq, labelMatches, labelNeq, labelNotMatches } from './promql-matchers.js';
export { formatGoFloat, goQuote, isGoPrintable } from '../../core/index.js';
export {
  formatLabelSelector,
  labelSelectorFromRequirements,
  LabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
} from '../../core/index.js';
export type { LabelSelector, SelectorOperator, SelectorRequirement } from '../../core/index.js';
export { toMetaLabelSelector } from '../../core/index.js';
export type { MetaLabelSelector } from '../../core/index.js';

export { compileGoRegexp, GoRegexpSyntaxError } from './go-regexp.js';
export type { GoRegexp, GoRegexpErrorCode } from './go-regexp.js';
export { expandGoTemplate } from './regexp-expand.js';
export { GoTemplateError, parseGoTemplate, TEMPLATE_FUNCTIONS } from './go-template-parse.js';
export type { GoTemplateTree, ParseGoTemplateOptions } from './go-template-parse.js';
export { executeGoTemplate, goStringMap, goStruct, printGoValue } from './go-template-exec.js';
export type { GoValue } from './go-template-exec.js';
export { unknownTemplateFields } from './template-fields.js';

export {
  canonicalParts,
  decimalQuantity,
  formatQuantity,
  negateQuantity,
  newMilliQuantity,
  newQuantity,
  quantityMilliValue,
  quantityScaledValue,
} from '../../core/index.js';
export type { Quantity, QuantityFormat } from '../../core/index.js';
export { parseQuantity, QuantityParseError } from '../../core/index.js';
export {
  CUSTOM_METRIC_CONVERSION,
  EXTERNAL_METRIC_CONVERSION,
  goFloatToInt64,
  parsePrometheusValue,
  RESOURCE_METRIC_CONVERSION,
  sampleToMilli,
} from './sample-value.js';
export type { Int64Overflow, MilliConversion } from './sample-value.js';

export { customMetricForName, customMetricsForNames, renderMetricValueList } from './custom-metric-values.js';
export type { CustomItemsResult, CustomMetricValue, CustomValuesInput, ObjectReference } from './custom-metric-values.js';
export { externalMetricValues, renderExternalMetricValueList } from './external-metric-values.js';
export type { ExternalMetricValue } from './external-metric-values.js';
export { nodeMetricsFor, podMetricsFor, samplesByObject } from './resource-metrics.js';
export type { ContainerMetrics, NamespaceResourceSamples, NodeMetricsItem, PodMetricsItem, ResourceUsage, SamplesByObject } from './resource-metrics.js';
export { formatKubeTime } from './kube-time.js';

export {
  cleanPath,
  CUSTOM_METRICS_GROUP,
  EXTERNAL_METRICS_GROUP,
  RESOURCE_METRICS_GROUP,
  routeMetricsRequest,
} from './metrics-route.js';
export type { CustomMetricsVersion, MetricsRoute, RouteResult } from './metrics-route.js';
export { apiGroupDocument, customDiscoveryDocument, externalDiscoveryDocument } from './discovery.js';
export {
  badRequestStatus,
  externalMetricNotFoundStatus,
  internalErrorStatus,
  methodNotAllowedStatus,
  metricNotFoundStatus,
  plainErrorStatus,
  RESOURCE_NOT_FOUND_STATUS,
} from './kube-status.js';
export type { KubeStatus } from './kube-status.js';

export { formatGroupResource, parseGroupResource } from './types.js';
export { toPromQueryResult } from './prom-query-result.js';
export type { CustomMetricInfo, ExternalMetricInfo, GroupResource, PromQueryResult, PromSample, Series } from './types.js';

// Files on disk (promtool, fs): the seed's rules, the config-file shape, loading with every startup check.
export { checkAdapterPromql, compileAdapterConfigText, loadAdapterConfigFile, renderAdapterConfig, SEED_ADAPTER_VALUES } from './adapter-config-file.js';
export type { PromqlProblem } from './adapter-config-file.js';
export type { LoadedAdapterConfig } from './adapter-config-file.js';
export type { AdapterServer } from './server.js';
export { createAdapterApp } from './app.js';
export { isAdapterVectorFile, runAdapterVectorFile } from './conformance.js';
export { DEFAULT_RELIST_INTERVAL_MS, createAdapterProvider } from './provider.js';
export { startAdapterServer } from './server.js';
