/**
 * `diagnose --cluster`: the metric chain of each HPA metric on a live cluster, first broken link
 * first: the APIService is registered and Available, discovery lists the metric, the API has a
 * value for the HPA's pods; with a Prometheus URL also the series, the adapter rule that names it
 * (read from the adapter's ConfigMap), the ServiceMonitor selecting the Service, the scrape target
 * up. Each failure has its fix. The result is src/diagnose's Diagnosis, printed by its formatter.
 */
import { parse as parseYaml } from 'yaml';
import { matchesSelector, parseSelector, reconcile, type HorizontalPodAutoscaler, type MetricReading, type MetricSpec, type PodInfo } from '../../engine/index.js';
import type { Check, Diagnosis, HpaDiagnosis, MetricDiagnosis } from '../../diagnose/index.js';
import type { KubeClient } from './connect-cluster.js';
import { hpaFromApi, selectorString, type Json } from './from-api.js';
import { KubeError } from './kube-error.js';
import { readHpa, readHpaSnapshot } from './read-hpa.js';
import { reconstructState } from './reconstruct-state.js';
import { applyHpaDefaults } from '../../engine/index.js';

export interface DiagnoseClusterOptions {
  readonly namespace: string;
  /** Only these HPAs; empty: every HPA of the namespace. */
  readonly names?: readonly string[];
  readonly prometheusUrl?: string | undefined;
  readonly nowMs: number;
  /** For tests: the fetch used to ask Prometheus. */
  readonly fetch?: typeof fetch;
}

const enc = encodeURIComponent;

function metricName(m: MetricSpec): string {
  return m.pods?.metric.name ?? m.object?.metric.name ?? m.external?.metric.name ?? m.resource?.name ?? m.containerResource?.name ?? '';
}

function apiServiceOf(m: MetricSpec): { name: string; group: string; provider: string } {
  if (m.type === 'Resource' || m.type === 'ContainerResource') return { name: 'v1beta1.metrics.k8s.io', group: 'metrics.k8s.io', provider: 'metrics-server (kubectl apply -f https://github.com/kubernetes-sigs/metrics-server/releases/latest/download/components.yaml)' };
  if (m.type === 'External') return { name: 'v1beta1.external.metrics.k8s.io', group: 'external.metrics.k8s.io', provider: 'an external metrics adapter (prometheus-adapter with externalRules, or KEDA)' };
  return { name: 'v1beta1.custom.metrics.k8s.io', group: 'custom.metrics.k8s.io', provider: 'prometheus-adapter (helm install prometheus-adapter prometheus-community/prometheus-adapter)' };
}

const skip = (id: Check['id'], title: string): Check => ({ id, title, status: 'skip', evidence: 'an earlier link is broken' });

/** One adapter rule as written in its config.yaml. */
interface AdapterRule {
  readonly seriesQuery?: string;
  readonly name?: { readonly matches?: string; readonly as?: string };
  readonly metricsQuery?: string;
}

/** The metric name a rule gives a series name (prometheus-adapter's name.matches/as). */
export function ruleMetricName(rule: AdapterRule, seriesName: string): string | undefined {
  const matches = rule.name?.matches ?? '';
  const as = rule.name?.as ?? '';
  if (!matches) return as || seriesName;
  let re: RegExp;
  try {
    re = new RegExp(matches);
  } catch {
    return undefined;
  }
  const m = re.exec(seriesName);
  if (!m) return undefined;
  const template = as || (m.length > 1 ? '$1' : '$0');
  return template.replace(/\$\{?(\d+)\}?/g, (_, i: string) => m[Number(i)] ?? '');
}

interface ChainContext {
  readonly client: KubeClient;
  readonly namespace: string;
  readonly promUrl: string | undefined;
  readonly fetchFn: typeof fetch;
  readonly apiServices: Map<string, Promise<Json | KubeError>>;
  readonly discovery: Map<string, Promise<Json | KubeError>>;
}

const settle = (p: Promise<Json>): Promise<Json | KubeError> => p.catch((e: unknown) => (e instanceof KubeError ? e : new KubeError('server', String(e))));

