/**
 * Walks the chain of one Pods / Object / External metric, link by link, as the seeds'
 * troubleshooting sections do by hand: the adapter rules load; Prometheus answers; the targets
 * are scraped and up; the series exists; a rule's `seriesQuery` discovers it under the metric's
 * name; its labels map to pods and the HPA's namespace; the adapter's API returns values for the
 * HPA's pods; the samples are fresh for the scrape interval. A link whose input is missing, or
 * that depends on a broken one, is skipped.
 */
import type { MetricReading, MetricSpec } from '../engine/index.js';
import { type LoadedAdapterConfig, type MetricNamer, labelEq, NAMESPACE_RESOURCE, type Series } from '../metrics/adapter/index.js';
import type { PrometheusClient, PrometheusTarget } from '../metrics/index.js';
import { closestName, InputError } from '../core/index.js';
import type { Check, CheckId, MetricDiagnosis } from './types.js';

/** What the chain walk needs besides the metric. */
export interface MetricChainContext {
  readonly namespace: string;
  readonly selector: string;
  readonly nowMs: number;
  readonly prometheus?: PrometheusClient;
  readonly prometheusUrl?: string;
  /** The rules, or the error loading them produced. */
  readonly rules?: { readonly ok: true; readonly loaded: LoadedAdapterConfig } | { readonly ok: false; readonly error: string };
  /** Reads the metric through the adapter API (undefined: no adapter to ask). */
  readonly readThroughApi?: (spec: MetricSpec) => Promise<MetricReading>;
  readonly adapterLabel?: string;
  /** Scrape interval when the targets do not say; seconds. */
  readonly scrapeIntervalSeconds?: number;
  /** How far back to look for series; seconds (default 10 min). */
  readonly windowSeconds?: number;
}

/** The walk's result, plus the API reading for the decision. */
export interface MetricChainResult {
  readonly diagnosis: MetricDiagnosis;
  readonly reading?: MetricReading;
}

const TITLES: Record<CheckId, string> = {
  rules: 'adapter rules load',
  prometheus: 'Prometheus answers',
  targets: 'targets scraped and up',
  series: 'series exists',
  rule: 'a rule discovers it',
  labels: 'labels map to pod and namespace',
  api: 'metrics API returns values',
  fresh: 'samples are fresh',
  decision: 'decision',
};

function metricOf(spec: MetricSpec): { name: string; kind: 'pods' | 'object' | 'external' | 'resource' } {
  if (spec.type === 'Pods') return { name: spec.pods?.metric.name ?? '', kind: 'pods' };
  if (spec.type === 'Object') return { name: spec.object?.metric.name ?? '', kind: 'object' };
  if (spec.type === 'External') return { name: spec.external?.metric.name ?? '', kind: 'external' };
  return { name: (spec.resource ?? spec.containerResource)?.name ?? '', kind: 'resource' };
}

function errorText(error: unknown): string {
  if (error instanceof InputError) return error.detail;
  return error instanceof Error ? error.message : String(error);
}

