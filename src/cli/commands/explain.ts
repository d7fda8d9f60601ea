/**
 * `hpa-lab explain`: the blog's visualization tool in the terminal. Given an HPA and current
 * readings, prints the decision with its explanation, the `kubectl describe hpa` view, and the
 * desired-vs-current replica table that reveals a staircase or a fixed point.
 */
import { readFile } from 'node:fs/promises';
import {
  applyHpaDefaults,
  createInitialState,
  describeStep,
  formatExplanation,
  parseQuantityMilli,
  reconcile,
  replicaCurve,
  syntheticObservation,
  type ControllerConfigInput,
  type Decision,
  type HorizontalPodAutoscaler,
  type MetricSpec,
  type ResourceListMilli,
  type SyntheticValue,
} from '../../engine/index.js';
import { formatColumns, formatDescribeHpa } from '../../controller/index.js';
import { InputError } from '../../core/index.js';
import { checkRange, RANGES, parseYamlDocuments } from '../../input/index.js';
import { loadHpaFile } from '../../input/files/index.js';
import { deckhouseFindings, looksLikeDeckhouse, parseDeckhouseObjects } from '../../metrics/deckhouse/index.js';
import { UsageError, type CommandDef } from '../command.js';
import { gatesFromFlag, versionConfigFromFlags, versionFromFlag, VERSION_OPTIONS } from '../version-flags.js';

/** One version's decision for the comparison. */
interface VersionRun {
  readonly version: string;
  readonly decision: Decision;
  readonly lines: readonly string[];
}

/** Where two versions decide differently: the outcome, then the explanation lines that differ. */
export function compareDecisions(a: VersionRun, b: VersionRun, currentReplicas: number): string[] {
  const outcome = (r: VersionRun) => (r.decision.scaleTo === null ? `stay at ${currentReplicas}` : `scale ${currentReplicas} → ${r.decision.scaleTo}`);
  const out = [`  ${a.version}: ${outcome(a)}`, `  ${b.version}: ${outcome(b)}`];
  const diffs: string[] = [];
  const n = Math.max(a.lines.length, b.lines.length);
  for (let i = 1; i < n; i++) {
    // Line 0 names the version and gates; it always differs and is printed separately.
    const x = a.lines[i];
    const y = b.lines[i];
    if (x !== y) diffs.push(`  step ${i + 1}:`, `    ${a.version}: ${x ?? '(none)'}`, `    ${b.version}: ${y ?? '(none)'}`);
  }
  const conds = (r: VersionRun) => (r.decision.status.conditions ?? []).map((c) => `${c.type}=${c.status}/${c.reason}`).join(', ');
  if (conds(a) !== conds(b)) diffs.push('  conditions:', `    ${a.version}: ${conds(a)}`, `    ${b.version}: ${conds(b)}`);
  if (diffs.length === 0 && a.decision.desiredReplicas === b.decision.desiredReplicas) out.push('  the two versions decide the same for these readings');
  return [...out, ...diffs];
}
import { EXPLAIN_CLUSTER_OPTIONS } from './cluster-options.js';

/** The key a reading is given under for a metric: its metric or resource name. */
export function metricKey(m: MetricSpec): string {
  switch (m.type) {
    case 'Resource':
      return m.resource?.name ?? '';
    case 'ContainerResource':
      return `${m.containerResource?.container ?? ''}/${m.containerResource?.name ?? ''}`;
    case 'Pods':
      return m.pods?.metric.name ?? '';
    case 'Object':
      return m.object?.metric.name ?? '';
    case 'External':
      return m.external?.metric.name ?? '';
    default:
      return String(m.type);
  }
}

export interface Readings {
  replicas?: number;
  /** Raw values by metric key: "600m", "120%", 5, or a list per pod. */
  values: Record<string, string | number | (string | number)[]>;
  requests: Record<string, string | number>;
}

