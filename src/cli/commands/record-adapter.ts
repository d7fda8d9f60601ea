/**
 * `record --adapter-config`: each metric of an HPA is read with the metricsQuery of the
 * prometheus-adapter rule that serves it, for every pod of the namespace at once.
 */
import { loadAdapterConfigFile } from '../../metrics/adapter/index.js';

/**
 * A function from a metric name and type to the PromQL its rule sends (`$NAMESPACE` standing for
 * the HPA's namespace), or undefined when no rule serves it.
 */
export async function adapterMetricQueries(file: string): Promise<(name: string, type: string) => string | undefined> {
  const { compiled } = await loadAdapterConfigFile(file, { checkPromql: false });
  return (name, type) => {
    const external = type === 'External';
    for (const rule of external ? compiled.externalRules : compiled.rules) {
      for (const series of [name, `${name}_total`, `${name}_seconds_total`]) {
        const s = { name: series, labels: {} };
        if (rule.filterSeries([s]).length === 0 || rule.metricNameForSeries(s) !== name) continue;
        const result = external
          ? rule.queryForExternalSeries({ series, namespace: '$NAMESPACE', metricSelector: [] })
          : rule.queryForSeries({ series, resource: { group: '', resource: 'pods' }, namespace: '$NAMESPACE', metricSelector: [], names: ['.+', '.+'] });
        if (result.ok) return result.query.replaceAll('".+|.+"', '".+"');
      }
    }
    return undefined;
  };
}