function list(items: readonly string[], max = 4): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 || word.endsWith('series') ? '' : 's'}`;
}

const BARE_NAME = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{.*\})?$/;

/** A rule that names `metric`, with the series it would find (by series query) and path. */
interface RuleMatch {
  readonly path: string;
  readonly namer: MetricNamer;
  readonly series: readonly Series[];
}

function seriesOf(labels: Readonly<Record<string, string>>): Series {
  const { __name__: name = '', ...rest } = labels;
  return { name, labels: rest };
}

/**
 * Walks one metric's chain.
 *
 * @example await diagnoseMetricChain(podsSpec, ctx) // -> { diagnosis: { checks: [{ id: 'rules', status: 'pass', ... }, ...] }, reading }
 */
export async function diagnoseMetricChain(spec: MetricSpec, ctx: MetricChainContext): Promise<MetricChainResult> {
  const { name: metric, kind } = metricOf(spec);
  const checks: Check[] = [];
  const add = (id: CheckId, status: Check['status'], evidence: string, fix?: string): void => {
    checks.push({ id, title: TITLES[id], status, evidence, ...(fix === undefined ? {} : { fix }) });
  };
  const broken = (): boolean => checks.some((c) => c.status === 'fail');
  const label = `${kind === 'resource' ? 'resource' : kind} metric ${metric}`;
  const done = (reading?: MetricReading): MetricChainResult => {
    const first = checks.find((c) => c.status === 'fail');
    return {
      diagnosis: { label, type: spec.type, metric, checks, ...(first ? { firstBroken: first.title } : {}) },
      ...(reading === undefined ? {} : { reading }),
    };
  };
  if (kind === 'resource') {
    add('api', 'skip', 'Resource metrics come from metrics-server (metrics.k8s.io), not from prometheus-adapter rules');
    return done();
  }
  const windowSeconds = ctx.windowSeconds ?? 600;
  const range = { startSec: ctx.nowMs / 1000 - windowSeconds, endSec: ctx.nowMs / 1000 };
  const external = kind === 'external';

  // 1. rules
  const rules = ctx.rules;
  if (!rules) add('rules', 'skip', 'no rules given (pass --rules, or Helm values with prometheus-adapter.rules)');
  else if (!rules.ok) add('rules', 'fail', rules.error, 'fix the rule named above: prometheus-adapter refuses to start with it (Go RE2 regexes, template fields .Series .LabelMatchers .GroupBy .GroupBySlice .LabelValuesByName, valid PromQL)');
  else {
    const c = rules.loaded.compiled;
    add('rules', 'pass', `${rules.loaded.file}: ${plural(c.rules.length, 'custom rule')}, ${plural(c.externalRules.length, 'external rule')}`);
  }

  // 2. Prometheus
  const prom = ctx.prometheus;
  let promUp = false;
  if (!prom) add('prometheus', 'skip', 'no Prometheus URL given (pass --prometheus URL)');
  else {
    try {
      await prom.query('vector(1)');
      promUp = true;
      add('prometheus', 'pass', prom.baseUrl);
    } catch (error) {
      add('prometheus', 'fail', errorText(error), `start Prometheus, or pass the right --prometheus URL (the adapter's --prometheus-url must point there too)`);
    }
  }

  // Which rule names the metric, and from which series.
  const namers = rules?.ok ? (external ? rules.loaded.compiled.externalRules : rules.loaded.compiled.rules) : [];
  const paths = rules?.ok ? (external ? rules.loaded.compiled.config.paths.externalRules : rules.loaded.compiled.config.paths.rules) : [];
  const seriesCache = new Map<string, Series[] | Error>();
  const seriesFor = async (query: string): Promise<Series[] | Error> => {
    const cached = seriesCache.get(query);
    if (cached) return cached;
    let answer: Series[] | Error;
    try {
      answer = (await (prom as PrometheusClient).series([query], range)).map(seriesOf);
    } catch (error) {
      answer = error instanceof Error ? error : new Error(String(error));
    }
    seriesCache.set(query, answer);
    return answer;
  };
  const matches: RuleMatch[] = [];
  const intended: { path: string; namer: MetricNamer; seriesName: string }[] = [];
  const ruleNotes: string[] = [];
  /** Metric names the rules give the series they find, and the series' own names: for "did you mean". */
  const knownNames = new Set<string>();
  if (promUp) {
    for (let k = 0; k < namers.length; k++) {
      const namer = namers[k] as MetricNamer;
      const path = paths[k] ?? `rules[${k}]`;
      const bare = BARE_NAME.exec(namer.seriesQuery.trim());
      if (bare?.[1] && namer.metricNameForSeries({ name: bare[1], labels: {} }) === metric) intended.push({ path, namer, seriesName: bare[1] });
      const found = await seriesFor(namer.seriesQuery);
      if (found instanceof Error) {
        ruleNotes.push(`${path}: Prometheus rejects its seriesQuery ${JSON.stringify(namer.seriesQuery)}: ${found.message}`);
        continue;
      }
      const kept = namer.filterSeries(found);
      for (const s of found) if (s.name !== undefined) knownNames.add(s.name);
      for (const s of found) knownNames.add(s.name);
      const named = kept.filter((s) => namer.metricNameForSeries(s) === metric);
      if (named.length > 0) matches.push({ path, namer, series: named });
      else if (found.length > 0 && bare?.[1] === metric) {
        const dropped = found.length - kept.length;
        ruleNotes.push(
          dropped === found.length
            ? `${path}: its seriesFilters / name.matches drop every series of ${JSON.stringify(namer.seriesQuery)}`
            : `${path}: names ${JSON.stringify(bare[1])} ${JSON.stringify(kept[0] ? namer.metricNameForSeries(kept[0]) : '')}, not ${JSON.stringify(metric)}`,
        );
      }
    }
  }
  const match = matches[matches.length - 1]; // the last rule wins in upstream's registry
  const seriesName = match?.series[0]?.name ?? intended[0]?.seriesName ?? metric;

  // 3. targets
  let scrapeIntervalSeconds = ctx.scrapeIntervalSeconds ?? 30;
  let seriesInWindow: Series[] = [];
  if (!promUp) add('targets', 'skip', 'needs Prometheus');
  else {
    const own = await seriesFor(`{__name__=${JSON.stringify(seriesName)}}`);
    seriesInWindow = own instanceof Error ? [] : own;
    let targets: readonly PrometheusTarget[] = [];
    let targetsError = '';
    try {
      targets = (await (prom as PrometheusClient).targets()).activeTargets;
    } catch (error) {
      targetsError = errorText(error);
    }
    const jobs = new Set(seriesInWindow.map((s) => s.labels['job']).filter((j): j is string => j !== undefined));
    const relevant = jobs.size > 0 ? targets.filter((t) => jobs.has(t.labels['job'] ?? '')) : targets;
    const interval = relevant.map((t) => t.scrapeInterval).find((i) => i !== undefined);
    if (interval !== undefined && ctx.scrapeIntervalSeconds === undefined) {
      const m = /^(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/.exec(interval);
      if (m) scrapeIntervalSeconds = Number(m[1] ?? 0) * 60 + Number(m[2] ?? 0) + Number(m[3] ?? 0) / 1000 || scrapeIntervalSeconds;
    }
    const down = relevant.filter((t) => t.health === 'down');
    const unknown = relevant.filter((t) => t.health === 'unknown');
    const describeTarget = (t: PrometheusTarget): string => `${t.labels['instance'] ?? t.scrapeUrl}${t.labels['pod'] ? ` (pod ${t.labels['pod']})` : ''}${t.lastError ? `: ${t.lastError}` : ''}`;
    const scope = jobs.size > 0 ? ` of job ${list([...jobs])}` : '';
    if (targetsError) add('targets', 'fail', targetsError, 'check that the --prometheus URL is a Prometheus server');
    else if (relevant.length === 0) add('targets', 'fail', 'Prometheus has no active scrape targets', 'add the workers to the scrape configuration (file_sd targets, or a ServiceMonitor selecting the service in Kubernetes)');
    else if (down.length > 0) {
      add(
        'targets',
        'fail',
        `${down.length} of ${plural(relevant.length, 'target')}${scope} down: ${list(down.map(describeTarget), 3)}`,
        'start the worker (or fix its metrics port), or remove it from service discovery; a down target leaves its pod without a value',
      );
    } else if (unknown.length === relevant.length) add('targets', 'warn', `${plural(relevant.length, 'target')}${scope} not scraped yet`, 'wait one scrape interval (Prometheus throttles service discovery updates to every 5 s)');
    else add('targets', 'pass', `${relevant.length - unknown.length} of ${plural(relevant.length, 'target')}${scope} up (scrape interval ${scrapeIntervalSeconds}s)`);
  }

  // A misspelt metric name: the closest name the rules or Prometheus know.
  const near = closestName(metric, [...knownNames].filter((n) => n !== metric));
  const didYouMean = near === undefined ? '' : `; did you mean '${near}'?`;

  // 4. series
  if (!promUp) add('series', 'skip', 'needs Prometheus');
  else if (seriesInWindow.length === 0) {
    add(
      'series',
      'fail',
      `no series named ${JSON.stringify(seriesName)} in the last ${Math.round(windowSeconds / 60)} min${didYouMean}`,
      `check that the exporter exposes ${seriesName} (curl its /metrics) and that its target is scraped`,
    );
  } else add('series', 'pass', `${plural(seriesInWindow.length, 'series')} named ${seriesName}`);

  // 5. rule discovery
  if (!rules?.ok) add('rule', 'skip', 'needs the rules');
  else if (!promUp) add('rule', 'skip', 'needs Prometheus');
  else if (match) {
    const resources = external ? 'external' : [...new Set(match.series.flatMap((s) => match.namer.converter.resourcesForSeries(s).resources.map((r) => r.resource)))].join(', ');
    add('rule', 'pass', `${match.path} (seriesQuery ${JSON.stringify(match.namer.seriesQuery)}) names ${plural(match.series.length, 'series')} ${metric}${external ? '' : ` for ${resources}`}`);
  } else {
    const how = external
      ? `add an externalRules entry: seriesQuery '${seriesName}', metricsQuery 'sum(${seriesName}{<<.LabelMatchers>>})', name.as '${metric}'`
      : `add a rule: seriesQuery '${seriesName}', resources.overrides {namespace: {resource: namespace}, pod: {resource: pod}}, metricsQuery '${seriesName}{<<.LabelMatchers>>}'${seriesName === metric ? '' : `, name.as '${metric}'`}`;
    add('rule', 'fail', `${ruleNotes.length > 0 ? ruleNotes.join('; ') : `no ${external ? 'external ' : ''}rule's seriesQuery discovers a series named ${metric}`}${didYouMean}`, how);
  }

  // 6. labels
  let podNames: string[];
  if (external) add('labels', 'skip', 'external metrics are not tied to pods');
  else if (!match) add('labels', 'skip', 'needs a rule that discovers the series');
  else {
    const converter = match.namer.converter;
    const objectResource = kind === 'pods' ? { group: '', resource: 'pods' } : undefined;
    const podLabel = objectResource ? converter.labelForResource(objectResource) : undefined;
    const nsLabel = converter.labelForResource(NAMESPACE_RESOURCE);
    const mapsPods = match.series.some((s) => converter.resourcesForSeries(s).resources.some((r) => r.group === '' && r.resource === 'pods'));
    const labelNames = [...new Set(match.series.flatMap((s) => Object.keys(s.labels)))].sort();
    const namespaces = [...new Set(match.series.map((s) => (nsLabel.ok ? s.labels[nsLabel.label] : undefined)).filter((n): n is string => n !== undefined))].sort();
    const inNamespace = match.series.filter((s) => nsLabel.ok && s.labels[nsLabel.label] === ctx.namespace);
    if (kind === 'pods' && !mapsPods) {
      const want = podLabel?.ok ? podLabel.label : 'pod';
      add(
        'labels',
        'fail',
        `no label of ${seriesName} maps to pods via ${match.path}.resources (series labels: ${list(labelNames, 8)})`,
        labelNames.includes('pod')
          ? `map it: resources.overrides.pod: {resource: pod}`
          : `attach a '${want}' label to the target (file_sd labels / ServiceMonitor podTargetLabels or relabelings), or map the label that names the pod in resources.overrides`,
      );
    } else if (!nsLabel.ok || namespaces.length === 0) {
      add('labels', 'fail', `${seriesName} has no namespace label the rule maps (series labels: ${list(labelNames, 8)})`, `attach a 'namespace' label to the target and map it: resources.overrides.namespace: {resource: namespace}`);
    } else if (inNamespace.length === 0) {
      add('labels', 'fail', `no series of ${seriesName} in namespace ${JSON.stringify(ctx.namespace)} (found: ${list(namespaces)})`, `put the HPA in the pods' namespace, or fix the namespace label of the targets`);
    } else {
      podNames = podLabel?.ok ? [...new Set(inNamespace.map((s) => s.labels[podLabel.label]).filter((n): n is string => n !== undefined))].sort() : [];
      add('labels', 'pass', `${nsLabel.label}=${JSON.stringify(ctx.namespace)}${podLabel?.ok ? `, ${podLabel.label}: ${plural(podNames.length, 'pod')} (${list(podNames)})` : ''}`);
    }
  }

  // 7. API
  let reading: MetricReading | undefined;
  if (!ctx.readThroughApi) add('api', 'skip', 'no adapter to ask (pass --adapter URL, or --prometheus with rules for an in-process adapter)');
  else {
    reading = await ctx.readThroughApi(spec);
    const where = ctx.adapterLabel ? ` (${ctx.adapterLabel})` : '';
    if ('error' in reading) {
      const notFound = /could not find the metric/.test(reading.error);
      add(
        'api',
        'fail',
        `${reading.error}${where}`,
        notFound
          ? broken()
            ? 'fix the first broken link above'
            : 'the adapter has not discovered the metric yet: wait for its next relist (--metrics-relist-interval) or restart it'
          : /unable to fetch metrics$/.test(reading.error)
            ? "the adapter cannot query Prometheus: check Prometheus and the adapter's --prometheus URL"
            : 'check that the adapter is running and reachable',
      );
    } else if ('podValues' in reading) {
      if (reading.podValues.length === 0) {
        add('api', 'fail', `no items for labelSelector ${JSON.stringify(ctx.selector)} in namespace ${ctx.namespace}${where}`, `the pods' series must carry the labels the HPA target's selector uses (${ctx.selector || 'none'})`);
      } else {
        const values = reading.podValues.map((v) => `${v.podName}=${v.valueMilli / 1000}`);
        add('api', 'pass', `${plural(reading.podValues.length, 'item')}: ${list(values)}${where}`);
      }
    } else if ('valuesMilli' in reading) {
      if (reading.valuesMilli.length === 0) add('api', 'fail', `no items${where}`, 'the external query returned an empty vector: check its series exist now');
      else add('api', 'pass', `${plural(reading.valuesMilli.length, 'item')}: ${reading.valuesMilli.map((v) => v / 1000).join(', ')}${where}`);
    } else if ('valueMilli' in reading) add('api', 'pass', `value ${reading.valueMilli / 1000}${where}`);
    else add('api', 'pass', `answered${where}`);
  }

  // 8. freshness
  const labelsFailed = checks.some((c) => c.id === 'labels' && c.status === 'fail');
  if (!promUp || seriesInWindow.length === 0) add('fresh', 'skip', 'needs a series');
  else if (labelsFailed) add('fresh', 'skip', "needs series in the HPA's namespace");
  else {
    const nsMatch = external || !match ? '' : (() => {
      const ns = match.namer.converter.labelForResource(NAMESPACE_RESOURCE);
      return ns.ok ? labelEq(ns.label, ctx.namespace) : '';
    })();
    try {
      const data = await (prom as PrometheusClient).query(`timestamp(${seriesName}{${nsMatch}})`, ctx.nowMs / 1000);
      const samples = data.resultType === 'vector' ? data.result : [];
      const limitSeconds = 2 * scrapeIntervalSeconds;
      if (samples.length === 0) {
        add('fresh', 'fail', `no current sample of ${seriesName} (every series went stale: its targets stopped answering or left discovery)`, 'bring the targets back; Prometheus marks series stale when a scrape fails or a target disappears');
      } else {
        const ages = samples.map((s) => ({ who: s.metric['pod'] ?? s.metric['instance'] ?? seriesName, ageSeconds: ctx.nowMs / 1000 - Number(s.value[1]) }));
        const stale = ages.filter((a) => a.ageSeconds > limitSeconds);
        const newest = Math.min(...ages.map((a) => a.ageSeconds));
        if (stale.length > 0) {
          add(
            'fresh',
            'fail',
            `${stale.length} of ${plural(ages.length, 'series')} older than 2 × the ${scrapeIntervalSeconds}s scrape interval: ${list(stale.map((a) => `${a.who} ${a.ageSeconds.toFixed(1)}s old`), 3)}`,
            'the adapter stamps values with its own clock, so the HPA acts on old data: find why the samples stopped moving (an exporter with fixed timestamps, a stuck scrape, remote-write lag)',
          );
        } else add('fresh', 'pass', `newest sample ${Math.max(0, newest).toFixed(1)}s old, all within ${limitSeconds}s (2 × scrape interval)`);
      }
    } catch (error) {
      add('fresh', 'fail', errorText(error), 'check Prometheus');
    }
  }
  return done(reading);
}