function parseReadingsFile(text: string, file: string): Readings {
  const docs = parseYamlDocuments(text, file).filter((d) => d.value !== null);
  if (docs.length > 1) throw new InputError('schema', file, '', `expected one YAML document with replicas, metrics and requests, got ${docs.length}`);
  const doc = docs[0]?.value ?? null;
  const line = (path: (string | number)[]): { line?: number } => {
    const l = docs[0]?.lineOf(path);
    return l === undefined ? {} : { line: l };
  };
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new InputError('schema', file, '', 'expected a mapping with replicas, metrics and requests');
  const d = doc as Record<string, unknown>;
  const out: Readings = { values: {}, requests: {} };
  for (const k of Object.keys(d)) {
    if (!['replicas', 'metrics', 'requests'].includes(k)) throw new InputError('schema', file, k, `unknown field: expected one of replicas, metrics, requests`, line([k]));
  }
  if (d['replicas'] !== undefined) {
    const problem = checkRange(d['replicas'], RANGES.explainReplicas);
    if (problem) throw new InputError('schema', file, 'replicas', problem, line(['replicas']));
    out.replicas = d['replicas'] as number;
  }
  for (const [field, target] of [['metrics', out.values], ['requests', out.requests]] as const) {
    const v = d[field];
    if (v === undefined) continue;
    if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new InputError('schema', file, field, 'expected a mapping of name: value', line([field]));
    for (const [k, val] of Object.entries(v as Record<string, unknown>)) {
      const ok = (x: unknown) => (typeof x === 'number' && Number.isFinite(x)) || typeof x === 'string';
      const listOk = field === 'metrics' && Array.isArray(val) && val.length >= 1 && val.length <= RANGES.explainReplicas.max && val.every(ok);
      if (!(ok(val) || listOk)) {
        throw new InputError('schema', file, `${field}.${k}`, `expected a quantity such as 5, "600m", "1100Mi"${field === 'metrics' ? `, "120%" or a list of 1 to ${RANGES.explainReplicas.max} per pod` : ''}: got ${JSON.stringify(val)}`, line([field, k]));
      }
      (target as Record<string, unknown>)[k] = val;
    }
  }
  return out;
}

function parseKeyValue(arg: string, flag: string): [string, string] {
  const i = arg.indexOf('=');
  if (i <= 0) throw new UsageError(`'--${flag} ${arg}' must look like NAME=VALUE (e.g. asr_active_requests=7, cpu=600m, memory=85%)`);
  return [arg.slice(0, i), arg.slice(i + 1)];
}

/** Largest milli-value a reading may have: int64, the range of a Kubernetes quantity's MilliValue. */
const MAX_MILLI = 2 ** 63; // int64's maximum as the nearest double
/** Largest percentage a reading may give: the range of the HPA's int32 utilization. */
const MAX_PERCENT = 2_147_483_647;
const PERCENT_RE = /^(?:\d+(?:\.\d*)?|\.\d+)%$/;

function toMilli(raw: string | number, where: { file: string; path: string }, request: number | undefined, options: { positive?: boolean; nonNegative?: boolean } = {}): number {
  const text = typeof raw === 'string' ? raw.trim() : raw;
  let milli: number;
  if (typeof text === 'string' && text.endsWith('%')) {
    const pct = Number(text.slice(0, -1));
    if (!PERCENT_RE.test(text) || !Number.isFinite(pct) || pct > MAX_PERCENT) {
      throw new InputError('schema', where.file, where.path, `expected a percentage from 0% to ${MAX_PERCENT}% (the HPA's int32 utilization) such as "85%": got ${JSON.stringify(raw)}`);
    }
    if (request === undefined) {
      throw new InputError('schema', where.file, where.path, `a percentage needs the pod's request for this resource: pass --request NAME=QUANTITY or include the Deployment in the manifest`);
    }
    milli = Math.round((request * pct) / 100);
  } else {
    try {
      milli = parseQuantityMilli(text);
    } catch {
      throw new InputError('schema', where.file, where.path, `expected a quantity such as 5, "600m", "1100Mi" or "85%": got ${JSON.stringify(raw)}`);
    }
  }
  if (!Number.isFinite(milli) || Math.abs(milli) >= MAX_MILLI) {
    throw new InputError('schema', where.file, where.path, `expected a value below 9.2e15 units (int64 milli-units, the range of a Kubernetes quantity): got ${JSON.stringify(raw)}`);
  }
  if (options.positive && !(milli > 0)) throw new InputError('schema', where.file, where.path, `expected a quantity > 0 such as "500m" or "1350Mi": got ${JSON.stringify(raw)}`);
  if (options.nonNegative && milli < 0) throw new InputError('schema', where.file, where.path, `expected a quantity >= 0 (resource usage is never negative): got ${JSON.stringify(raw)}`);
  return milli;
}

