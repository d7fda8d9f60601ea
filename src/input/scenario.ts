/**
 * Scenario files: what `hpa-lab simulate` runs. A YAML document naming the HPA(s) (inline
 * autoscaling/v2 manifests, inline Helm values, or a file of either relative to the scenario),
 * the service model, the traffic, the metric pipeline's timing and the duration. This module is
 * pure: it validates the text into a `ScenarioFile` and builds the simulator's `Scenario` once
 * the file references are resolved (`scenario-loader.ts` reads them).
 *
 * @example
 * name: traffic-spike
 * duration: 1h
 * hpas:
 *   - file: ../lightning-asr/hpa.yaml
 * traffic: { type: traffic-spike, baseRps: 10, peakRps: 60 }
 */
import { stringify } from 'yaml';
import { z } from 'zod';
import { checkGate, LATEST_KUBERNETES_VERSION, parseKubernetesVersion, SUPPORTED_RANGE_TEXT, type ControllerConfigInput, type HorizontalPodAutoscaler } from '../engine/index.js';
import { CLUSTER_AUTOSCALER_DEFAULTS, DEFAULT_PIPELINE, DEFAULT_SERVICE_MODEL, DEFAULT_SLO_LATENCY_SECONDS, DEFAULT_STEP_SECONDS, PIPELINE_PRESETS, TRAFFIC_TYPES, trafficSpecSchema, type TracePoint, POD_METRIC_SOURCES, type ExportedMetric, type NodePoolSpec, type PipelineConfig, type Scenario, type ServiceMetricSource, type ServiceModel, DEFAULT_FLEET } from '../sim/index.js';
import { describeValue, InputError, joinPath, prometheusDurationSeconds, unknownFieldMessage } from '../core/index.js';
import { parseHelmValues } from './helm-values.js';
import { parseQuantityMilli } from './manifest-quantity.js';
import { validateHpa } from './validate-hpa.js';
import type { WorkloadResources } from './workload-resources.js';
import { parseYamlDocuments, type FieldPath, type YamlDocument } from './yaml-source.js';
import { fromZodIssue, valueAt } from './zod-issue.js';
import { describeRange, isInRange, type NumberRange, RANGES } from './limits.js';

// ---------------------------------------------------------------------------------------------
// Field helpers. Messages start with "expected"; the formatter adds what was found.

/** `z.strictObject` whose unknown-key message lists the allowed fields. */
function strict<T extends z.ZodRawShape>(shape: T): z.ZodObject<T, z.core.$strict> {
  const allowed = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownFieldMessage(String(issue.keys[0] ?? ''), allowed) : undefined),
  });
}

const DURATION_EXPECTED = 'expected a duration such as "90s", "2h", "1h30m", "30d" or a number of seconds';

/**
 * A duration: Prometheus syntax (`2h`, `1h30m`, `30d`) or a number of seconds, inside `range`
 * (the message states the range and its reason).
 */
function duration(range: NumberRange) {
  const bound = describeRange(range);
  return z
    .union([z.number(), z.string()], { error: `${DURATION_EXPECTED} within ${bound}` })
    .transform((value, ctx) => {
      const seconds = typeof value === 'number' ? value : prometheusDurationSeconds(value.trim());
      if (seconds === undefined || !isInRange(seconds, range)) {
        ctx.addIssue({ code: 'custom', message: `${DURATION_EXPECTED} within ${bound}`, input: value });
        return z.NEVER;
      }
      return seconds;
    })
    .meta({ description: `${DURATION_EXPECTED} within ${bound}` });
}

/** A number inside `range`; the message states it. */
function bounded(range: NumberRange) {
  const message = `expected ${describeRange(range)}`;
  let schema = z.number({ error: message });
  if (range.integer) schema = schema.int({ error: message });
  schema = range.exclusiveMin ? schema.gt(range.min, { error: message }) : schema.gte(range.min, { error: message });
  return schema.lte(range.max, { error: message }).meta({ description: message });
}

/** Largest milli-value a scenario quantity may have (1e15 units): a limit of hpa-lab's model. */
const MAX_QUANTITY_MILLI = 1e18;

/** A Kubernetes quantity (`500m`, `1350Mi`, `2`), as milli-units. */
function quantity(what: string) {
  return z
    .union([z.string(), z.number()], { error: `expected ${what} as a Kubernetes quantity such as '500m' or '1350Mi'` })
    .transform((value, ctx) => {
      try {
        const milli = parseQuantityMilli(value);
        if (milli < 0 || milli > MAX_QUANTITY_MILLI) throw new RangeError('out of range');
        return milli;
      } catch {
        ctx.addIssue({ code: 'custom', message: `expected ${what} as a Kubernetes quantity from 0 to 1P (1e15) such as '500m' or '1350Mi'`, input: value });
        return z.NEVER;
      }
    })
    .meta({ description: `${what}: a Kubernetes quantity such as '500m' or '1350Mi'` });
}

