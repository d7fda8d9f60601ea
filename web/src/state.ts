/**
 * Everything the page shows follows from one plain `PageState`, which lives in the URL hash
 * (see `url-state.ts`): a link reproduces the view. `normalizeState` accepts partial or older
 * states (what `hpa-lab serve FILE` writes) and fills in the defaults.
 */
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';

export const VIEWS = ['calculator', 'scenario', 'compare', 'share'] as const;
export type ViewName = (typeof VIEWS)[number];

/** One metric row of the calculator: values as the user typed them (quantities). */
export interface CalcMetric {
  readonly kind: 'Resource' | 'Pods' | 'External';
  /** `cpu`, `memory`, or a custom metric name. */
  readonly name: string;
  /** Per pod (Resource, Pods) or total (External): `600m`, `1100Mi`, `7`, `120%`. */
  readonly current: string;
  readonly targetType: 'Utilization' | 'AverageValue' | 'Value';
  /** Percent for Utilization, else a quantity. */
  readonly target: string;
  /** Resource request per pod, for Utilization (`500m`, `1350Mi`). */
  readonly request: string;
}

export interface CalcState {
  readonly replicas: number;
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /** `--horizontal-pod-autoscaler-tolerance`. */
  readonly tolerance: number;
  readonly metrics: readonly CalcMetric[];
  /** Which metric the "desired vs metric value" plot sweeps. */
  readonly sweepMetric: number;
}

/** Where the scenario comes from: a bundled example, or a file (text, with the files it references). */
export type ScenarioSource =
  | { readonly kind: 'builtin'; readonly id: string }
  | { readonly kind: 'file'; readonly name: string; readonly text: string; readonly files?: Readonly<Record<string, string>> };

export interface ScenarioState {
  readonly source: ScenarioSource;
  /** A built-in traffic shape replacing the scenario's (`''`: as in the scenario). */
  readonly traffic: string;
  /** Duration replacing the scenario's: `6h`, `1d`, seconds (`''`: as in the scenario). */
  readonly duration: string;
  readonly seed: number;
  /** Index of the HPA the form edits and the plots show. */
  readonly hpa: number;
  /** Edited HPAs by name, replacing the scenario's. */
  readonly overrides: Readonly<Record<string, HorizontalPodAutoscaler>>;
}

/** One configuration of the compare view: the scenario's HPAs with these replaced. */
export interface CompareConfig {
  readonly name: string;
  readonly overrides: Readonly<Record<string, HorizontalPodAutoscaler>>;
}

export interface CompareState {
  /** Include the scenario file's `variants`. */
  readonly variants: boolean;
  readonly configs: readonly CompareConfig[];
}

export interface PageState {
  readonly v: 1;
  readonly view: ViewName;
  readonly calc: CalcState;
  readonly scenario: ScenarioState;
  readonly compare: CompareState;
  /**
   * One-shot instruction of a link written by `hpa-lab serve FILE`: fill the calculator from the
   * scenario source's first HPA. The page drops it once done.
   */
  readonly init?: 'calc-from-source';
}

/** The blog's HPA at 12:18: one pod starting, CPU 600m of a 500m request, memory 1100Mi of 1350Mi. */
export const BLOG_CALC: CalcState = {
  replicas: 1,
  minReplicas: 1,
  maxReplicas: 3,
  tolerance: 0.1,
  metrics: [
    { kind: 'Resource', name: 'cpu', current: '600m', targetType: 'Utilization', target: '90', request: '500m' },
    { kind: 'Resource', name: 'memory', current: '1100Mi', targetType: 'Utilization', target: '90', request: '1350Mi' },
  ],
  sweepMetric: 0,
};

/** The bundled scenario the page opens on. */
export const DEFAULT_SCENARIO_ID = 'examples/scenarios/traffic-spike.yaml';

/** The state of a fresh page. */
export function defaultState(): PageState {
  return {
    v: 1,
    view: 'calculator',
    calc: BLOG_CALC,
    scenario: { source: { kind: 'builtin', id: DEFAULT_SCENARIO_ID }, traffic: '', duration: '', seed: 1, hpa: 0, overrides: {} },
    compare: { variants: true, configs: [] },
  };
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x);
const int = (x: unknown, fallback: number, min = 0): number => (typeof x === 'number' && Number.isInteger(x) && x >= min ? x : fallback);
const str = (x: unknown, fallback: string): string => (typeof x === 'string' ? x : fallback);

