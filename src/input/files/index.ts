/**
 * The Node edge of `src/input`: loaders that read files (HPA manifests or Helm values, scenario files
 * with the trace files they name). `src/input/index.ts` stays browser-safe for the page.
 */
export { loadHpaFile } from './load.js';
export { checkSimulatable, loadHpaConfig, loadScenarioFile, type LoadedScenario } from './scenario-loader.js';