const int = (min: number, max: number, why?: string) => bounded({ min, max, integer: true, ...(why ? { why } : {}) });
const nonNegative = (max: number, why?: string) => bounded({ min: 0, max, ...(why ? { why } : {}) });
const SECONDS = RANGES.componentSeconds;
/** Service times and latencies: 1 ms to 1 day (a limit of hpa-lab: shorter times underflow the model's rates). */
const POSITIVE_SECONDS = { min: 0.001, max: 86_400, unit: 's', why: 'a limit of hpa-lab: from 1 ms to 1 day' } as const;
const text = (what: string) => z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}` });
const oneOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: `expected one of ${values.map((v) => `'${v}'`).join(', ')}` });

// ---------------------------------------------------------------------------------------------
// The schema

const serviceTimeSchema = z
  .union(
    [
      duration(POSITIVE_SECONDS),
      strict({ distribution: z.literal('fixed'), meanSeconds: duration(POSITIVE_SECONDS) }),
      strict({ distribution: z.literal('exponential'), meanSeconds: duration(POSITIVE_SECONDS) }),
      strict({ distribution: z.literal('lognormal'), medianSeconds: duration(POSITIVE_SECONDS), sigma: nonNegative(5) }),
    ],
    {
      error:
        'expected a service time from 1 ms to 1 day (a limit of hpa-lab): seconds or a duration (fixed), {distribution: fixed|exponential, meanSeconds} or {distribution: lognormal, medianSeconds, sigma}',
    },
  )
  .meta({ description: 'Time one request keeps a slot busy: seconds (fixed) or a distribution' });

const startupSchema = strict({
  /** Extra CPU on top of idle from container start. */
  extra: quantity('extra startup CPU'),
  holdSeconds: duration(SECONDS),
  decaySeconds: duration(SECONDS),
});

const metricSourceSchema = oneOf(POD_METRIC_SOURCES);

/** One service (deployment) model; every field optional over the Lightning ASR defaults. */
export const serviceSchema = strict({
  concurrency: int(1, 10_000).optional().meta({ description: 'Requests one pod serves at once (more queue)' }),
  serviceTime: serviceTimeSchema.optional(),
  queueLimit: int(0, 1_000_000).nullable().optional().meta({ description: 'Requests a pod may queue; more are dropped. null = unbounded' }),
  schedulingDelaySeconds: duration(SECONDS).optional().meta({ description: 'Pending time of a new pod (scheduling, image pull)' }),
  modelLoadSeconds: duration(SECONDS).optional().meta({ description: 'Container start to Ready (asr_model_load_time_seconds)' }),
  terminationGracePeriodSeconds: duration(SECONDS).optional(),
  initialReplicas: bounded(RANGES.pods).optional().meta({ description: "Pods at t = 0 (default: the HPA's minReplicas)" }),
  initialState: oneOf(['ready', 'starting'] as const).optional().meta({ description: 'ready: initial pods started long ago; starting: they start at t = 0' }),
  trafficShare: nonNegative(1000).optional().meta({ description: "Fraction of the scenario's traffic this service receives" }),
  loadBalancing: oneOf(['least-active', 'round-robin'] as const).optional(),
  containerName: text('a container name').optional(),
  requests: strict({ cpu: quantity('a CPU request').optional(), memory: quantity('a memory request').optional() }).optional(),
  cpu: strict({
    idle: quantity('idle CPU').optional(),
    perRequest: quantity('CPU per request in service').optional(),
    startup: startupSchema.nullable().optional(),
  }).optional(),
  memory: strict({
    idle: quantity('idle memory').optional(),
    perRequest: quantity('memory per active request').optional(),
  }).optional(),
  gpus: nonNegative(1000)
    .optional()
    .meta({ description: "Units of the node pool's resource (nvidia.com/gpu) one pod requests (default 1 with a nodePool; else the workload's requests/limits)" }),
  metrics: z
    .record(
      z.string(),
      z.union([metricSourceSchema, strict({ source: metricSourceSchema, averageOverSeconds: duration(SECONDS).optional() })], {
        error: `expected a metric source (one of ${POD_METRIC_SOURCES.join(', ')}) or {source, averageOverSeconds}`,
      }),
      { error: 'expected a mapping of metric name to source' },
    )
    .optional()
    .meta({ description: 'Custom per-pod metrics the pods export, by name (replaces the defaults)' }),
});

const hpaEntrySchema = strict({
  file: text('a file path (relative to the scenario)').optional().meta({ description: 'HPA manifest(s) or Helm values file, relative to the scenario' }),
  manifest: z.record(z.string(), z.unknown(), { error: 'expected an autoscaling/v2 HorizontalPodAutoscaler mapping' }).optional(),
  values: z.record(z.string(), z.unknown(), { error: "expected Helm values (a mapping with a 'scaling' key)" }).optional(),
  only: z.array(text('an HPA name'), { error: 'expected a list of HPA names' }).optional().meta({ description: 'Keep only these HPAs of the file' }),
  patch: z
    .record(z.string(), z.record(z.string(), z.unknown()), { error: "expected a mapping of HPA name (or '*') to a patch" })
    .optional()
    .meta({ description: "Deep-merged into the HPA of that name ('*': every HPA); lists are replaced" }),
}).superRefine((entry, ctx) => {
  const given = (['file', 'manifest', 'values'] as const).filter((k) => entry[k] !== undefined);
  if (given.length !== 1) {
    ctx.addIssue({
      code: 'custom',
      path: [],
      message: `expected exactly one of 'file', 'manifest' or 'values'${given.length > 1 ? `, got ${given.map((g) => `'${g}'`).join(' and ')}` : ', got none'}`,
    });
  }
});

const hpasSchema = z.array(hpaEntrySchema, { error: 'expected a list of HPAs' }).min(1, { error: 'expected at least one HPA' });

/** The scenario file format. */
export const scenarioFileSchema = strict({
  name: text('a scenario name').optional(),
  description: z.string({ error: 'expected a description' }).optional(),
  duration: duration(RANGES.duration).meta({ description: 'Simulated time: "2h", "30d" or seconds' }),
  kubernetesVersion: z
    .union([z.string(), z.number()], { error: `expected a Kubernetes version from ${SUPPORTED_RANGE_TEXT}` })
    .transform((v, ctx) => {
      const p = parseKubernetesVersion(String(v));
      if (!p.ok) {
        ctx.addIssue({ code: 'custom', message: p.error });
        return z.NEVER;
      }
      return p.version;
    })
    .optional()
    .meta({ description: `Kubernetes version the controller behaves as (${SUPPORTED_RANGE_TEXT}, default the newest; --kubernetes-version wins)` }),
  warmUp: duration({ min: 0, max: 3600, unit: 's', why: 'the longest stabilization window; older history changes nothing' })
    .optional()
    .meta({ description: "How long the HPAs have been running at the initial traffic before t = 0 (default 0: t = 0 is the HPA's creation)" }),
  seed: bounded({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, integer: true }).optional().meta({ description: 'Default seed (--seed wins)' }),
  hpa: z
    .union([text('a file path'), z.array(text('a file path'), { error: 'expected a list of file paths' })], { error: 'expected a file path or a list of them' })
    .optional()
    .meta({ description: "Shorthand for hpas: [{file: ...}]: HPA manifest or Helm values file(s), relative to the scenario" }),
  hpas: hpasSchema.optional(),
  services: z.record(z.string(), serviceSchema, { error: 'expected a mapping of deployment name to service model' }).optional(),
  traffic: trafficSpecSchema,
  pipeline: strict({
    preset: oneOf(['fast', 'default', 'cost-optimized'] as const).optional().meta({ description: 'Scrape interval 15 s, 30 s or 60 s' }),
    syncPeriodSeconds: duration(RANGES.syncPeriodSeconds).optional(),
    scrapeIntervalSeconds: duration(RANGES.scrapeIntervalSeconds).optional(),
    adapterDelaySeconds: duration(RANGES.pipelineSeconds).optional(),
    resourceMetricsResolutionSeconds: duration({ ...RANGES.pipelineSeconds, min: 1 }).optional(),
    lookbackSeconds: duration(RANGES.lookbackSeconds).optional(),
  }).optional(),
  nodePool: strict({
    name: text('a node pool name').optional(),
    resource: text('an extended resource name such as nvidia.com/gpu').optional().meta({ description: 'The extended resource pods request (default nvidia.com/gpu)' }),
    perNode: nonNegative(1000).optional().meta({ description: 'Of that resource per node (default 1)' }),
    cpu: quantity('allocatable CPU per node').optional(),
    memory: quantity('allocatable memory per node').optional(),
    initialNodes: int(0, 10_000).optional().meta({ description: 'Nodes Ready at t = 0 (default: room for the initial pods)' }),
    minNodes: int(0, 10_000).optional(),
    maxNodes: int(0, 10_000).meta({ description: 'Most nodes the pool (or the cluster autoscaler) may have' }),
    clusterAutoscaler: strict({
      scanInterval: duration({ min: 1, max: 600, unit: 's', why: 'a limit of hpa-lab' }).optional().meta({ description: '--scan-interval (default 10s)' }),
      provisioning: z
        .union(
          [
            duration(SECONDS),
            strict({ distribution: z.literal('fixed'), seconds: duration(SECONDS) }),
            strict({ distribution: z.literal('uniform'), minSeconds: duration(SECONDS), maxSeconds: duration(SECONDS) }),
            strict({ distribution: z.literal('lognormal'), medianSeconds: duration(SECONDS), sigma: nonNegative(3) }),
          ],
          { error: 'expected a node provisioning delay: a duration, {distribution: fixed, seconds}, {distribution: uniform, minSeconds, maxSeconds} or {distribution: lognormal, medianSeconds, sigma}' },
        )
        .optional()
        .meta({ description: 'Request to Ready of a new node (default uniform 2-5 min)' }),
      scaleDownUnneededTime: duration(SECONDS).optional().meta({ description: '--scale-down-unneeded-time (default 10m)' }),
      scaleDownDelayAfterAdd: duration(SECONDS).optional().meta({ description: '--scale-down-delay-after-add (default 10m)' }),
    })
      .nullable()
      .optional()
      .meta({ description: 'The cluster autoscaler (default: on with its defaults; null: a fixed pool)' }),
  })
    .optional()
    .meta({ description: 'Nodes the pods need room on (GPU nodes); absent: unlimited room' }),
  externalMetrics: z
    .record(z.string(), strict({ source: oneOf(['replicas', 'ready-replicas', 'requests-per-second', 'active', 'queued'] as const), service: text('a deployment name') }), {
      error: 'expected a mapping of metric name to {source, service}',
    })
    .optional()
    .meta({ description: 'Object/External metric values (<deployment>_replica_count works without)' }),
  controller: strict({
    tolerance: nonNegative(1, 'a fraction of the target').optional(),
    downscaleStabilizationWindowSeconds: duration({ min: 0, max: 3600, unit: 's', why: 'the API range of stabilizationWindowSeconds' }).optional(),
    cpuInitializationPeriodSeconds: duration(SECONDS).optional(),
    delayOfInitialReadinessStatusSeconds: duration(SECONDS).optional(),
    scaleUpLimitFactor: nonNegative(1000).optional(),
    scaleUpLimitMinimum: nonNegative(RANGES.pods.max).optional(),
    featureGates: strict({
      HPAConfigurableTolerance: z.boolean().optional(),
      HPAScaleToZero: z.boolean().optional(),
      HPAGeneration: z.boolean().optional(),
      PodLevelResources: z.boolean().optional(),
    })
      .optional()
      .meta({ description: "Overrides over the version's default gates, as kube-controller-manager --feature-gates" }),
  }).optional(),
  slo: strict({ latencySeconds: duration(POSITIVE_SECONDS) }).nullable().optional().meta({ description: 'Requests slower than latencySeconds miss the SLO (default 5 s); null: none' }),
  simulation: strict({
    stepSeconds: duration(RANGES.stepSeconds).optional().meta({ description: 'Traffic resolution (default 1 s)' }),
    timelineEverySyncs: int(1, 1_000_000).optional().meta({ description: 'Keep every Nth sync in the timeline' }),
    arrivals: oneOf(['poisson', 'fluid'] as const).optional(),
  }).optional(),
  variants: z
    .array(strict({ name: text('a variant name'), hpas: hpasSchema.optional(), patch: hpaEntrySchema.shape.patch }), { error: 'expected a list of variants' })
    .optional()
    .meta({ description: 'Other HPA configurations run on the same traffic and seed, compared side by side' }),
  fleet: strict({
    size: int(1, 100_000, 'a limit of hpa-lab: at most 100000 HPAs in a fleet').meta({ description: "Number of HPAs: the scenario's HPAs repeated, each with its own service and traffic" }),
    trafficScale: strict({
      min: bounded({ min: 0, exclusiveMin: true, max: 1000, why: 'a limit of hpa-lab: a factor up to 1000' }),
      max: bounded({ min: 0, exclusiveMin: true, max: 1000, why: 'a limit of hpa-lab: a factor up to 1000' }),
    })
      .refine((r) => r.max >= r.min, { error: "expected 'max' ≥ 'min'", path: ['max'] })
      .optional()
      .meta({ description: "Each member's traffic is the scenario's times a factor drawn log-uniformly in [min, max] (default 0.5 to 4)" }),
    scaleMaxReplicas: z.boolean({ error: 'expected true or false' }).optional().meta({ description: 'maxReplicas grows with the traffic factor (default true)' }),
    peakSpreadHours: nonNegative(12, 'half a day either way').optional().meta({ description: 'Diurnal traffic: peaks move by up to this many hours either way (default 3)' }),
  })
    .optional()
    .meta({ description: 'Simulate a fleet of HPAs generated from this scenario (hpa-lab simulate --fleet N)' }),
});

/**
 * A scenario file as validated (durations in seconds, quantities in milli-units), with the `hpa`
 * shorthand expanded into `hpas`.
 */
export type ScenarioFile = Omit<z.output<typeof scenarioFileSchema>, 'hpa' | 'hpas'> & { readonly hpas: HpaEntry[] };
/** One `hpas` entry. */
export type HpaEntry = z.output<typeof hpaEntrySchema>;

// ---------------------------------------------------------------------------------------------
// Parsing

/**
 * Validates a scenario document.
 *
 * @throws {InputError} `syntax` for bad YAML, `schema` naming the field path: a missing field, a
 *   negative duration, an unknown traffic type (listing the known ones)
 * @example parseScenarioText('duration: -5m', 's.yaml');
 * // throws: Cannot load 's.yaml:line 1' at 'duration': expected a duration such as ... ≥ 0 ..., got '-5m'
 */
export function parseScenarioText(source: string, file: string): ScenarioFile {
  const docs = parseYamlDocuments(source, file).filter((d) => d.value !== null);
  if (docs.length !== 1) {
    throw new InputError('syntax', file, '', `expected one YAML document with a scenario, got ${docs.length}`);
  }
  return parseScenarioObject(docs[0]!.value, file, docs[0]);
}

/**
 * Validates a scenario given as data (a parsed YAML or JSON document).
 *
 * @throws {InputError} as `parseScenarioText`
 */
export function parseScenarioObject(input: unknown, file: string, doc?: YamlDocument): ScenarioFile {
  const fail = (path: FieldPath, detail: string): never => {
    const line = doc?.lineOf(path);
    throw new InputError('schema', file, joinPath(path), detail, { ...(line === undefined ? {} : { line }) });
  };
  if (input === null || typeof input !== 'object' || Array.isArray(input)) fail([], `expected a mapping (a scenario), got ${describeValue(input)}`);
  // The traffic type first: an unknown one is the commonest slip, and it names the known ones.
  const traffic = (input as Record<string, unknown>)['traffic'];
  if (traffic !== null && typeof traffic === 'object' && !Array.isArray(traffic)) {
    const type = (traffic as Record<string, unknown>)['type'];
    const known = TRAFFIC_TYPES.join(', ');
    if (type === undefined) fail(['traffic', 'type'], `required field is missing: expected a traffic type, one of ${known}`);
    if (typeof type !== 'string' || !(TRAFFIC_TYPES as readonly string[]).includes(type)) {
      fail(['traffic', 'type'], `unknown traffic type ${describeValue(type)}: expected one of ${known}`);
    }
  }
  const record = input as Record<string, unknown>;
  if (record['hpa'] !== undefined && record['hpas'] !== undefined) fail(['hpa'], "expected either 'hpa' or 'hpas', got both");
  if (record['hpa'] === undefined && record['hpas'] === undefined) fail(['hpas'], 'required field is missing: expected a list of HPAs (or hpa: FILE)');
  const result = scenarioFileSchema.safeParse(input);
  if (result.success) {
    // Gates are checked against the file's version, as kube-controller-manager checks --feature-gates.
    for (const [name, value] of Object.entries(result.data.controller?.featureGates ?? {})) {
      if (value === undefined) continue;
      const g = checkGate(name, value, result.data.kubernetesVersion ?? LATEST_KUBERNETES_VERSION);
      if (!g.ok) fail(['controller', 'featureGates', name], g.error);
    }
    const { hpa, ...rest } = result.data;
    if (hpa === undefined) return rest as ScenarioFile;
    return { ...rest, hpas: (Array.isArray(hpa) ? hpa : [hpa]).map((file) => ({ file })) };
  }
  // An unknown key first: a misspelled field otherwise shows up as the right one missing.
  const issue = result.error.issues.find((i) => i.code === 'unrecognized_keys') ?? result.error.issues[0]!;
  let path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  if (issue.code === 'unrecognized_keys' && issue.keys[0] !== undefined) path = [...path, issue.keys[0]];
  return fail(path, describeIssue(issue, input, path));
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, path: FieldPath): string {
  if (issue.code === 'unrecognized_keys') return issue.message;
  const found = valueAt(input, path);
  const message = issue.message;
  if (/(: |, )got /.test(message)) return message; // these messages already say what they got
  if (issue.code === 'too_small' && Array.isArray(found) && found.length === 0) return `${message}, got an empty list`;
  if (message.startsWith('expected') || message.startsWith('unknown')) {
    return found === undefined ? `required field is missing: ${message}` : `${message}, got ${describeValue(found)}`;
  }
  return fromZodIssue(issue, input, scenarioFileSchema).detail;
}

// ---------------------------------------------------------------------------------------------
// Building the simulator's scenario

/** What the loader resolved for `buildScenario`. */
export interface ResolvedInputs {
  /** The HPAs of `hpas` (file entries resolved by the loader), patched. */
  readonly hpas: readonly HorizontalPodAutoscaler[];
  /** Workload requests found in manifest files, by deployment name. */
  readonly deployments?: Readonly<Record<string, WorkloadResources>>;
  /** `kube-prometheus-stack` scrape interval of a Helm values file, if any. */
  readonly scrapeIntervalSeconds?: number;
  /** Samples of a trace file or Prometheus import. */
  readonly trafficPoints?: readonly TracePoint[];
  /** Name when the file has none (the file's base name). */
  readonly defaultName: string;
}

/**
 * The simulator's `Scenario`: defaults filled in, quantities in the model's units.
 *
 * @example buildScenario(parseScenarioText(text, file), { hpas, defaultName: 'spike' }).pipeline.scrapeIntervalSeconds // -> 30
 */
export function buildScenario(file: ScenarioFile, inputs: ResolvedInputs): Scenario {
  const p = file.pipeline ?? {};
  const pipeline: PipelineConfig = {
    ...DEFAULT_PIPELINE,
    ...(inputs.scrapeIntervalSeconds === undefined ? {} : { scrapeIntervalSeconds: inputs.scrapeIntervalSeconds }),
    ...(p.preset === undefined ? {} : PIPELINE_PRESETS[p.preset]),
    ...definedOnly({
      syncPeriodSeconds: p.syncPeriodSeconds,
      scrapeIntervalSeconds: p.scrapeIntervalSeconds,
      adapterDelaySeconds: p.adapterDelaySeconds,
      resourceMetricsResolutionSeconds: p.resourceMetricsResolutionSeconds,
      lookbackSeconds: p.lookbackSeconds,
    }),
  };
  const services: Record<string, ServiceModel> = {};
  const names = new Set([...inputs.hpas.map((h) => h.spec.scaleTargetRef.name), ...Object.keys(file.services ?? {})]);
  for (const name of names) {
    services[name] = buildService(file.services?.[name], inputs.deployments?.[name]);
  }
  const externalMetrics: Record<string, ServiceMetricSource> = { ...(file.externalMetrics ?? {}) };
  const c = file.controller ?? {};
  const controller: ControllerConfigInput = definedOnly({
    kubernetesVersion: file.kubernetesVersion,
    tolerance: c.tolerance,
    downscaleStabilizationWindowSeconds: c.downscaleStabilizationWindowSeconds,
    cpuInitializationPeriodSeconds: c.cpuInitializationPeriodSeconds,
    delayOfInitialReadinessStatusSeconds: c.delayOfInitialReadinessStatusSeconds,
    scaleUpLimitFactor: c.scaleUpLimitFactor,
    scaleUpLimitMinimum: c.scaleUpLimitMinimum,
  });
  const gates = c.featureGates;
  const withGates: ControllerConfigInput = gates === undefined ? controller : { ...controller, featureGates: definedOnly({ ...gates }) };
  const sim = file.simulation ?? {};
  return {
    name: file.name ?? inputs.defaultName,
    ...(file.description === undefined ? {} : { description: file.description }),
    durationSeconds: file.duration,
    ...(file.warmUp ? { warmUpSeconds: file.warmUp } : {}),
    hpas: inputs.hpas,
    services,
    traffic: file.traffic,
    ...(inputs.trafficPoints === undefined ? {} : { trafficPoints: inputs.trafficPoints }),
    pipeline,
    externalMetrics,
    controller: withGates,
    sloLatencySeconds: file.slo === null ? null : (file.slo?.latencySeconds ?? DEFAULT_SLO_LATENCY_SECONDS),
    stepSeconds: sim.stepSeconds ?? DEFAULT_STEP_SECONDS,
    timelineEverySyncs: sim.timelineEverySyncs ?? 1,
    arrivals: sim.arrivals ?? 'poisson',
    ...(file.nodePool === undefined ? {} : { nodePool: buildNodePool(file.nodePool, services, inputs.hpas) }),
    ...(file.fleet === undefined
      ? {}
      : {
          fleet: {
            size: file.fleet.size,
            trafficScale: file.fleet.trafficScale ?? DEFAULT_FLEET.trafficScale,
            scaleMaxReplicas: file.fleet.scaleMaxReplicas ?? DEFAULT_FLEET.scaleMaxReplicas,
            peakSpreadHours: file.fleet.peakSpreadHours ?? DEFAULT_FLEET.peakSpreadHours,
          },
        }),
  };
}

/** The scenario's node pool: defaults filled in (room for the initial pods, CA defaults). */
function buildNodePool(p: NonNullable<ScenarioFile['nodePool']>, services: Readonly<Record<string, ServiceModel>>, hpas: readonly HorizontalPodAutoscaler[]): NodePoolSpec {
  const resource = p.resource ?? 'nvidia.com/gpu';
  const perNode = p.perNode ?? 1;
  let initialNodes = p.initialNodes;
  if (initialNodes === undefined) {
    let units = 0;
    for (const [name, m] of Object.entries(services)) {
      const hpa = hpas.find((h) => h.spec.scaleTargetRef.name === name);
      units += (m.initialReplicas ?? hpa?.spec.minReplicas ?? 1) * (m.extendedResources?.[resource] ?? 1);
    }
    initialNodes = Math.min(p.maxNodes, Math.max(p.minNodes ?? 0, perNode > 0 ? Math.ceil(units / perNode) : 0));
  }
  const ca = p.clusterAutoscaler;
  const d = CLUSTER_AUTOSCALER_DEFAULTS;
  const prov = ca?.provisioning;
  return {
    name: p.name ?? 'gpu-pool',
    resource,
    perNode,
    cpuMillicores: p.cpu ?? null,
    memoryBytes: p.memory === undefined ? null : p.memory / 1000,
    initialNodes,
    minNodes: p.minNodes ?? 0,
    maxNodes: p.maxNodes,
    clusterAutoscaler:
      ca === null
        ? null
        : {
            scanIntervalSeconds: ca?.scanInterval ?? d.scanIntervalSeconds,
            provisioning: prov === undefined ? d.provisioning : typeof prov === 'number' ? { distribution: 'fixed', seconds: prov } : prov,
            scaleDownUnneededSeconds: ca?.scaleDownUnneededTime ?? d.scaleDownUnneededSeconds,
            scaleDownDelayAfterAddSeconds: ca?.scaleDownDelayAfterAdd ?? d.scaleDownDelayAfterAddSeconds,
          },
  };
}

type ServiceInput = NonNullable<ScenarioFile['services']>[string];

function buildService(input: ServiceInput | undefined, workload: WorkloadResources | undefined): ServiceModel {
  const d = DEFAULT_SERVICE_MODEL;
  const s = input ?? {};
  const container = workload?.containers[0];
  const fromWorkload = container?.requestsMilli;
  const requests =
    s.requests !== undefined
      ? definedOnly({ cpuMillicores: s.requests.cpu, memoryBytes: s.requests.memory === undefined ? undefined : s.requests.memory / 1000 })
      : fromWorkload !== undefined
        ? definedOnly({ cpuMillicores: fromWorkload['cpu'], memoryBytes: fromWorkload['memory'] === undefined ? undefined : fromWorkload['memory'] / 1000 })
        : d.requests;
  const st = s.serviceTime;
  const serviceTime: ServiceModel['serviceTime'] =
    st === undefined
      ? d.serviceTime
      : typeof st === 'number'
        ? { distribution: 'fixed', meanSeconds: st }
        : st;
  const metrics: Record<string, ExportedMetric> = {};
  if (s.metrics === undefined) Object.assign(metrics, d.metrics);
  else {
    for (const [name, m] of Object.entries(s.metrics)) {
      metrics[name] = typeof m === 'string' ? { source: m, averageOverSeconds: 0 } : { source: m.source, averageOverSeconds: m.averageOverSeconds ?? 0 };
    }
  }
  const cpu = s.cpu ?? {};
  const memory = s.memory ?? {};
  // Extended resources: the scenario's gpus, else the workload's requests (or limits) beyond cpu and memory.
  let extended: Record<string, number> | undefined;
  if (s.gpus !== undefined) extended = { 'nvidia.com/gpu': s.gpus };
  else if (container !== undefined) {
    const fromManifest: Record<string, number> = {};
    for (const list of [container.limitsMilli, container.requestsMilli]) {
      for (const [k, v] of Object.entries(list ?? {})) if (k !== 'cpu' && k !== 'memory' && k !== 'ephemeral-storage' && typeof v === 'number') fromManifest[k] = v / 1000;
    }
    if (Object.keys(fromManifest).length > 0) extended = fromManifest;
  }
  return {
    concurrency: s.concurrency ?? d.concurrency,
    serviceTime,
    queueLimit: s.queueLimit === undefined ? d.queueLimit : s.queueLimit,
    schedulingDelaySeconds: s.schedulingDelaySeconds ?? d.schedulingDelaySeconds,
    modelLoadSeconds: s.modelLoadSeconds ?? d.modelLoadSeconds,
    terminationGracePeriodSeconds: s.terminationGracePeriodSeconds ?? d.terminationGracePeriodSeconds,
    initialReplicas: s.initialReplicas ?? d.initialReplicas,
    initialState: s.initialState ?? d.initialState,
    trafficShare: s.trafficShare ?? d.trafficShare,
    loadBalancing: s.loadBalancing ?? d.loadBalancing,
    containerName: s.containerName ?? container?.name ?? d.containerName,
    requests,
    cpu: {
      idleMillicores: cpu.idle ?? d.cpu.idleMillicores,
      perRequestMillicores: cpu.perRequest ?? d.cpu.perRequestMillicores,
      startup:
        cpu.startup === undefined
          ? d.cpu.startup
          : cpu.startup === null
            ? null
            : { extraMillicores: cpu.startup.extra, holdSeconds: cpu.startup.holdSeconds, decaySeconds: cpu.startup.decaySeconds },
    },
    memory: {
      idleBytes: memory.idle === undefined ? d.memory.idleBytes : memory.idle / 1000,
      perRequestBytes: memory.perRequest === undefined ? d.memory.perRequestBytes : memory.perRequest / 1000,
    },
    metrics,
    ...(extended === undefined ? {} : { extendedResources: extended }),
  };
}

function definedOnly<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) out[k] = v;
  return out as { [K in keyof T]?: Exclude<T[K], undefined> };
}

// ---------------------------------------------------------------------------------------------
// HPA entries

/**
 * The HPAs of an inline entry (`manifest` or `values`), validated. `file` entries are the
 * loader's job.
 *
 * @throws {InputError} naming `hpas[i].manifest...` for a bad manifest
 */
export function inlineHpas(entry: HpaEntry, options: { file: string; path: FieldPath }): HorizontalPodAutoscaler[] {
  if (entry.manifest !== undefined) {
    return [validateHpa(entry.manifest, { file: options.file, pathPrefix: [...options.path, 'manifest'] }).hpa];
  }
  if (entry.values !== undefined) {
    try {
      return [...parseHelmValues(stringify(entry.values), options.file).hpas];
    } catch (error) {
      if (error instanceof InputError) {
        throw new InputError(error.code, options.file, joinPath([...options.path, 'values', ...(error.path ? [error.path] : [])]), error.detail, { cause: error });
      }
      throw error;
    }
  }
  return [];
}

/**
 * Applies an entry's `only` and `patch` to the HPAs it produced, validating each patched HPA.
 *
 * @throws {InputError} when `only` names an HPA that is not there, or a patch makes an HPA invalid
 */
export function selectAndPatch(
  hpas: readonly HorizontalPodAutoscaler[],
  entry: { readonly only?: readonly string[] | undefined; readonly patch?: Readonly<Record<string, Record<string, unknown>>> | undefined },
  options: { file: string; path: FieldPath },
): HorizontalPodAutoscaler[] {
  let out = [...hpas];
  if (entry.only !== undefined) {
    entry.only.forEach((name, i) => {
      if (!out.some((h) => h.metadata.name === name)) {
        throw new InputError('semantic', options.file, joinPath([...options.path, 'only', i]), `no HPA named '${name}': expected one of ${out.map((h) => `'${h.metadata.name}'`).join(', ')}`);
      }
    });
    out = out.filter((h) => entry.only!.includes(h.metadata.name));
  }
  const patch = entry.patch;
  if (patch === undefined) return out;
  for (const key of Object.keys(patch)) {
    if (key !== '*' && !out.some((h) => h.metadata.name === key)) {
      throw new InputError('semantic', options.file, joinPath([...options.path, 'patch', key]), `no HPA named '${key}' to patch: expected one of ${[...out.map((h) => `'${h.metadata.name}'`), "'*'"].join(', ')}`);
    }
  }
  return out.map((hpa) => {
    let patched: unknown = hpa;
    for (const key of ['*', hpa.metadata.name]) {
      const p = patch[key];
      if (p !== undefined) patched = deepMerge(patched, p);
    }
    if (patched === hpa) return hpa;
    const key = patch[hpa.metadata.name] !== undefined ? hpa.metadata.name : '*';
    return validateHpa(patched, { file: options.file, pathPrefix: [...options.path, 'patch', key] }).hpa;
  });
}

/**
 * Merges `patch` into `base`: mappings merge key by key, anything else (lists too) replaces;
 * `null` deletes.
 *
 * @example deepMerge({ a: { b: 1, c: 2 } }, { a: { c: 3 } }); // -> { a: { b: 1, c: 3 } }
 */
export function deepMerge(base: unknown, patch: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = deepMerge(base[k], v);
  }
  return out;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return x !== null && typeof x === 'object' && !Array.isArray(x);
}
