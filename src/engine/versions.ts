/**
 * Kubernetes versions the engine can behave as (1.30 to 1.38), the HPA-related feature gates
 * and version-bound rules of each, and kube-controller-manager's `--feature-gates` syntax.
 * Pure data and functions: the table is the single place where "which version did what" lives.
 *
 * @see https://github.com/kubernetes/kubernetes/blob/master/pkg/features/kube_features.go (versioned gate specs)
 * @see https://github.com/kubernetes/enhancements/issues/4951 KEP-4951 configurable tolerance
 * @see https://github.com/kubernetes/enhancements/issues/2021 KEP-2021 scale to zero
 * @see https://github.com/kubernetes/enhancements/issues/2837 KEP-2837 pod-level resources
 */

/** Oldest and newest supported minor versions (`1.<minor>`). */
export const OLDEST_KUBERNETES_MINOR = 30;
export const NEWEST_KUBERNETES_MINOR = 38;
/** The default: the newest supported release. */
export const LATEST_KUBERNETES_VERSION = `1.${NEWEST_KUBERNETES_MINOR}`;
/** Every supported version, oldest first. */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = Array.from(
  { length: NEWEST_KUBERNETES_MINOR - OLDEST_KUBERNETES_MINOR + 1 },
  (_, i) => `1.${OLDEST_KUBERNETES_MINOR + i}`,
);
/** "1.30 to 1.38", for error messages. */
export const SUPPORTED_RANGE_TEXT = `1.${OLDEST_KUBERNETES_MINOR} to ${LATEST_KUBERNETES_VERSION}`;

export type FeatureGateName = 'HPAConfigurableTolerance' | 'HPAScaleToZero' | 'HPAGeneration' | 'PodLevelResources';

/** On/off per gate, as kube-controller-manager resolves them. */
export type FeatureGates = { readonly [K in FeatureGateName]: boolean };

export type GateStage = 'Alpha' | 'Beta' | 'GA';

/** One row of a gate's lifecycle: from `minor` on, the gate is at `stage` with `default`. */
export interface GateStageSpec {
  readonly minor: number;
  readonly stage: GateStage;
  readonly default: boolean;
  /** GA gates cannot be turned off. */
  readonly locked?: boolean;
}

export interface GateInfo {
  readonly name: FeatureGateName;
  readonly what: string;
  readonly stages: readonly GateStageSpec[];
  readonly see: string;
}

/**
 * The HPA-relevant gates. Rows confirmed against upstream (kube_features.go versioned specs,
 * the promotion PRs and the website's feature-gate pages).
 */
export const FEATURE_GATES: readonly GateInfo[] = [
  {
    name: 'HPAConfigurableTolerance',
    what: 'per-direction behavior.scaleUp/scaleDown.tolerance (KEP-4951)',
    stages: [
      { minor: 33, stage: 'Alpha', default: false },
      { minor: 35, stage: 'Beta', default: true },
      { minor: 37, stage: 'GA', default: true, locked: true },
    ],
    see: 'https://github.com/kubernetes/kubernetes/pull/130797 (alpha), #133128 (beta), kubernetes/enhancements#6103 (GA)',
  },
  {
    name: 'HPAScaleToZero',
    what: 'minReplicas 0 with an Object/External metric; from 1.36 the ScaledToZero condition (KEP-2021)',
    stages: [
      { minor: 16, stage: 'Alpha', default: false },
      { minor: 37, stage: 'Beta', default: true },
    ],
    see: 'https://github.com/kubernetes/kubernetes/pull/135118 (condition-based rework, 1.36), kubernetes/website#56290 (beta in 1.37)',
  },
  {
    name: 'HPAGeneration',
    what: 'metadata.generation / status.observedGeneration on HPAs',
    stages: [{ minor: 37, stage: 'Alpha', default: false }],
    see: 'https://github.com/kubernetes/kubernetes/pull/138228, #138653',
  },
  {
    name: 'PodLevelResources',
    what: 'pod-level spec.resources.requests as the utilization denominator (KEP-2837)',
    stages: [
      { minor: 32, stage: 'Alpha', default: false },
      { minor: 34, stage: 'Beta', default: true },
    ],
    see: 'https://github.com/kubernetes/kubernetes/blob/master/pkg/features/kube_features.go PodLevelResources',
  },
];