/** The keys `explain` accepts a reading under for this HPA's metrics. */
function readingKeys(hpa: HorizontalPodAutoscaler): string[] {
  return (hpa.spec.metrics ?? []).flatMap((m) => (m.type === 'ContainerResource' ? [metricKey(m), m.containerResource?.name ?? ''] : [metricKey(m)]));
}

function valuesFor(hpa: HorizontalPodAutoscaler, readings: Readings, requests: ResourceListMilli, file: string): SyntheticValue[] {
  return (hpa.spec.metrics ?? []).map((m) => {
    const key = metricKey(m);
    const raw = readings.values[key] ?? (m.type === 'ContainerResource' ? readings.values[m.containerResource?.name ?? ''] : undefined);
    if (raw === undefined) return { error: `no reading given for '${key}' (pass --value ${key}=VALUE)` };
    const resource = m.type === 'Resource' || m.type === 'ContainerResource' ? ((m.resource ?? m.containerResource)?.name ?? '') : undefined;
    const request = resource ? requests[resource] : undefined;
    const where = { file, path: `metrics.${key}` };
    const options = { nonNegative: resource !== undefined };
    return Array.isArray(raw) ? raw.map((r, i) => toMilli(r, { file, path: `${where.path}[${i}]` }, request, options)) : toMilli(raw, where, request, options);
  });
}

function describeValue(m: MetricSpec, v: number | undefined): string {
  if (v === undefined) return '-';
  if (m.type === 'Resource' || m.type === 'ContainerResource') {
    const name = (m.resource ?? m.containerResource)?.name;
    if (name === 'memory') return `${Math.round(v / 1000 / 1048576)}Mi`;
    return `${Math.round(v)}m`;
  }
  return String(Math.round(v) / 1000);
}

