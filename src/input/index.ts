/**
 * Loading and validating HPA inputs: autoscaling/v2 manifests, the seeds' Helm values, quantities.
 * Every error is an `InputError` naming the file, the field path and what was expected.
 */
export { parseYamlDocuments } from './yaml-source.js';
export { checkHpa, validateHpa } from './validate-hpa.js';
export { parseHpaManifests, parseManifestFile } from './hpa-manifest.js';
export { type WorkloadResources } from './workload-resources.js';
export { type HelmPrometheusSettings, parseHelmValues } from './helm-values.js';
export { hpaToManifestYaml } from './hpa-to-manifest-yaml.js';
export { hpaToHelmValues } from './hpa-to-helm-values.js';
export type { HpaEntry, ScenarioFile } from './scenario.js';
export { RANGES, checkRange } from './limits.js';
export { buildScenario, inlineHpas, parseScenarioObject, parseScenarioText, selectAndPatch } from './scenario.js';
export type { FieldPath, YamlDocument } from './yaml-source.js';
export { HELM_HPA_BLOCKS } from './helm-values.js';
export { formatMilliQuantity, parseQuantityMilli } from './manifest-quantity.js';
export { extractWorkloadResources } from './workload-resources.js';
