/**
 * From the page's scenario state to simulation results: resolve the source (bundled example or
 * loaded file), apply the edited HPAs, run `runSimulation` from `src/sim`. Pure apart from a
 * one-entry cache of the parsed source, so a parameter change only re-runs the simulation.
 */
import type { HorizontalPodAutoscaler } from '../../src/engine/index.js';
import type { Scenario } from '../../src/sim/index.js';
import { defaultBuiltinId, EXAMPLE_FILES, findBuiltin } from './builtin-scenarios.js';
import { loadSource, type LoadedSource } from './scenario-source.js';
import type { CompareState, ScenarioState } from './state.js';

/** The text of the scenario state's source, with the files it may reference. */
export interface SourceText {
  readonly name: string;
  readonly label: string;
  readonly text: string;
  readonly files: Readonly<Record<string, string>>;
  /** The built-in id the state named when the page has no such scenario (the default runs instead). */
  readonly missing?: string;
  /** The built-in id that runs. */
  readonly builtinId?: string;
}

/** The source text of a scenario state (an unknown built-in id falls back to the default). */
export function sourceText(state: ScenarioState): SourceText {
  const src = state.source;
  if (src.kind === 'file') return { name: src.name, label: src.name, text: src.text, files: src.files ?? {} };
  const found = findBuiltin(src.id);
  const b = found ?? findBuiltin(defaultBuiltinId())!;
  return { name: b.name, label: b.label, text: b.text, files: EXAMPLE_FILES, builtinId: b.id, ...(found ? {} : { missing: src.id }) };
}

let cache: { key: string; value: LoadedSource } | undefined;

/**
 * The loaded scenario (HPAs as in the file, before the page's edits).
 *
 * @throws {InputError} for a bad file
 */
export function loadScenarioState(state: ScenarioState): LoadedSource {
  const src = sourceText(state);
  const key = JSON.stringify([src.name, src.text, state.traffic, state.duration, state.source.kind === 'file' ? state.source.files : 0]);
  if (cache?.key === key) return cache.value;
  const value = loadSource(src.name, src.text, {
    files: src.files,
    ...(state.traffic === '' ? {} : { traffic: state.traffic }),
    ...(state.duration.trim() === '' ? {} : { duration: /^\d+(\.\d+)?$/.test(state.duration.trim()) ? Number(state.duration) : state.duration.trim() }),
  });
  cache = { key, value };
  return value;
}

/** The scenario with some HPAs replaced (matched by name). */
export function withOverrides(scenario: Scenario, overrides: Readonly<Record<string, HorizontalPodAutoscaler>>): Scenario {
  if (Object.keys(overrides).length === 0) return scenario;
  return { ...scenario, hpas: scenario.hpas.map((h) => overrides[h.metadata.name] ?? h) };
}

/**
 * The configurations of the compare view: the scenario as edited, the file's variants (when
 * asked), then the user's configurations, each on the same traffic and seed.
 */
export function compareScenarios(state: ScenarioState, compare: CompareState): { name: string; scenario: Scenario }[] {
  const loaded = loadScenarioState(state);
  const out = [{ name: 'current', scenario: withOverrides(loaded.scenario, state.overrides) }];
  if (compare.variants) for (const v of loaded.variants) out.push({ name: v.name, scenario: v.scenario });
  for (const c of compare.configs) out.push({ name: c.name, scenario: withOverrides(loaded.scenario, c.overrides) });
  return out;
}