async function prom(ctx: ChainContext, path: string): Promise<Json> {
  const res = await ctx.fetchFn(`${ctx.promUrl?.replace(/\/$/, '') ?? ''}${path}`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`Prometheus answered ${res.status} to ${path.split('?')[0] ?? ''}`);
  return (await res.json());
}

async function prometheusChecks(ctx: ChainContext, input: { metric: string; pods: readonly PodInfo[]; apiService: Json | undefined }): Promise<Check[]> {
  const { client, namespace } = ctx;
  const checks: Check[] = [];
  // The adapter's rules: the ConfigMap in the namespace of the APIService's service.
  const svc = input.apiService?.spec?.service;
  let rules: AdapterRule[] = [];
  let cmName = '';
  if (svc?.namespace) {
    try {
      const cms = await client.get<Json>(`/api/v1/namespaces/${enc(svc.namespace)}/configmaps`, { what: `configmaps in namespace ${svc.namespace}` });
      for (const cm of (cms.items ?? []) as Json[]) {
        const text = cm.data?.['config.yaml'];
        if (typeof text !== 'string') continue;
        const doc = parseYaml(text);
        const found = [...((doc?.rules ?? []) as AdapterRule[]), ...((doc?.externalRules ?? []) as AdapterRule[])];
        if (found.length) {
          rules = found;
          cmName = `${svc.namespace}/${String(cm.metadata?.name ?? '')}`;
          break;
        }
      }
    } catch (error) {
      checks.push({ id: 'rule', title: 'Adapter rules readable', status: 'fail', evidence: (error as Error).message, fix: 'grant get/list on configmaps in the adapter namespace, or pass the rules to diagnose without --cluster' });
      return checks;
    }
  }
  // Which rule names the metric, over which series.
  let seriesCount = 0;
  let matched: { rule: AdapterRule; series: Json[] } | undefined;
  for (const rule of rules) {
    if (!rule.seriesQuery) continue;
    const r = await prom(ctx, `/api/v1/series?match[]=${enc(rule.seriesQuery)}`);
    const series = ((r.data ?? []) as Json[]).filter((s) => ruleMetricName(rule, String(s.__name__ ?? '')) === input.metric);
    if (series.length) {
      matched = { rule, series };
      seriesCount = series.filter((s) => s.namespace === namespace).length;
      break;
    }
  }
  if (!matched) {
    const direct = await prom(ctx, `/api/v1/series?match[]=${enc(`{__name__=~"${input.metric}.*"}`)}`);
    const n = ((direct.data ?? []) as Json[]).length;
    checks.push({ id: 'series', title: 'Prometheus has the series', status: n ? 'pass' : 'fail', evidence: n ? `${n} series named ${input.metric}*` : `no series named ${input.metric}*`, ...(n ? {} : { fix: 'nothing scrapes the metric: check the ServiceMonitor and the scrape target below' }) });
    checks.push({ id: 'rule', title: 'An adapter rule names the metric', status: 'fail', evidence: cmName ? `none of the ${rules.length} rules of ConfigMap ${cmName} gives '${input.metric}'` : 'no adapter ConfigMap with config.yaml rules found', fix: `add a rule: seriesQuery: '${input.metric}{namespace!="",pod!=""}', resources.overrides namespace/pod, metricsQuery: 'sum(<<.Series>>{<<.LabelMatchers>>}) by (<<.GroupBy>>)'` });
  } else {
    checks.push({ id: 'series', title: 'Prometheus has the series', status: seriesCount ? 'pass' : 'fail', evidence: `${matched.series.length} series of ${matched.rule.seriesQuery ?? ''}, ${seriesCount} in namespace ${namespace}`, ...(seriesCount ? {} : { fix: `the series have no namespace="${namespace}" label: fix the scrape relabeling (ServiceMonitor) so namespace and pod labels are kept` }) });
    checks.push({ id: 'rule', title: 'An adapter rule names the metric', status: 'pass', evidence: `ConfigMap ${cmName}: seriesQuery ${matched.rule.seriesQuery ?? ''}` });
  }
  // The Service in front of the pods, and a ServiceMonitor selecting it.
  const services = ((await client.get<Json>(`/api/v1/namespaces/${enc(namespace)}/services`, { what: `services in namespace ${namespace}` })).items ?? []) as Json[];
  const podLabels = input.pods[0]?.labels ?? {};
  const service = services.find((s) => s.spec?.selector && Object.entries(s.spec.selector as Record<string, string>).every(([k, v]) => podLabels[k] === v));
  if (!service) {
    checks.push({ id: 'targets', title: 'A Service selects the pods', status: 'fail', evidence: `no Service in ${namespace} selects ${Object.entries(podLabels).map(([k, v]) => `${k}=${v}`).join(',') || 'the pods'}`, fix: 'create a Service selecting the pods, with a named port for /metrics' });
    return checks;
  }
  const svcName = String(service.metadata?.name ?? '');
  let monitors: Json[];
  try {
    monitors = ((await client.get<Json>('/apis/monitoring.coreos.com/v1/servicemonitors', { what: 'servicemonitors in all namespaces', once: true })).items ?? []) as Json[];
  } catch (error) {
    checks.push({ id: 'targets', title: 'A ServiceMonitor selects the Service', status: 'fail', evidence: (error as Error).message, fix: 'install the Prometheus Operator CRDs (kube-prometheus-stack), or scrape the Service another way' });
    return checks;
  }
  const monitor = monitors.find((sm) => {
    const nsSel = sm.spec?.namespaceSelector;
    const nsOk = nsSel?.any === true || (nsSel?.matchNames ?? []).includes(namespace) || (!nsSel?.matchNames && sm.metadata?.namespace === namespace);
    const sel = selectorString(sm.spec?.selector);
    return nsOk && matchesSelector(parseSelector(sel), service.metadata?.labels ?? {});
  });
  checks.push(
    monitor
      ? { id: 'targets', title: 'A ServiceMonitor selects the Service', status: 'pass', evidence: `${String(monitor.metadata?.namespace)}/${String(monitor.metadata?.name)} selects Service ${svcName}` }
      : { id: 'targets', title: 'A ServiceMonitor selects the Service', status: 'fail', evidence: `no ServiceMonitor selects Service ${namespace}/${svcName} (labels ${JSON.stringify(service.metadata?.labels ?? {})})`, fix: `create a ServiceMonitor in ${namespace} with selector.matchLabels ${JSON.stringify(service.metadata?.labels ?? {})} and the metrics port, labelled for your Prometheus' serviceMonitorSelector` },
  );
  const targets = ((await prom(ctx, '/api/v1/targets?state=active')).data?.activeTargets ?? []) as Json[];
  const mine = targets.filter((t) => t.labels?.namespace === namespace && (t.labels?.service === svcName || t.discoveredLabels?.__meta_kubernetes_service_name === svcName));
  const up = mine.filter((t) => t.health === 'up').length;
  checks.push({ id: 'targets', title: 'Scrape targets are up', status: mine.length && up === mine.length ? 'pass' : 'fail', evidence: mine.length ? `${up} of ${mine.length} target(s) of Service ${svcName} up${mine.find((t) => t.health !== 'up')?.lastError ? `: ${String(mine.find((t) => t.health !== 'up')?.lastError)}` : ''}` : `Prometheus has no target for Service ${namespace}/${svcName}`, ...(mine.length && up === mine.length ? {} : { fix: "check the ServiceMonitor's port name and path against the pods' /metrics, and Prometheus' serviceMonitorSelector" }) });
  return checks;
}