/** Behaviour changes bound to a version, not to a gate. */
export interface VersionRule {
  readonly name: 'IgnoreSucceededPods' | 'ScaleToZeroCondition' | 'MetricsV1';
  readonly sinceMinor: number;
  readonly what: string;
  readonly see: string;
}

export const VERSION_RULES: readonly VersionRule[] = [
  {
    name: 'ScaleToZeroCondition',
    sinceMinor: 36,
    what: 'scale to/from zero follows the ScaledToZero condition (when HPAScaleToZero is on)',
    see: 'https://github.com/kubernetes/kubernetes/pull/135118',
  },
  {
    name: 'MetricsV1',
    sinceMinor: 37,
    what: 'metrics.k8s.io/v1 GA beside v1beta1 (KEP-5207); the HPA controller itself still reads v1beta1 (k/k#141366 open)',
    see: 'https://github.com/kubernetes/kubernetes/pull/139223, kubernetes/enhancements#5207',
  },
  {
    name: 'IgnoreSucceededPods',
    sinceMinor: 38,
    what: 'Succeeded pods are ignored like Failed ones',
    see: 'https://github.com/kubernetes/kubernetes/pull/141302',
  },
];

export type VersionParse = { readonly ok: true; readonly version: string; readonly minor: number } | { readonly ok: false; readonly error: string };

/**
 * Parses "1.37", "v1.37" or "1.37.2" (patch ignored) into a supported minor version.
 *
 * @example parseKubernetesVersion('v1.33.4') // -> { ok: true, version: '1.33', minor: 33 }
 */
export function parseKubernetesVersion(text: string): VersionParse {
  const m = /^v?1\.(\d+)(?:\.\d+)?(?:[-+].*)?$/.exec(String(text).trim());
  const minor = m ? Number(m[1]) : NaN;
  if (!m || !(minor >= OLDEST_KUBERNETES_MINOR && minor <= NEWEST_KUBERNETES_MINOR)) {
    return { ok: false, error: `expected a Kubernetes version from ${SUPPORTED_RANGE_TEXT} (like 1.37), got ${JSON.stringify(text)}` };
  }
  return { ok: true, version: `1.${minor}`, minor };
}

const minors = new Map<string, number>();

/** The minor number of a version string already validated (falls back to the newest); memoized, it is read on every reconcile. */
export function minorOf(version: string | undefined): number {
  if (version === undefined) return NEWEST_KUBERNETES_MINOR;
  let m = minors.get(version);
  if (m === undefined) {
    const p = parseKubernetesVersion(version);
    m = p.ok ? p.minor : NEWEST_KUBERNETES_MINOR;
    if (minors.size < 64) minors.set(version, m);
  }
  return m;
}

/** The stage a gate has in a version, or undefined before it existed. */
export function gateStage(name: FeatureGateName, minor: number): GateStageSpec | undefined {
  const info = FEATURE_GATES.find((g) => g.name === name);
  let hit: GateStageSpec | undefined;
  for (const s of info?.stages ?? []) if (s.minor <= minor) hit = s;
  return hit;
}

/**
 * The gates on by default in a version.
 *
 * @example defaultFeatureGates('1.34').PodLevelResources // -> true
 */
export function defaultFeatureGates(version: string = LATEST_KUBERNETES_VERSION): FeatureGates {
  const minor = minorOf(version);
  const out: Record<string, boolean> = {};
  for (const g of FEATURE_GATES) out[g.name] = gateStage(g.name, minor)?.default ?? false;
  return out as FeatureGates;
}

/** Whether a version-bound rule applies. */
export function versionRuleApplies(name: VersionRule['name'], version: string | undefined): boolean {
  const rule = VERSION_RULES.find((r) => r.name === name);
  return rule !== undefined && minorOf(version) >= rule.sinceMinor;
}

export type GatesParse = { readonly ok: true; readonly gates: Partial<Record<FeatureGateName, boolean>> } | { readonly ok: false; readonly error: string };

const GATE_NAMES = FEATURE_GATES.map((g) => g.name);