export const explainCommand: CommandDef = {
  name: 'explain',
  summary: 'Explain the replica count an HPA decides for given readings, and plot desired vs current replicas',
  usage: 'FILE [--replicas N] [--value NAME=VALUE ...] [--readings FILE] [options]',
  options: [
    { name: 'replicas', type: 'string', short: 'r', arg: 'N', description: 'current replicas (default: the readings file, else minReplicas)' },
    { name: 'value', type: 'string', short: 'v', multiple: true, arg: 'NAME=VALUE', description: 'a reading per pod (Pods/Resource) or total (Object/External): 7, 600m, 1100Mi, 85%, or 8,6,7 per pod' },
    { name: 'request', type: 'string', multiple: true, arg: 'NAME=QUANTITY', description: "a pod's resource request, for Utilization (default: the Deployment in the manifest)" },
    { name: 'readings', type: 'string', arg: 'FILE', description: 'YAML with replicas, metrics and requests (see examples/*/readings.yaml)' },
    { name: 'hpa', type: 'string', arg: 'NAME', description: 'only this HPA of the file' },
    ...VERSION_OPTIONS,
    { name: 'compare-versions', type: 'string', arg: 'A,B', description: 'also show where two Kubernetes versions decide differently for the same readings (e.g. 1.33,1.37)' },
    { name: 'json', type: 'boolean', description: 'print the same as JSON data' },
    ...EXPLAIN_CLUSTER_OPTIONS,
  ],
  examples: [
    'hpa-lab explain examples/blog/hpa.yaml --readings examples/blog/readings.yaml',
    'hpa-lab explain examples/lightning-asr/values.yaml --replicas 2 --value asr_active_requests=12 --value lightning_asr_replica_count=2',
    'hpa-lab explain examples/blog/hpa.yaml --readings examples/blog/readings.yaml --compare-versions 1.33,1.37',
    'hpa-lab explain --cluster -n smallest lightning-asr',
  ],
  async run({ positionals, values }, io) {
    // The cluster client (and @kubernetes/client-node) loads only for --cluster: explain on a file starts fast.
    if (values['cluster']) return (await import('./explain-cluster.js')).runExplainCluster({ positionals, values }, io);
    const [file, ...extra] = positionals;
    if (!file) throw new UsageError('missing FILE: an HPA manifest or the seeds\' Helm values');
    if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    const loaded = await loadHpaFile(file);
    let readings: Readings = { values: {}, requests: {} };
    const readingsFile = values['readings'] as string | undefined;
    if (readingsFile) {
      let text: string;
      try {
        text = await readFile(readingsFile, 'utf8');
      } catch (e) {
        throw new InputError('unreadable', readingsFile, '', `cannot read the file: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      readings = parseReadingsFile(text, readingsFile);
    }
    for (const kv of (values['value'] as string[] | undefined) ?? []) {
      const [k, v] = parseKeyValue(kv, 'value');
      const list = v.split(',');
      if (list.length > RANGES.explainReplicas.max) throw new UsageError(`'--value ${k}': expected at most ${RANGES.explainReplicas.max} per-pod values (a limit of hpa-lab), got ${list.length}`);
      readings.values[k] = v.includes(',') ? list : v;
    }
    for (const kv of (values['request'] as string[] | undefined) ?? []) {
      const [k, v] = parseKeyValue(kv, 'request');
      readings.requests[k] = v;
    }
    const replicasFlag = values['replicas'] as string | undefined;
    if (replicasFlag !== undefined) {
      const problem = /^\d+$/.test(replicasFlag) ? checkRange(Number(replicasFlag), RANGES.explainReplicas) : checkRange(replicasFlag, RANGES.explainReplicas);
      if (problem) throw new UsageError(`'--replicas': ${problem.replace(/got .*$/, `got '${replicasFlag}'`)}`);
      readings.replicas = Number(replicasFlag);
    }
    const config = versionConfigFromFlags(values);
    const compareText = values['compare-versions'] as string | undefined;
    let compareConfigs: [ControllerConfigInput, ControllerConfigInput] | undefined;
    if (compareText !== undefined) {
      const parts = compareText.split(',').map((s) => s.trim());
      if (parts.length !== 2) throw new UsageError(`'--compare-versions ${compareText}': expected two versions separated by a comma, like 1.33,1.37`);
      const gatesText = values['feature-gates'] as string | undefined;
      compareConfigs = parts.map((p) => {
        const version = versionFromFlag(p, '--compare-versions');
        return gatesText === undefined ? { kubernetesVersion: version } : { kubernetesVersion: version, featureGates: gatesFromFlag(gatesText, version) };
      }) as [ControllerConfigInput, ControllerConfigInput];
    }
    const only = values['hpa'] as string | undefined;
    const hpas = loaded.hpas.filter((h) => !only || h.metadata.name === only);
    if (hpas.length === 0) throw new UsageError(`'--hpa': no HPA named '${only ?? ''}' in ${file}: expected one of ${loaded.hpas.map((h) => h.metadata.name).join(', ')}`);
    const known = [...new Set(hpas.flatMap(readingKeys))];
    for (const key of Object.keys(readings.values)) {
      if (!known.includes(key)) {
        const fromFlag = readingsFile === undefined || ((values['value'] as string[] | undefined) ?? []).some((kv) => kv.startsWith(`${key}=`));
        const has = known.length ? `the HPA's metrics are ${known.map((k) => `'${k}'`).join(', ')}` : 'the HPA has no metrics';
        throw new InputError('semantic', fromFlag ? '--value' : readingsFile, fromFlag ? key : `metrics.${key}`, `no metric named '${key}': ${has}`);
      }
    }

    const results = hpas.map((raw) => {
      const hpa = applyHpaDefaults(raw);
      const workload = loaded.deployments[hpa.spec.scaleTargetRef.name];
      const requests: Record<string, number> = {};
      for (const c of workload?.containers ?? []) for (const [k, v] of Object.entries(c.requestsMilli ?? {})) requests[k] = (requests[k] ?? 0) + v;
      for (const [k, v] of Object.entries(readings.requests)) requests[k] = toMilli(v, { file: readingsFile ?? '--request', path: `requests.${k}` }, undefined, { positive: true });
      const metricValues = valuesFor(hpa, readings, requests, readingsFile ?? '--value');
      const replicas = readings.replicas ?? hpa.spec.minReplicas ?? 1;
      const observation = syntheticObservation({ hpa, replicas, values: metricValues, requestsMilli: requests, nowMs: 0 });
      const { decision } = reconcile({ hpa, observation, state: createInitialState(), nowMs: 0, config });
      const curve = replicaCurve({ hpa, values: metricValues, requestsMilli: requests, startReplicas: replicas, config });
      const compared = compareConfigs?.map((c): VersionRun => {
        const d = reconcile({ hpa, observation, state: createInitialState(), nowMs: 0, config: c }).decision;
        return { version: c.kubernetesVersion ?? '', decision: d, lines: d.explanation.map(describeStep) };
      }) as [VersionRun, VersionRun] | undefined;
      return { hpa, replicas, requests, metricValues, decision, curve, compared };
    });

    if (values['json']) {
      io.stdout.write(
        `${JSON.stringify(
          {
            file,
            warnings: loaded.warnings,
            hpas: results.map((r) => ({
              name: r.hpa.metadata.name,
              currentReplicas: r.replicas,
              desiredReplicas: r.decision.desiredReplicas,
              scaleTo: r.decision.scaleTo,
              metrics: r.decision.metrics,
              explanation: r.decision.explanation,
              explanationText: formatExplanation(r.decision.explanation).split('\n'),
              status: r.decision.status,
              events: r.decision.events,
              curve: r.curve,
              ...(r.compared
                ? {
                    compareVersions: r.compared.map((c) => ({
                      kubernetesVersion: c.version,
                      desiredReplicas: c.decision.desiredReplicas,
                      scaleTo: c.decision.scaleTo,
                      conditions: c.decision.status.conditions,
                      explanationText: c.lines,
                    })),
                  }
                : {}),
            })),
          },
          null,
          2,
        )}\n`,
      );
      return 0;
    }
    const out: string[] = [];
    for (const w of loaded.warnings) out.push(`warning: ${w}`);
    for (const r of results) {
      const { hpa, decision, curve } = r;
      const d = decision.scaleTo === null ? `stay at ${r.replicas}` : `scale ${r.replicas} → ${decision.scaleTo}`;
      out.push(`HPA ${hpa.metadata.name} (${hpa.spec.scaleTargetRef.kind}/${hpa.spec.scaleTargetRef.name}): ${d}`, '');
      out.push('How the number was reached:', formatExplanation(decision.explanation), '');
      out.push(`kubectl describe hpa ${hpa.metadata.name}`, formatDescribeHpa({ hpa, status: decision.status, events: decision.events }), '');
      const metrics = hpa.spec.metrics ?? [];
      out.push('Desired replicas against current replicas, each pod keeping these readings (the blog\'s plot):');
      const header = ['CURRENT', ...metrics.map((m) => `${metricKey(m)} (per pod)`), ...metrics.map((m) => `→ ${metricKey(m)}`), 'DESIRED', ''];
      const rows = curve.points.map((p) => [
        String(p.currentReplicas),
        ...metrics.map((m, k) => {
          const v = r.metricValues[k];
          return typeof v === 'number' ? describeValue(m, v) : Array.isArray(v) ? 'list' : '-';
        }),
        ...p.perMetric.map((x) => (x === undefined ? '-' : String(x))),
        String(p.desiredReplicas),
        p.desiredReplicas > p.currentReplicas ? '↑' : p.desiredReplicas < p.currentReplicas ? '↓' : p.currentReplicas === hpa.spec.maxReplicas ? '= (maxReplicas)' : '= fixed point',
      ]);
      out.push(formatColumns([header, ...rows]).split('\n').map((l) => `  ${l}`).join('\n'));
      out.push(`pattern: ${curve.summary}`);
      metrics.forEach((m, k) => {
        const p = curve.perMetricPattern[k];
        if (metrics.length > 1 && p) out.push(`  ${metricKey(m)} alone: ${p}`);
      });
      if (r.compared) {
        const [a, b] = r.compared;
        out.push('', `Kubernetes ${a.version} against ${b.version} for the same readings:`, `  ${a.lines[0] ?? ''}`, `  ${b.lines[0] ?? ''}`);
        out.push(...compareDecisions(a, b, r.replicas));
      }
      out.push('');
    }
    // Deckhouse metric objects in the same file: what DKP restricts beyond the API, metrics no object defines.
    const text = await readFile(file, 'utf8');
    if (looksLikeDeckhouse(text)) {
      const objects = parseDeckhouseObjects(text, file);
      const findings = deckhouseFindings(objects, hpas);
      out.push(`Deckhouse (${objects.metrics.length} metric object${objects.metrics.length === 1 ? '' : 's'}, ${objects.externalMetrics.length} kube_adapter_metric_ record${objects.externalMetrics.length === 1 ? '' : 's'}): ${findings.length === 0 ? 'no findings' : ''}`);
      for (const f of findings) out.push(`  [${f.severity}] ${f.id} ${f.object} ${f.field}: ${f.message}`, `    fix: ${f.fix}`);
    }
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
};