async function metricChain(ctx: ChainContext, input: { metric: MetricSpec; reading: MetricReading | undefined; pods: readonly PodInfo[] }): Promise<MetricDiagnosis> {
  const m = input.metric;
  const name = metricName(m);
  const label = `${m.type === 'Resource' || m.type === 'ContainerResource' ? 'resource' : String(m.type).toLowerCase()} metric ${name}`;
  const api = apiServiceOf(m);
  const checks: Check[] = [];
  if (!ctx.apiServices.has(api.name)) ctx.apiServices.set(api.name, settle(ctx.client.get<Json>(`/apis/apiregistration.k8s.io/v1/apiservices/${api.name}`, { what: `apiservice ${api.name}`, once: true })));
  const svc = await ctx.apiServices.get(api.name);
  let broken: boolean;
  if (svc instanceof KubeError) {
    broken = true;
    checks.push({ id: 'api', title: 'APIService registered', status: 'fail', evidence: svc.code === 'notFound' ? `apiservice ${api.name} is not registered` : svc.message, fix: svc.code === 'notFound' ? `install ${api.provider}` : 'grant get on apiservices.apiregistration.k8s.io, or check the context' });
  } else {
    const avail = ((svc.status?.conditions ?? []) as Json[]).find((c) => c.type === 'Available');
    const ok = avail?.status === 'True';
    checks.push({ id: 'api', title: 'APIService registered and Available', status: ok ? 'pass' : 'fail', evidence: ok ? `${api.name} → ${svc.spec?.service ? `${String(svc.spec.service.namespace)}/${String(svc.spec.service.name)}` : 'local'}` : `${api.name} Available=${String(avail?.status ?? 'Unknown')} ${String(avail?.reason ?? '')}: ${String(avail?.message ?? '')}`, ...(ok ? {} : { fix: `the adapter behind ${api.name} does not answer: kubectl -n ${String(svc.spec?.service?.namespace ?? '?')} get pods,endpoints ${String(svc.spec?.service?.name ?? '')}; read its logs` }) });
    broken = !ok;
  }
  if (broken) checks.push(skip('api', 'Discovery lists the metric'));
  else if (api.group === 'metrics.k8s.io') checks.push({ id: 'api', title: 'Discovery lists the metric', status: 'pass', evidence: 'metrics.k8s.io serves cpu and memory of every pod' });
  else {
    const gv = `/apis/${api.group}/v1beta1`;
    if (!ctx.discovery.has(gv)) ctx.discovery.set(gv, settle(ctx.client.get<Json>(gv, { what: `discovery of ${api.group}/v1beta1` })));
    const d = await ctx.discovery.get(gv);
    const names = d instanceof KubeError ? [] : ((d.resources ?? []) as Json[]).map((r) => String(r.name));
    const want = m.type === 'Pods' ? [`pods/${name}`] : m.type === 'Object' ? names.filter((n) => n.endsWith(`/${name}`)) : [name];
    const found = d instanceof KubeError ? false : want.some((w) => names.includes(w)) || names.some((n) => n.endsWith(`/${name}`) || n === name);
    checks.push(found ? { id: 'api', title: 'Discovery lists the metric', status: 'pass', evidence: `${api.group} lists ${want[0] ?? name}` } : { id: 'api', title: 'Discovery lists the metric', status: 'fail', evidence: d instanceof KubeError ? d.message : `${api.group} lists ${names.length} metric(s), not ${m.type === 'Pods' ? `pods/${name}` : name}`, fix: 'the adapter has no rule producing this name, or no series matches its seriesQuery: run with --prometheus URL to see which' });
    broken = !found;
  }
  const r = input.reading;
  if (broken) checks.push(skip('api', "A value for the HPA's pods"));
  else if (!r || 'error' in r) {
    checks.push({ id: 'api', title: "A value for the HPA's pods", status: 'fail', evidence: r && 'error' in r ? r.error : 'not read', fix: "the series exist but not for these pods: check the series' namespace and pod labels against the HPA's pods, and the rule's resources.overrides" });
  } else {
    const n = 'podValues' in r ? r.podValues.length : 'podMetrics' in r ? r.podMetrics.length : 1;
    const missing = 'podValues' in r || 'podMetrics' in r ? input.pods.length - n : 0;
    checks.push({ id: 'api', title: "A value for the HPA's pods", status: missing > 0 ? 'warn' : 'pass', evidence: 'podValues' in r || 'podMetrics' in r ? `${n} of ${input.pods.length} pod(s) have a value` : 'a value', ...(missing > 0 ? { fix: 'pods without a value are left out (or assumed at the target on scale-down): check that every pod is scraped' } : {}) });
  }
  if (ctx.promUrl && m.type !== 'Resource' && m.type !== 'ContainerResource') {
    try {
      checks.push(...(await prometheusChecks(ctx, { metric: name, pods: input.pods, apiService: svc instanceof KubeError ? undefined : svc })));
    } catch (error) {
      checks.push({ id: 'prometheus', title: 'Prometheus answers', status: 'fail', evidence: `${ctx.promUrl}: ${(error as Error).message}`, fix: 'check the --prometheus URL (kubectl -n monitoring port-forward svc/prometheus-operated 9090)' });
    }
  }
  const first = checks.find((c) => c.status === 'fail');
  return { label, type: String(m.type), metric: name, checks, ...(first ? { firstBroken: first.title } : {}) };
}

