/**
 * hpa-lab's cluster client: reads any Kubernetes cluster as the HPA controller does and runs the
 * engine on it (explain, diagnose, scan, shadow). Read-only: nothing here writes `/scale`.
 */
export { connectCluster, loadKubeConfig, type ClusterOptions, type KubeClient, type RequestWhat } from './connect-cluster.js';
export { KubeError, type KubeErrorCode } from './kube-error.js';
export { hpaFromApi, podFromApi, selectorString, resourceOfKind, type Json } from './from-api.js';
export { readHpa, readHpaSnapshot, readMetric, readScale, listPods, scalePath, noSelectorError, type HpaSnapshot } from './read-hpa.js';
export { reconstructState, readHpaEvents, rescaleEvents, type ReconstructedState, type RescaleEvent, type WindowAssumption } from './reconstruct-state.js';
export { readServerVersion, engineConfigForVersion, type ServerVersion } from './server-version.js';
export { explainCluster, formatClusterExplanation, clusterExplanationJson, type ClusterExplanation, type ExplainClusterOptions } from './explain-cluster.js';
export { scanCluster, rankHpa, formatScanTable, type ScanRow, type ScanOptions, type Trouble, type TroubleKind } from './scan-cluster.js';
export { mapLimit } from './map-limit.js';
export { createShadow, formatShadowSync, type Shadow, type ShadowMode, type ShadowOptions, type ShadowResult, type ShadowSync } from './shadow.js';
export { diagnoseCluster, ruleMetricName, type DiagnoseClusterOptions } from './diagnose-cluster.js';