/**
 * Parses kube-controller-manager's `--feature-gates` value (`A=true,B=false`), checked against
 * the version: unknown gates, gates the version does not have, and turning off a GA gate are errors.
 *
 * @example parseFeatureGates('PodLevelResources=false', '1.38') // -> { ok: true, gates: { PodLevelResources: false } }
 */
export function parseFeatureGates(text: string, version: string = LATEST_KUBERNETES_VERSION): GatesParse {
  const gates: Partial<Record<FeatureGateName, boolean>> = {};
  for (const raw of String(text).split(',')) {
    const part = raw.trim();
    if (part === '') continue;
    const m = /^([A-Za-z0-9]+)=(true|false)$/i.exec(part);
    if (!m) return { ok: false, error: `expected Gate=true|false pairs separated by commas, got ${JSON.stringify(part)}` };
    const r = checkGate(String(m[1]), String(m[2]).toLowerCase() === 'true', version);
    if (!r.ok) return r;
    gates[r.name] = r.value;
  }
  return { ok: true, gates };
}

/** Checks one gate override against the version (used by files as well as flags). */
export function checkGate(
  name: string,
  value: boolean,
  version: string = LATEST_KUBERNETES_VERSION,
): { readonly ok: true; readonly name: FeatureGateName; readonly value: boolean } | { readonly ok: false; readonly error: string } {
  if (!(GATE_NAMES as readonly string[]).includes(name)) {
    return { ok: false, error: `unknown feature gate ${JSON.stringify(name)} (known: ${GATE_NAMES.join(', ')})` };
  }
  const gate = name as FeatureGateName;
  const stage = gateStage(gate, minorOf(version));
  if (!stage) {
    const first = FEATURE_GATES.find((g) => g.name === gate)?.stages[0]?.minor;
    return { ok: false, error: `feature gate ${gate} does not exist in Kubernetes ${version} (added in 1.${first})` };
  }
  if (stage.locked && value !== stage.default) {
    return { ok: false, error: `feature gate ${gate} is GA in Kubernetes ${version} and cannot be set to ${value}` };
  }
  return { ok: true, name: gate, value };
}

/** Gates of a version with overrides applied. */
export function resolveFeatureGates(version: string | undefined, overrides?: Partial<Record<FeatureGateName, boolean>>): FeatureGates {
  return { ...defaultFeatureGates(version ?? LATEST_KUBERNETES_VERSION), ...definedGates(overrides) };
}

function definedGates(o: Partial<Record<FeatureGateName, boolean>> | undefined): Partial<Record<FeatureGateName, boolean>> {
  const out: Partial<Record<FeatureGateName, boolean>> = {};
  for (const [k, v] of Object.entries(o ?? {})) if (typeof v === 'boolean') out[k as FeatureGateName] = v;
  return out;
}

/**
 * Why a gate is on or off in a version: "GA in 1.37", "beta, on by default since 1.35",
 * "alpha in 1.33, off by default", "set by --feature-gates".
 *
 * @example describeGate('HPAConfigurableTolerance', '1.37', true) // -> 'HPAConfigurableTolerance, GA in 1.37'
 */
export function describeGate(name: FeatureGateName, version: string, value: boolean): string {
  const minor = minorOf(version);
  const stage = gateStage(name, minor);
  if (!stage) return `${name}, not in ${version}`;
  const label = stage.stage === 'GA' ? `GA in 1.${stage.minor}` : `${stage.stage.toLowerCase()} since 1.${stage.minor}`;
  if (value !== stage.default) return `${name}=${value} set explicitly, ${label}`;
  return stage.stage === 'GA' ? `${name}, ${label}` : `${name}, ${label}, ${stage.default ? 'on' : 'off'} by default`;
}

/**
 * The version and its gates in a few words.
 *
 * @example describeVersion('1.38', defaultFeatureGates('1.38')) // -> 'Kubernetes 1.38 (gates on: HPAConfigurableTolerance, HPAScaleToZero, PodLevelResources; off: HPAGeneration)'
 */
export function describeVersion(version: string, gates: FeatureGates): string {
  const on = FEATURE_GATES.filter((g) => gates[g.name]).map((g) => g.name);
  const off = FEATURE_GATES.filter((g) => !gates[g.name]).map((g) => g.name);
  return `Kubernetes ${version} (gates on: ${on.join(', ') || 'none'}; off: ${off.join(', ') || 'none'})`;
}