/** Diagnoses the HPAs of a namespace. Errors reading the HPAs themselves throw (one line). */
export async function diagnoseCluster(client: KubeClient, opts: DiagnoseClusterOptions): Promise<Diagnosis> {
  const { namespace, nowMs } = opts;
  const names = opts.names ?? [];
  let hpas: HorizontalPodAutoscaler[];
  if (names.length) hpas = await Promise.all(names.map((n) => readHpa(client, namespace, n)));
  else {
    const list = await client.get<Json>(`/apis/autoscaling/v2/namespaces/${enc(namespace)}/horizontalpodautoscalers`, { what: `horizontalpodautoscalers in namespace ${namespace}` });
    hpas = ((list.items ?? []) as Json[]).map((o) => applyHpaDefaults(hpaFromApi(o)));
  }
  const ctx: ChainContext = { client, namespace, promUrl: opts.prometheusUrl, fetchFn: opts.fetch ?? fetch, apiServices: new Map(), discovery: new Map() };
  const out: HpaDiagnosis[] = [];
  for (const hpa of hpas) {
    const snap = await readHpaSnapshot(client, { namespace, hpa, nowMs });
    const metrics: MetricDiagnosis[] = [];
    if ('error' in snap.scale || snap.scale.selector === '') {
      const evidence = 'error' in snap.scale ? snap.scale.error : (snap.errors.find((e) => e.code === 'noSelector')?.message ?? 'no selector');
      metrics.push({ label: `scale of ${hpa.spec.scaleTargetRef.kind}/${hpa.spec.scaleTargetRef.name}`, type: 'Scale', metric: '', checks: [{ id: 'api', title: 'Target scale and selector', status: 'fail', evidence, fix: 'the HPA needs a target with a scale subresource that reports status.selector' }], firstBroken: 'Target scale and selector' });
    } else {
      for (const [i, metric] of (hpa.spec.metrics ?? []).entries()) metrics.push(await metricChain(ctx, { metric, reading: snap.observation.metrics[i], pods: snap.pods }));
    }
    const { decision } = reconcile({ hpa, observation: snap.observation, state: reconstructState({ hpa, events: [], nowMs }).state, nowMs });
    const failed = decision.explanation.some((s) => s.kind === 'combine' && s.failed);
    out.push({
      name: hpa.metadata.name,
      namespace,
      metrics,
      decision: { id: 'decision', title: 'Engine decision on live readings', status: failed ? 'fail' : 'pass', evidence: `desired ${decision.status.desiredReplicas} (live ${hpa.status?.desiredReplicas ?? '?'}), ${decision.status.conditions?.map((c) => `${c.type}=${c.status} ${c.reason}`).join(', ') ?? ''}`, ...(failed ? { fix: 'fix the first broken link above: the HPA cannot compute a replica count' } : {}) },
    });
  }
  const ok = out.every((h) => h.decision.status !== 'fail' && h.metrics.every((m) => m.checks.every((c) => c.status !== 'fail')));
  return { ...(opts.prometheusUrl ? { prometheusUrl: opts.prometheusUrl } : {}), adapter: `cluster context ${client.context}`, hpas: out, ok };
}