function normalizeMetric(x: unknown): CalcMetric | undefined {
  if (!isObject(x)) return undefined;
  const kind = x['kind'] === 'Pods' || x['kind'] === 'External' ? x['kind'] : 'Resource';
  const targetType = x['targetType'] === 'AverageValue' || x['targetType'] === 'Value' ? x['targetType'] : kind === 'Resource' ? 'Utilization' : 'AverageValue';
  return {
    kind,
    name: str(x['name'], kind === 'Resource' ? 'cpu' : 'requests'),
    current: str(x['current'], typeof x['current'] === 'number' ? String(x['current']) : ''),
    targetType: targetType === 'Utilization' && kind !== 'Resource' ? 'AverageValue' : targetType,
    target: str(x['target'], typeof x['target'] === 'number' ? String(x['target']) : ''),
    request: str(x['request'], ''),
  };
}

function normalizeOverrides(x: unknown): Record<string, HorizontalPodAutoscaler> {
  const out: Record<string, HorizontalPodAutoscaler> = {};
  if (!isObject(x)) return out;
  for (const [k, v] of Object.entries(x)) if (isObject(v) && isObject(v['spec'])) out[k] = v as unknown as HorizontalPodAutoscaler;
  return out;
}

function normalizeSource(x: unknown, fallback: ScenarioSource): ScenarioSource {
  if (!isObject(x)) return fallback;
  if (x['kind'] === 'builtin' && typeof x['id'] === 'string') return { kind: 'builtin', id: x['id'] };
  if (x['kind'] === 'file' && typeof x['text'] === 'string') {
    const files: Record<string, string> = {};
    if (isObject(x['files'])) for (const [k, v] of Object.entries(x['files'])) if (typeof v === 'string') files[k] = v;
    return { kind: 'file', name: str(x['name'], 'scenario.yaml'), text: x['text'], ...(Object.keys(files).length ? { files } : {}) };
  }
  return fallback;
}

/**
 * A complete `PageState` from whatever a link held: unknown fields dropped, missing ones defaulted.
 *
 * @example normalizeState({ view: 'scenario' }).calc.maxReplicas // -> 3
 */
export function normalizeState(raw: unknown): PageState {
  const d = defaultState();
  if (!isObject(raw)) return d;
  const view = (VIEWS as readonly string[]).includes(raw['view'] as string) ? (raw['view'] as ViewName) : d.view;
  const c = isObject(raw['calc']) ? raw['calc'] : {};
  const metrics = Array.isArray(c['metrics']) ? c['metrics'].map(normalizeMetric).filter((m): m is CalcMetric => m !== undefined) : d.calc.metrics;
  const minReplicas = int(c['minReplicas'], d.calc.minReplicas, 1);
  const calc: CalcState = {
    replicas: int(c['replicas'], d.calc.replicas, 0),
    minReplicas,
    maxReplicas: Math.max(minReplicas, int(c['maxReplicas'], d.calc.maxReplicas, 1)),
    tolerance: typeof c['tolerance'] === 'number' && c['tolerance'] >= 0 ? c['tolerance'] : d.calc.tolerance,
    metrics: metrics.length ? metrics : d.calc.metrics,
    sweepMetric: int(c['sweepMetric'], 0),
  };
  const s = isObject(raw['scenario']) ? raw['scenario'] : {};
  const scenario: ScenarioState = {
    source: normalizeSource(s['source'], d.scenario.source),
    traffic: str(s['traffic'], ''),
    duration: str(s['duration'], ''),
    seed: int(s['seed'], d.scenario.seed),
    hpa: int(s['hpa'], 0),
    overrides: normalizeOverrides(s['overrides']),
  };
  const k = isObject(raw['compare']) ? raw['compare'] : {};
  const configs = Array.isArray(k['configs'])
    ? k['configs'].filter(isObject).map((x, i) => ({ name: str(x['name'], `config ${i + 1}`), overrides: normalizeOverrides(x['overrides']) }))
    : [];
  return {
    v: 1,
    view,
    calc,
    scenario,
    compare: { variants: k['variants'] !== false, configs },
    ...(raw['init'] === 'calc-from-source' ? { init: 'calc-from-source' as const } : {}),
  };
}
