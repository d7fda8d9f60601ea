/**
 * The scenarios the page offers without a file: every `examples/scenarios/*.yaml` of the repo
 * (bundled at build time with the files they reference), and the seeds' Lightning ASR HPA on each
 * built-in traffic shape of seed 000's "Scaling Scenarios".
 */
import { TRAFFIC_DURATIONS } from './scenario-source.js';

const RAW = import.meta.glob<string>('../../examples/**/*.{yaml,yml,csv,json}', { query: '?raw', import: 'default', eager: true });

/** Every bundled example file, keyed by its path in the repo (`examples/blog/hpa.yaml`). */
export const EXAMPLE_FILES: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(RAW).map(([k, v]) => [k.replace(/^(\.\.\/)+/, ''), v]),
);

/** A scenario the page can open by id. */
export interface BuiltinScenario {
  readonly id: string;
  readonly label: string;
  /** Path the text is resolved against (its references are keys of `EXAMPLE_FILES`). */
  readonly name: string;
  readonly text: string;
}

/** Built-in traffic shapes the page offers (those that need no parameters). */
export const BUILTIN_TRAFFIC = ['traffic-spike', 'gradual-decline', 'off-hours', 'diurnal', 'ramp'] as const;

const SHAPE_LABELS: Record<(typeof BUILTIN_TRAFFIC)[number], string> = {
  'traffic-spike': 'traffic spike (seed scenario 1)',
  'gradual-decline': 'gradual decline (seed scenario 2)',
  'off-hours': 'off-hours (seed scenario 3)',
  diurnal: 'a diurnal day',
  ramp: 'a ramp to 50 rps',
};

function shapeScenario(type: (typeof BUILTIN_TRAFFIC)[number]): BuiltinScenario {
  const text = [
    `# The seeds' Lightning ASR HPA (asr_active_requests, target 5) on the built-in '${type}' traffic.`,
    `name: lightning-asr-${type}`,
    `duration: ${TRAFFIC_DURATIONS[type] ?? '1h'}`,
    'hpas:',
    '  - file: ../lightning-asr/hpa.yaml',
    'traffic:',
    `  type: ${type}`,
    '',
  ].join('\n');
  return { id: `builtin:${type}`, label: `Lightning ASR HPA, ${SHAPE_LABELS[type]}`, name: `examples/scenarios/${type}.builtin.yaml`, text };
}

/** Every built-in scenario: the repo's example scenario files first, then the traffic shapes. */
export function builtinScenarios(): BuiltinScenario[] {
  const files = Object.entries(EXAMPLE_FILES)
    .filter(([k]) => /^examples\/scenarios\/[^/]+\.ya?ml$/.test(k))
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, text]) => ({ id: k, label: k.replace(/^examples\/scenarios\//, '').replace(/\.ya?ml$/, ''), name: k, text }));
  return [...files, ...BUILTIN_TRAFFIC.map(shapeScenario)];
}

/** The built-in scenario with this id, if there is one. */
export function findBuiltin(id: string): BuiltinScenario | undefined {
  return builtinScenarios().find((b) => b.id === id);
}

/** The scenario a fresh page opens: the repo's traffic-spike example, else the built-in spike. */
export function defaultBuiltinId(): string {
  const all = builtinScenarios();
  return (all.find((b) => b.id === 'examples/scenarios/traffic-spike.yaml') ?? all.find((b) => b.id === 'builtin:traffic-spike') ?? all[0]!).id;
}
