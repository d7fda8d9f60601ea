/**
 * Loading and validating HPA inputs: autoscaling/v2 manifests, the seeds' Helm values, quantities.
 * Every error is an `InputError` naming the file, the field path and what was expected.
 */
export { describeValue, formatWarning, InputError, type InputErrorCode, type InputErrorOptions, joinPath } from '../core/index.js';
export {
  formatMilliQuantity,
  isQuantity,
  parseQuantityMilli,
} from './manifest-quantity.js';
export { type FieldPath, parseYamlDocuments, type YamlDocument } from './yaml-source.js';
export {
  checkHpa,
  checkHpaOpenApi,
  type HpaCheck,
  type SpecIssue,
  type SpecWarning,
  validateHpa,
  type ValidateHpaOptions,
} from './validate-hpa.js';
export { type ManifestFile, parseHpaManifests, parseManifestFile } from './hpa-manifest.js';
export {
  type ContainerResources,
  extractWorkloadResources,
  WORKLOAD_KINDS,
  type WorkloadResources,
} from './workload-resources.js';
export {
  HELM_HPA_BLOCKS,
  type HelmHpaBlock,
  type HelmPrometheusSettings,
  type HelmValues,
  parseHelmValues,
} from './helm-values.js';
export { hpaToManifestYaml } from './hpa-to-manifest-yaml.js';
export { type HelmValuesExport, hpaToHelmValues } from './hpa-to-helm-values.js';
export { detectHpaInputKind, type LoadedHpaFile, loadHpaFile } from './load.js';
export type { LoadedScenario } from './scenario-loader.js';
export type { HpaEntry, ScenarioFile } from './scenario.js';
export { RANGES, checkRange } from './limits.js';
export { checkSimulatable, loadHpaConfig, loadScenarioFile } from './scenario-loader.js';
export { buildScenario, inlineHpas, parseScenarioObject, parseScenarioText, selectAndPatch } from './scenario.js';
