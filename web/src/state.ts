/**
 * Everything the page shows follows from one plain `PageState`, which lives in the URL hash
 * (see `url-state.ts`): a link reproduces the view. `normalizeState` accepts partial or older
 * states (what `hpa-lab serve FILE` writes) and fills in the defaults.
 */
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior } from '../../src/engine/index.js';
import { PAGE_MAX_REPLICAS } from './number-check.js';

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
  /** The HPA's name (and its Deployment's), for the export (default `lightning-asr`). */
  readonly name?: string;
  /** `spec.behavior` (absent: the legacy limits, as an HPA without behavior). */
  readonly behavior?: HorizontalPodAutoscalerBehavior;
}

/** The name the calculator's HPA gets when the form leaves it empty. */
export const DEFAULT_CALC_NAME = 'lightning-asr';

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
const int = (x: unknown, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number => (typeof x === 'number' && Number.isInteger(x) && x >= min && x <= max ? x : fallback);

const num = (x: unknown, min: number, max: number): number | undefined => (typeof x === 'number' && Number.isFinite(x) && x >= min && x <= max ? x : undefined);

/** A link's behavior, numbers kept only within the API's ranges (windows ≤ 3600 s, periods 1..1800 s). */
function normalizeBehavior(x: unknown): HorizontalPodAutoscalerBehavior | undefined {
  if (!isObject(x)) return undefined;
  const rules = (r: unknown) => {
    if (!isObject(r)) return undefined;
    const w = num(r['stabilizationWindowSeconds'], 0, 3600);
    const sel = r['selectPolicy'] === 'Max' || r['selectPolicy'] === 'Min' || r['selectPolicy'] === 'Disabled' ? r['selectPolicy'] : undefined;
    const tol = num(typeof r['tolerance'] === 'string' ? Number(r['tolerance']) : r['tolerance'], 0, 10);
    const policies = Array.isArray(r['policies'])
      ? r['policies']
          .filter(isObject)
          .map((p) => ({ type: p['type'] === 'Percent' ? 'Percent' : 'Pods', value: int(p['value'], 1, 1, 1_000_000), periodSeconds: int(p['periodSeconds'], 15, 1, 1800) }))
          .slice(0, 10)
      : undefined;
    return { ...(w === undefined ? {} : { stabilizationWindowSeconds: Math.round(w) }), ...(sel ? { selectPolicy: sel } : {}), ...(policies ? { policies } : {}), ...(tol === undefined ? {} : { tolerance: tol }) };
  };
  const up = rules(x['scaleUp']);
  const down = rules(x['scaleDown']);
  return { ...(up ? { scaleUp: up } : {}), ...(down ? { scaleDown: down } : {}) };
}
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
  for (const [k, v] of Object.entries(x)) {
    if (!isObject(v) || !isObject(v['spec'])) continue;
    const spec = v['spec'];
    const max = spec['maxReplicas'];
    // Bounded like the calculator's: a link must not ask for a million pods.
    out[k] = (typeof max === 'number' && max > PAGE_MAX_REPLICAS ? { ...v, spec: { ...spec, maxReplicas: PAGE_MAX_REPLICAS } } : v) as unknown as HorizontalPodAutoscaler;
  }
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
export function normalizeState(raw: unknown, notes: string[] = []): PageState {
  const d = defaultState();
  if (!isObject(raw)) return d;
  /** An integer field of the link within [min, max]: out of range is clamped, and said. */
  const bounded = (x: unknown, field: string, fallback: number, min: number, max: number): number => {
    if (x === undefined) return fallback;
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      notes.push(`The link's ${field} ${JSON.stringify(x)} is not a number: using ${fallback}`);
      return fallback;
    }
    const v = Math.min(max, Math.max(min, Math.round(x)));
    if (v !== x) notes.push(`The link's ${field} ${x} is outside ${min}..${max}${max === PAGE_MAX_REPLICAS ? ' (the page’s limit)' : ''}: using ${v}`);
    return v;
  };
  const view = (VIEWS as readonly string[]).includes(raw['view'] as string) ? (raw['view'] as ViewName) : d.view;
  const c = isObject(raw['calc']) ? raw['calc'] : {};
  const metrics = Array.isArray(c['metrics']) ? c['metrics'].map(normalizeMetric).filter((m): m is CalcMetric => m !== undefined) : d.calc.metrics;
  // Every number a link carries is bounded: a link must not be able to freeze the page.
  const minReplicas = bounded(c['minReplicas'], 'calc.minReplicas', d.calc.minReplicas, 1, PAGE_MAX_REPLICAS);
  const behavior = normalizeBehavior(c['behavior']);
  const calc: CalcState = {
    replicas: bounded(c['replicas'], 'calc.replicas', d.calc.replicas, 0, PAGE_MAX_REPLICAS),
    minReplicas,
    maxReplicas: Math.max(minReplicas, bounded(c['maxReplicas'], 'calc.maxReplicas', d.calc.maxReplicas, 1, PAGE_MAX_REPLICAS)),
    tolerance: num(c['tolerance'], 0, 10) ?? d.calc.tolerance,
    metrics: (metrics.length ? metrics : d.calc.metrics).slice(0, 10),
    sweepMetric: int(c['sweepMetric'], 0, 0, 9),
    ...(typeof c['name'] === 'string' && c['name'].trim() !== '' ? { name: c['name'].slice(0, 253) } : {}),
    ...(behavior ? { behavior } : {}),
  };
  const s = isObject(raw['scenario']) ? raw['scenario'] : {};
  const scenario: ScenarioState = {
    source: normalizeSource(s['source'], d.scenario.source),
    traffic: str(s['traffic'], ''),
    duration: str(s['duration'], ''),
    seed: bounded(s['seed'], 'scenario.seed', d.scenario.seed, 0, 2 ** 31 - 1),
    hpa: int(s['hpa'], 0, 0, 100),
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
